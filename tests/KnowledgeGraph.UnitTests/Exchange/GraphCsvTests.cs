using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;

namespace KnowledgeGraph.UnitTests.Exchange;

public sealed class GraphCsvTests
{
    private static readonly Entity Awkward = new(
        new EntityKey("threema"),
        EntityKind.App,
        new LocalizedText("Threema, \"the Swiss one\"", "Threema"),
        new LocalizedText("Line one\nline two, with a comma.", " leading and trailing spaces "),
        [new EntityAlias("Three|ma", null), new EntityAlias(@"back\slash", Language.En), new EntityAlias("Tréma", Language.Fr)],
        [new Citation("article", "les rivaux", 10, 20), new Citation("other", "a \"quoted\" excerpt, with comma", 0, 31)]);

    [Fact]
    public async Task Entities_survive_a_csv_round_trip_with_quotes_commas_line_breaks_pipes_and_two_citations()
    {
        using var writer = new StringWriter();
        await GraphCsv.WriteEntitiesAsync(writer, [Awkward], CancellationToken.None);

        var row = Assert.Single(GraphCsv.ReadEntities(new StringReader(writer.ToString())));

        Assert.Empty(row.Problems);
        var entity = Assert.IsType<Entity>(row.Record);
        Assert.Equal((Awkward.Key, Awkward.Kind, Awkward.Name, Awkward.Description), (entity.Key, entity.Kind, entity.Name, entity.Description));
        Assert.Equal(Awkward.Aliases, entity.Aliases);
        Assert.Equal(Awkward.Citations, entity.Citations);
        Assert.Equal(2, row.Row);
    }

    [Fact]
    public async Task Relationships_survive_a_csv_round_trip_with_their_properties()
    {
        var relationship = new Relationship(
            "musk-leads-tesla",
            RelationshipType.Leads,
            new EntityKey("elon-musk"),
            new EntityKey("tesla"),
            new RelationshipProperties(new LocalizedText("CEO", "PDG"), null, "2021-01", null),
            [new Citation("article", "PDG de Tesla", 5, 17)]);
        using var writer = new StringWriter();
        await GraphCsv.WriteRelationshipsAsync(writer, [relationship], CancellationToken.None);

        var row = Assert.Single(GraphCsv.ReadRelationships(new StringReader(writer.ToString())));

        var read = Assert.IsType<Relationship>(row.Record);
        Assert.Equal((relationship.Key, relationship.Type, relationship.From, relationship.To), (read.Key, read.Type, read.From, read.To));
        Assert.Equal(relationship.Properties, read.Properties);
        Assert.Equal(relationship.Citations, read.Citations);
    }

    [Fact]
    public void A_relationship_row_with_a_date_basis_outside_the_vocabulary_is_named_by_its_column()
    {
        const string Header = "key,type,from,to,period_start,date_basis,citation1_source,citation1_start,citation1_end,citation1_excerpt\n";
        var rows = GraphCsv.ReadRelationships(new StringReader(Header + "a,OWNS,x,y,2021-01,SOMETIME,s,0,1,e\nb,OWNS,x,y,2021-01,,s,0,1,e\n"));

        Assert.Equal("date_basis", Assert.Single(rows[0].Problems).InputPath);
        Assert.Contains("SOMETIME", rows[0].Problems[0].Message, StringComparison.Ordinal);
        Assert.Empty(rows[1].Problems);
        Assert.Equal(DateBasis.Stated, ((Relationship)rows[1].Record!).DateBasis);
    }

    [Fact]
    public void A_row_that_cannot_be_read_is_named_by_its_line_and_column_and_a_bad_header_refuses_the_file()
    {
        const string Header = "key,kind,name_en,name_fr,description_en,description_fr,citation1_source,citation1_start,citation1_end,citation1_excerpt\n";
        var rows = GraphCsv.ReadEntities(new StringReader(Header + "a,APP,A,A,d,d,s,0,1,x\n\"b\",ROBOT,B,B,d,d,s,zero,1,x\nc,APP\n"));

        Assert.Equal([2, 3, 4], rows.Select(r => r.Row));
        Assert.Empty(rows[0].Problems);
        Assert.Equal(["kind", "citation1_start"], rows[1].Problems.Select(p => p.InputPath));
        Assert.Equal("line 4", Assert.Single(rows[2].Problems).InputPath);
        Assert.Equal("citation1_excerpt", rows[0].InputPathOf(".citations[0].excerpt"));
        Assert.Equal("citation2_start/citation2_end", rows[0].InputPathOf(".citations[1]"));
        Assert.Throws<ImportFormatException>(() => GraphCsv.ReadEntities(new StringReader("key,kind\n")));
        Assert.Throws<ImportFormatException>(() => GraphCsv.ReadEntities(new StringReader(Header.TrimEnd() + ",colour\n")));
    }
}
