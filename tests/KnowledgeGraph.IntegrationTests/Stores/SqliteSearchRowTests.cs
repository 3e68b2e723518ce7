using System.Text.RegularExpressions;
using KnowledgeGraph.Benchmarks;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using KnowledgeGraph.Writes;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// The embedded store's search rows: one per entity, its rowid the entity's id, replaced and removed through that id
/// by writes, and made from the same text whichever path wrote the entity.
/// </summary>
public sealed partial class SqliteSearchRowTests : IDisposable
{
    private static readonly WriteActor Partner = new("key-partner-1", "partner");
    private readonly TemporaryDirectory _directory = new("kg-search-rows");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task An_entity_renamed_by_a_write_has_one_search_row_found_by_its_new_name_and_not_its_old_one()
    {
        var store = await SeededStoreAsync();
        var created = await store.WriteAsync(Write(App("test-app-1", "Zorbanix")), Partner, CancellationToken.None);
        var renamed = await store.WriteAsync(Write(App("test-app-1", "Quilvane")), Partner, CancellationToken.None);

        var byNewName = await store.SearchAsync(new SearchQuery("quilvane", null, 10), CancellationToken.None);
        var byOldName = await store.SearchAsync(new SearchQuery("zorbanix", null, 10), CancellationToken.None);

        Assert.Equal(WriteOutcome.Created, Assert.Single(created.Results).Outcome);
        Assert.Equal(WriteOutcome.Updated, Assert.Single(renamed.Results).Outcome);
        Assert.Equal("test-app-1", Assert.Single(byNewName).Entity.Key.Value);
        Assert.Empty(byOldName);
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM entity_search WHERE rowid = (SELECT id FROM entities WHERE key = 'test-app-1')"));
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM entities"), await ScalarAsync("SELECT count(*) FROM entity_search"));
    }

    [Fact]
    public async Task A_retracted_entity_takes_its_search_row_with_it()
    {
        var store = await SeededStoreAsync();
        await store.WriteAsync(Write(App("test-app-2", "Zorbanix")), Partner, CancellationToken.None);
        var searchRows = await ScalarAsync("SELECT count(*) FROM entity_search");

        await store.WriteAsync(GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Entity, "test-app-2", "a test")] }, Partner, CancellationToken.None);

        Assert.Empty(await store.SearchAsync(new SearchQuery("zorbanix", null, 10), CancellationToken.None));
        Assert.Equal(searchRows - 1, await ScalarAsync("SELECT count(*) FROM entity_search"));
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM entities"), await ScalarAsync("SELECT count(*) FROM entity_search"));
    }

    [Fact]
    public async Task The_search_row_delete_finds_the_row_by_its_rowid_rather_than_scanning_the_table()
    {
        await SeededStoreAsync();
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteSql.DeleteSearchRow;
        command.Parameters.AddWithValue("$id", 1);
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        // FTS5 names the constraints it serves after the colon: "=" for a rowid lookup, nothing for a full scan.
        Assert.Matches(RowidLookup(), Assert.Single(plan));
    }

    [Fact]
    public async Task Writes_and_the_import_index_the_same_text_accents_quotes_and_backslashes_included()
    {
        var store = await SeededStoreAsync();
        var aliases = new List<EntityAlias> { new("Zé \"Quoted\"", Language.Fr), new("back\\slash", null) };
        var written = App("test-app-3", "Zorbanix") with { Aliases = aliases };
        var imported = App("test-app-4", "Zorbanix") with { Aliases = aliases };

        await store.WriteAsync(Write(written), Partner, CancellationToken.None);
        await store.ImportAsync(new GraphImport([], TestGraphs.Stream([imported]), TestGraphs.Stream<Relationship>([])), CancellationToken.None);

        Assert.Equal(
            ("Zorbanix Zorbanix", "Zé \"Quoted\" back\\slash test app 3", "About Zorbanix. À propos de Zorbanix."),
            await SearchRowAsync("test-app-3"));
        Assert.Equal(
            ("Zorbanix Zorbanix", "Zé \"Quoted\" back\\slash test app 4", "About Zorbanix. À propos de Zorbanix."),
            await SearchRowAsync("test-app-4"));
        Assert.Equal(["test-app-3", "test-app-4"], (await store.SearchAsync(new SearchQuery("ze quoted", null, 10), CancellationToken.None)).Select(h => h.Entity.Key.Value));
    }

    [GeneratedRegex(@"^SCAN entity_search VIRTUAL TABLE INDEX \d+:=$")]
    private static partial Regex RowidLookup();

    private static Entity App(string key, string name) => new(
        new EntityKey(key),
        EntityKind.App,
        new LocalizedText(name, name),
        new LocalizedText($"About {name}.", $"À propos de {name}."),
        [],
        [new Citation("whatsapp-privacy-exodus-2021", "WhatsApp", 65, 73)]);

    private static GraphWrite Write(Entity entity) => GraphWrite.Empty with { Entities = [entity] };

    private async Task<SqliteGraphStore> SeededStoreAsync()
    {
        var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = "graph.db" });
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        return store;
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "graph.db")};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<(string Names, string Aliases, string Descriptions)> SearchRowAsync(string key)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT names, aliases, descriptions FROM entity_search WHERE rowid = (SELECT id FROM entities WHERE key = $key)";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetString(2));
    }
}
