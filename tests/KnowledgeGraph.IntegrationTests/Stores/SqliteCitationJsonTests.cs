using System.Text;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>The citations reader of the embedded store gives what the serializer gives, for every shape of text.</summary>
public sealed class SqliteCitationJsonTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-citation-json");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Every_citations_column_of_the_seeded_file_reads_as_the_serializer_reads_it()
    {
        using (var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = "graph.db" }))
        {
            await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        }

        var columns = new List<byte[]>();
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "graph.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT citations FROM entities UNION ALL SELECT citations FROM relationships UNION ALL SELECT citations FROM observations
                UNION ALL SELECT citations FROM claims UNION ALL SELECT citations FROM quotes
                """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetFieldValue<byte[]>(0));
            }
        }

        Assert.True(columns.Count > 50, $"{columns.Count} citation columns");
        Assert.Contains(columns, c => SqliteJson.Read<List<Citation>>(c).Count > 1);
        Assert.All(columns, column =>
        {
            Assert.True(SqliteCitationJson.TryRead(column, out var read), Encoding.UTF8.GetString(column));
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
    public void A_text_of_any_shape_reads_as_the_serializer_reads_it(string json, bool readDirectly)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        Assert.Equal(readDirectly, SqliteCitationJson.TryRead(utf8, out _));
        Assert.Equal(SqliteJson.Read<List<Citation>>(utf8), SqliteCitationJson.Read(utf8));
    }

    [Theory]
    [InlineData("""[{"source":"s","excerpt":"e","start":3.5,"end":4}]""")]
    [InlineData("""null""")]
    [InlineData("""[{"source":"s",""")]
    public void A_text_the_serializer_refuses_is_refused_the_same_way(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);

        Assert.False(SqliteCitationJson.TryRead(utf8, out _));
        var serializer = Record.Exception(() => SqliteJson.Read<List<Citation>>(utf8));
        var reader = Record.Exception(() => SqliteCitationJson.Read(utf8));
        Assert.NotNull(serializer);
        Assert.Equal(serializer.GetType(), reader?.GetType());
    }
}
