using System.Text;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>The embedded store's readers of its JSON columns (citations, relationship properties, rationales) give what the serializer gives.</summary>
public sealed class SqliteJsonColumnTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-json-columns");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Every_citations_column_of_the_seeded_file_reads_as_the_serializer_reads_it()
    {
        await SeedAsync();
        var columns = await ColumnAsync("""
            SELECT citations FROM entities UNION ALL SELECT citations FROM relationships UNION ALL SELECT citations FROM observations
            UNION ALL SELECT citations FROM claims UNION ALL SELECT citations FROM quotes
            """);

        Assert.True(columns.Count > 50, $"{columns.Count} citation columns");
        Assert.Contains(columns, c => SqliteJson.Read<List<Citation>>(c).Count > 1);
        Assert.All(columns, column =>
        {
            Assert.True(SqliteColumnJson.TryReadCitations(column, out var read), Encoding.UTF8.GetString(column));
            Assert.Equal(SqliteJson.Read<List<Citation>>(column), read);
        });
    }

    [Theory]
    [InlineData("""[]""", true)]
    [InlineData("""[{"source":"s","excerpt":"\u00e9t\u00e9 \"cit\u00e9\" \\ \/","start":3,"end":10}]""", true)]
    [InlineData("""[{"end":10,"start":3,"excerpt":"e","source":"s"},{"source":"t","excerpt":"f","start":0,"end":1}]""", true)]
    [InlineData(""" [ {"source":"s","excerpt":"e","start":-1,"end":-1} ] """, true)]
    [InlineData("""[{"source":"s","excerpt":"e","start":3,"end":10,"note":"x"}]""", false)]
    [InlineData("""[{"source":"s","excerpt":"e","start":3}]""", false)]
    [InlineData("""[{"source":null,"excerpt":"e","start":3,"end":4}]""", false)]
    [InlineData("""[{"source":"s","excerpt":"e","start":3,"end":4,"start":5}]""", true)]
    public void A_citations_text_of_any_shape_reads_as_the_serializer_reads_it(string json, bool readDirectly)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        Assert.Equal(readDirectly, SqliteColumnJson.TryReadCitations(utf8, out _));
        Assert.Equal(SqliteJson.Read<List<Citation>>(utf8), SqliteColumnJson.ReadCitations(utf8));
    }

    [Theory]
    [InlineData("""[{"source":"s","excerpt":"e","start":3.5,"end":4}]""")]
    [InlineData("""null""")]
    [InlineData("""[{"source":"s",""")]
    public void A_citations_text_the_serializer_refuses_is_refused_the_same_way(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        Assert.False(SqliteColumnJson.TryReadCitations(utf8, out _));
        var serializer = Record.Exception(() => SqliteJson.Read<List<Citation>>(utf8));
        var reader = Record.Exception(() => SqliteColumnJson.ReadCitations(utf8));
        Assert.NotNull(serializer);
        Assert.Equal(serializer.GetType(), reader?.GetType());
    }

    [Fact]
    public async Task Every_properties_and_rationale_column_of_the_seeded_file_reads_as_the_serializer_reads_it()
    {
        await SeedAsync();
        var properties = await ColumnAsync("SELECT properties FROM relationships");
        var rationales = await ColumnAsync("""
            SELECT rationale FROM relationships WHERE rationale IS NOT NULL UNION ALL SELECT rationale FROM observations WHERE rationale IS NOT NULL
            UNION ALL SELECT rationale FROM claims WHERE rationale IS NOT NULL
            """);

        Assert.Contains(properties, p => SqliteJson.Read<RelationshipProperties>(p) is { Role: not null });
        Assert.Contains(properties, p => SqliteJson.Read<RelationshipProperties>(p) is { Note: not null, Chart: not null });
        Assert.All(properties, column => Assert.Equal(SqliteJson.Read<RelationshipProperties>(column), SqliteColumnJson.ReadProperties(column)));
        Assert.All(properties.Where(p => p.Length > 2), column => Assert.True(SqliteColumnJson.TryReadProperties(column, out _), Encoding.UTF8.GetString(column)));
        Assert.NotEmpty(rationales);
        Assert.All(rationales, column =>
        {
            Assert.True(SqliteColumnJson.TryReadText(column, out var text), Encoding.UTF8.GetString(column));
            Assert.Equal(SqliteJson.Read<LocalizedText>(column), text);
        });
    }

    [Theory]
    [InlineData("""{"role":{"en":"CEO","fr":"PDG"},"chart":"downloads","occurredOn":"2021-01-07","note":{"fr":"\u00e9t\u00e9 \"x\"","en":"y"}}""", true)]
    [InlineData("""{"chart":"downloads"}""", true)]
    [InlineData("""{"role":null}""", false)]
    [InlineData("""{"role":{"en":"CEO"}}""", false)]
    [InlineData("""{"role":{"en":"CEO","fr":"PDG","de":"x"}}""", false)]
    [InlineData("""{"colour":"red"}""", false)]
    public void A_properties_text_of_any_shape_reads_as_the_serializer_reads_it(string json, bool readDirectly)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        Assert.Equal(readDirectly, SqliteColumnJson.TryReadProperties(utf8, out _));
        Assert.Equal(SqliteJson.Read<RelationshipProperties>(utf8), SqliteColumnJson.ReadProperties(utf8));
    }

    [Theory]
    [InlineData("""{"en":"a","fr":"b"}""", true)]
    [InlineData(""" {"fr":"b","en":"a"} """, true)]
    [InlineData("""{"en":"a"}""", false)]
    [InlineData("""{"en":"a","fr":"b","x":1}""", false)]
    public void A_rationale_of_any_shape_reads_as_the_serializer_reads_it(string json, bool readDirectly)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        Assert.Equal(readDirectly, SqliteColumnJson.TryReadText(utf8, out _));
        Assert.Equal(SqliteJson.Read<LocalizedText>(utf8), SqliteColumnJson.ReadText(utf8));
    }

    private async Task SeedAsync()
    {
        using var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = "graph.db" });
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
    }

    private async Task<List<byte[]>> ColumnAsync(string sql)
    {
        var values = new List<byte[]>();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "graph.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<byte[]>(0));
        }

        return values;
    }
}
