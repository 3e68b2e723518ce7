using System.Text;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>The embedded store's reader of relationship properties and rationales gives what the serializer gives.</summary>
public sealed class SqlitePropertiesJsonTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-properties-json");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Every_properties_and_rationale_column_of_the_seeded_file_reads_as_the_serializer_reads_it()
    {
        using (var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = "graph.db" }))
        {
            await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        }

        var properties = await ColumnAsync("SELECT properties FROM relationships");
        var rationales = await ColumnAsync("""
            SELECT rationale FROM relationships WHERE rationale IS NOT NULL UNION ALL SELECT rationale FROM observations WHERE rationale IS NOT NULL
            UNION ALL SELECT rationale FROM claims WHERE rationale IS NOT NULL
            """);

        Assert.Contains(properties, p => SqliteJson.Read<RelationshipProperties>(p) is { Role: not null });
        Assert.Contains(properties, p => SqliteJson.Read<RelationshipProperties>(p) is { Note: not null, Chart: not null });
        Assert.All(properties, column => Assert.Equal(SqliteJson.Read<RelationshipProperties>(column), SqlitePropertiesJson.ReadProperties(column)));
        Assert.All(properties.Where(p => p.Length > 2), column => Assert.True(SqlitePropertiesJson.TryReadProperties(column, out _), Encoding.UTF8.GetString(column)));
        Assert.NotEmpty(rationales);
        Assert.All(rationales, column =>
        {
            Assert.True(SqlitePropertiesJson.TryReadText(column, out var text), Encoding.UTF8.GetString(column));
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

        Assert.Equal(readDirectly, SqlitePropertiesJson.TryReadProperties(utf8, out _));
        Assert.Equal(SqliteJson.Read<RelationshipProperties>(utf8), SqlitePropertiesJson.ReadProperties(utf8));
    }

    [Theory]
    [InlineData("""{"en":"a","fr":"b"}""", true)]
    [InlineData(""" {"fr":"b","en":"a"} """, true)]
    [InlineData("""{"en":"a"}""", false)]
    [InlineData("""{"en":"a","fr":"b","x":1}""", false)]
    public void A_rationale_of_any_shape_reads_as_the_serializer_reads_it(string json, bool readDirectly)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        Assert.Equal(readDirectly, SqlitePropertiesJson.TryReadText(utf8, out _));
        Assert.Equal(SqliteJson.Read<LocalizedText>(utf8), SqlitePropertiesJson.ReadText(utf8));
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
