using System.Text.Json.Nodes;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Testing;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.UnitTests.Seed;

// Issue 11 in the seed format: the provenance fields, claims.json and citations without offsets are read, validated
// once (the write validator's rules, in the files' words) and written back by the seed export unchanged.
public sealed class ProvenanceSeedTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kg-prov-" + Guid.NewGuid().ToString("N"));

    public ProvenanceSeedTests()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Seed, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_directory, Path.GetRelativePath(RepositoryPaths.Seed, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // A fixture of the new fields on records of the published seed, whatever the seed itself says.
        Edit(SeedLoader.SourcesFile, s => s[0]!["retrievedOn"] = "2026-11-30");
        Edit(SeedLoader.RelationshipsFile, r =>
        {
            var owns = Find(r, "facebook-owns-whatsapp");
            owns["basis"] = "INFERRED";
            owns["rationale"] = new JsonObject { ["en"] = "The article calls WhatsApp Facebook's service.", ["fr"] = "L'article appelle WhatsApp le service de Facebook." };
        });
        Edit(SeedLoader.ObservationsFile, o =>
        {
            var first = o[0]!;
            first["basis"] = "REPORTED";
            first["reportedBy"] = "pavel-durov";
            first["precision"] = "ROUNDED";
            first["periodStart"] = "2021-01-05";
            first["periodEnd"] = "2021-01-08";
            first["dateBasis"] = "RELATIVE_TO_SOURCE";
            var second = o[1]!;
            second["shareOf"] = (string?)first["key"];
        });
        File.WriteAllText(Path.Combine(_directory, SeedLoader.ClaimsFile), new JsonArray
        {
            new JsonObject
            {
                ["key"] = "signal-apparently-serves",
                ["text"] = new JsonObject { ["en"] = "Telegram and above all Signal apparently serve that aim.", ["fr"] = "Télégramme et surtout Signal servent apparemment cet objectif." },
                ["about"] = new JsonArray("telegram", "signal"),
                ["basis"] = "STATED",
                ["hedge"] = "apparemment",
                ["citations"] = new JsonArray(new JsonObject
                {
                    ["source"] = "whatsapp-privacy-exodus-2021",
                    ["excerpt"] = "Télégramme, mais surtout Signal, ils servent apparemment cet objectif",
                }),
            },
        }.ToJsonString());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_seed_with_provenance_and_claims_loads_its_citations_placed()
    {
        var seed = await SeedLoader.LoadAsync(_directory, CancellationToken.None);
        var text = seed.Graph.Sources.Single().Text;

        var owns = seed.Graph.Relationships.Single(r => r.Key == "facebook-owns-whatsapp");
        var claim = Assert.Single(seed.Graph.Claims);
        var citation = Assert.Single(claim.Citations);
        Assert.Equal(Basis.Inferred, owns.Provenance.Basis);
        Assert.Equal("L'article appelle WhatsApp le service de Facebook.", owns.Provenance.Rationale!.Fr);
        Assert.Equal((Basis.Reported, new EntityKey("pavel-durov")), (seed.Graph.Observations[0].Provenance.Basis, seed.Graph.Observations[0].Provenance.ReportedBy!.Value));
        Assert.Equal((Precision.Rounded, DateBasis.RelativeToSource), (seed.Graph.Observations[0].Precision, seed.Graph.Observations[0].DateBasis));
        Assert.Equal(seed.Graph.Observations[0].Key, seed.Graph.Observations[1].ShareOf);
        Assert.Equal([new EntityKey("telegram"), new EntityKey("signal")], claim.About);
        Assert.Equal(citation.Excerpt, text[citation.Start..citation.End]);
        // A dated figure of the published seed without a dateBasis reads as STATED.
        Assert.All(seed.Graph.Observations.Skip(1).Where(o => o.PeriodStart is not null), o => Assert.NotNull(o.DateBasis));
    }

    [Theory]
    [InlineData("observations.json", "reportedBy: a REPORTED fact names whose statement the source relays")]
    [InlineData("relationships.json", "rationale: only an INFERRED fact has a rationale; this one is REPORTED")]
    [InlineData("claims.json", "hedge: \"sûrement\" is in none of the record's citation excerpts; a hedge is the source's own words, verbatim")]
    [InlineData("claims.json", "about: a claim is about at least one entity")]
    [InlineData("observations.json", "shareOf: a figure cannot be a share of itself")]
    [InlineData("observations.json", "dateBasis: a dateBasis qualifies a period; give periodStart or periodEnd, or leave dateBasis out")]
    [InlineData("relationships.json", "periodEnd: the period ends (2020-12) before it starts (2021-01-07)")]
    [InlineData("claims.json", "citations[0].excerpt: the excerpt \"WhatsApp\" occurs 6 times in source 'whatsapp-privacy-exodus-2021'; give start and end to say which")]
    [InlineData("observations.json", "reportedBy: only a REPORTED fact names who reported it; this one is STATED")]
    public async Task A_provenance_fault_is_refused_naming_the_file_the_entry_and_the_field(string file, string problem)
    {
        switch (problem.Split(':')[0])
        {
            case "reportedBy" when problem.Contains("only", StringComparison.Ordinal):
                Edit(file, o => { o[1]!["basis"] = "STATED"; o[1]!["reportedBy"] = "pavel-durov"; });
                break;
            case "reportedBy":
                Edit(file, o => o[0]!.AsObject().Remove("reportedBy"));
                break;
            case "rationale":
                Edit(file, r => { Find(r, "facebook-owns-whatsapp")["basis"] = "REPORTED"; Find(r, "facebook-owns-whatsapp")["reportedBy"] = "pavel-durov"; });
                break;
            case "hedge":
                Edit(file, c => c[0]!["hedge"] = "sûrement");
                break;
            case "about":
                Edit(file, c => c[0]!["about"] = new JsonArray());
                break;
            case "shareOf":
                Edit(file, o => o[1]!["shareOf"] = (string?)o[1]!["key"]);
                break;
            case "dateBasis":
                Edit(file, o => { var x = o[0]!; x["periodStart"] = null; x["periodEnd"] = null; x["dateBasis"] = "STATED"; });
                break;
            case "periodEnd":
                Edit(file, r => { var x = Find(r, "facebook-owns-whatsapp"); x["periodStart"] = "2021-01-07"; x["periodEnd"] = "2020-12"; x["dateBasis"] = "STATED"; });
                break;
            default:
                Edit(file, c => { c[0]!["citations"]![0]!["excerpt"] = "WhatsApp"; c[0]!.AsObject().Remove("hedge"); });
                break;
        }

        var exception = await Assert.ThrowsAsync<SeedValidationException>(() => SeedLoader.LoadAsync(_directory, CancellationToken.None));

        var found = Assert.Single(exception.Problems);
        Assert.Equal(file, found.File);
        Assert.StartsWith("entry '", found.Entry, StringComparison.Ordinal);
        Assert.Equal(problem, found.Problem);
    }

    [Fact]
    public async Task The_seed_export_writes_back_every_provenance_field_and_claim()
    {
        var seed = await SeedLoader.LoadAsync(_directory, CancellationToken.None);
        var exported = Path.Combine(_directory, "exported");

        await SeedWriter.WriteFolderAsync(seed.Graph, exported, CancellationToken.None);
        var again = await SeedLoader.LoadAsync(exported, CancellationToken.None);
        using var document = new MemoryStream();
        await SeedWriter.WriteDocumentAsync(seed.Graph, document, CancellationToken.None);
        var rows = SeedImportReader.ReadDocument(System.Text.Encoding.UTF8.GetString(document.ToArray()));

        Assert.Equal(Snapshots(seed.Graph), Snapshots(again.Graph));
        Assert.Equal("2026-11-30", seed.Graph.Sources[0].RetrievedOn);
        Assert.Equal(seed.Graph.Sources, again.Graph.Sources);
        Assert.Equal(seed.Graph.Sources, rows.Where(r => r.Type == RecordType.Source).Select(r => (Source)r.Record!));
        Assert.Equal(
            seed.Graph.Relationships.Cast<object>().Concat(seed.Graph.Observations).Concat(seed.Graph.Claims).Select(RecordSnapshot.Of),
            rows.Where(r => r.Type is RecordType.Relationship or RecordType.Observation or RecordType.Claim).Select(r => RecordSnapshot.Of(r.Record!)));
    }

    [Fact]
    public async Task JSON_LD_says_who_reported_a_fact_and_what_it_is_derived_from_with_PROV_O()
    {
        var seed = await SeedLoader.LoadAsync(_directory, CancellationToken.None);
        using var output = new MemoryStream();

        await JsonLdWriter.WriteAsync(seed.Graph, output, CancellationToken.None);
        var graph = JsonNode.Parse(output.ToArray())!;

        Assert.Equal("http://www.w3.org/ns/prov#", (string?)graph["@context"]!["prov"]);
        Assert.Equal("prov:wasAttributedTo", (string?)graph["@context"]!["wasAttributedTo"]!["@id"]);
        var reported = graph["@graph"]!.AsArray().Single(n => (string?)n!["@id"] == "kgd:observation:" + seed.Graph.Observations[0].Key)!;
        Assert.Equal(("REPORTED", "kgd:entity:pavel-durov"), ((string?)reported["basis"], (string?)reported["wasAttributedTo"]));
        Assert.Equal("kgd:source:whatsapp-privacy-exodus-2021", (string?)reported["wasDerivedFrom"]![0]);
        Assert.Equal("kg:retrievedOn", (string?)graph["@context"]!["retrievedOn"]);
        Assert.Equal("2026-11-30", (string?)graph["@graph"]!.AsArray().Single(n => (string?)n!["@id"] == "kgd:source:whatsapp-privacy-exodus-2021")!["retrievedOn"]);
        var claim = graph["@graph"]!.AsArray().Single(n => (string?)n!["@id"] == "kgd:claim:signal-apparently-serves")!;
        Assert.Equal("apparemment", (string?)claim["hedge"]);
    }

    private static string Snapshots(GraphSnapshot graph) => string.Join(
        '\n',
        graph.Relationships.Cast<object>().Concat(graph.Observations).Concat(graph.Claims).Concat(graph.Entities).Concat(graph.Quotes).Select(RecordSnapshot.Of));

    private static JsonNode Find(JsonArray array, string key) =>
        array.First(item => (string?)item!["key"] == key) ?? throw new InvalidOperationException($"No entry '{key}'.");

    private void Edit(string file, Action<JsonArray> edit)
    {
        var path = Path.Combine(_directory, file);
        var array = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        edit(array);
        File.WriteAllText(path, array.ToJsonString());
    }
}
