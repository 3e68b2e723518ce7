using System.Text.RegularExpressions;
using KnowledgeGraph.Store.Neo4j;

namespace KnowledgeGraph.UnitTests.Neo4j;

public partial class CypherCatalogTests
{
    public static TheoryData<string> Names() => [.. Neo4jCypher.All.Select(t => t.Name)];

    private static CypherTemplate Template(string name) => Neo4jCypher.All.Single(t => t.Name == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_parameter_a_statement_uses_is_declared_and_every_declared_one_is_used(string name)
    {
        var template = Template(name);
        var used = Parameter().Matches(template.Text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(used.Order(StringComparer.Ordinal), template.Parameters.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Statement_names_are_unique() =>
        Assert.Equal(Neo4jCypher.All.Count, Neo4jCypher.All.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void The_schema_file_is_applied_whole_and_every_statement_is_idempotent()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "schema", "neo4j", "constraints.cypher"));
        var statements = lines.Count(l => l.StartsWith("CREATE ", StringComparison.Ordinal) && l.EndsWith(';'));

        Assert.Equal(statements, Neo4jCypher.Schema.Count);
        Assert.All(Neo4jCypher.Schema, s => Assert.Contains(" IF NOT EXISTS ", s.Text, StringComparison.Ordinal));
        Assert.Contains(Neo4jCypher.Schema, s => s.Name == "Schema.entity_key" && s.Text.Contains("REQUIRE e.key IS UNIQUE", StringComparison.Ordinal));
        Assert.Contains(Neo4jCypher.Schema, s => s.Name == "Schema." + Neo4jCypher.SearchIndex);
    }

    [Fact]
    public void Binding_refuses_missing_and_undeclared_parameters()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => Neo4jCypher.EntitiesByKeys.Bind());
        var undeclared = Assert.Throws<InvalidOperationException>(() => Neo4jCypher.EntitiesByKeys.Bind(("keys", Array.Empty<string>()), ("extra", 1)));

        Assert.Contains("missing: (keys)", missing.Message, StringComparison.Ordinal);
        Assert.Contains("not declared: (extra)", undeclared.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relationships_are_merged_under_every_type_of_the_vocabulary()
    {
        foreach (var type in Enum.GetValues<KnowledgeGraph.Domain.RelationshipType>())
        {
            var wire = KnowledgeGraph.Domain.Vocabulary.ToWireName(type);
            Assert.Contains($"MERGE (a)-[r:{wire} {{key: row.key}}]->(b)", Neo4jCypher.MergeRelationships.Text, StringComparison.Ordinal);
        }
    }

    // $name outside string literals; the catalogue's literals hold no dollar sign.
    [GeneratedRegex(@"\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Parameter();
}
