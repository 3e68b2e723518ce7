using KnowledgeGraph.Benchmarks;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;
using static KnowledgeGraph.IntegrationTests.Stores.TestGraphs;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>The streaming bulk import: writes what it is given, all or nothing, by key, leaving the schema as it was.</summary>
public sealed class SqliteBulkImportTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-import");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task An_import_into_an_empty_store_writes_every_record_and_makes_it_searchable()
    {
        var store = NewStore("fresh.db");
        var entities = new[] { Entity("zorbanix-chat", name: "Zorbanix Chat"), Entity("quilvane", EntityKind.Company, "Quilvane Systems"), Entity("ada-vel", EntityKind.Person, "Ada Vel") };
        var relationships = new[] { Relationship("quilvane", "zorbanix-chat", RelationshipType.Owns), Relationship("ada-vel", "quilvane", RelationshipType.Leads) };

        var result = await store.ImportAsync(new GraphImport([TestSource], Stream(entities), Stream(relationships)), CancellationToken.None);
        var read = await store.GetEntitiesAsync(entities.Select(e => e.Key).ToList(), CancellationToken.None);
        var ofQuilvane = await store.GetRelationshipsOfAsync([new EntityKey("quilvane")], RelationshipFilter.All, CancellationToken.None);
        var byName = await store.SearchAsync(new SearchQuery("zorbanix", null, 10), CancellationToken.None);
        var byAlias = await store.SearchAsync(new SearchQuery("quilvane-alias", null, 10), CancellationToken.None);
        var sources = await store.GetSourcesAsync(null, CancellationToken.None);

        Assert.Equal(new GraphImportResult(1, 3, 2, 0, IndexesBuiltAfterLoad: true), result);
        Assert.All(entities, e =>
        {
            var stored = read[e.Key];
            Assert.Equal((e.Kind, e.Name, e.Description), (stored.Kind, stored.Name, stored.Description));
            Assert.Equal(e.Aliases, stored.Aliases);
            Assert.Equal(e.Citations, stored.Citations);
        });
        Assert.Equal(["ada-vel-leads-quilvane", "quilvane-owns-zorbanix-chat"], ofQuilvane[new EntityKey("quilvane")].Select(r => r.Key));
        Assert.Equal("zorbanix-chat", Assert.Single(byName).Entity.Key.Value);
        Assert.Equal("quilvane", Assert.Single(byAlias).Entity.Key.Value);
        Assert.Equal(TestSource.Text, sources[TestSource.Key].Text);
    }

    [Fact]
    public async Task The_schema_after_an_import_into_an_empty_store_is_the_schema_the_seed_creates()
    {
        var imported = NewStore("imported.db");
        var seeded = NewStore("seeded.db");
        var (entities, relationships) = Random(50, 120, seed: 7);

        await imported.ImportAsync(new GraphImport([TestSource], Stream(entities), Stream(relationships)), CancellationToken.None);
        await seeded.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);

        Assert.Equal(await SchemaAsync("seeded.db"), await SchemaAsync("imported.db"));
    }

    [Fact]
    public async Task An_import_leaves_the_search_tables_memory_setting_at_its_default()
    {
        var store = NewStore("fresh.db");
        var (entities, relationships) = Random(50, 120, seed: 5);

        await store.ImportAsync(new GraphImport([TestSource], Stream(entities), Stream(relationships)), CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "fresh.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce((SELECT v FROM entity_search_config WHERE k = 'hashsize'), 1048576)";
        Assert.Equal(1048576L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_relationship_pointing_nowhere_rolls_the_whole_import_back()
    {
        var store = NewStore("seeded.db");
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        await store.ApplySeedAsync(seed, CancellationToken.None);
        var renamedTelegram = seed.Graph.Entities.Single(e => e.Key.Value == "telegram") with { Name = new LocalizedText("Renamed", "Renommé") };
        var entities = new[] { Entity("zorbanix-chat", name: "Zorbanix Chat"), renamedTelegram };
        var relationships = new[] { Relationship("zorbanix-chat", "telegram"), Relationship("zorbanix-chat", "nowhere") };

        var failure = await Assert.ThrowsAsync<GraphImportException>(() =>
            store.ImportAsync(new GraphImport([TestSource], Stream(entities), Stream(relationships)), CancellationToken.None));

        Assert.Contains("zorbanix-chat-competeswith-nowhere", failure.Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetEntitiesAsync([new EntityKey("zorbanix-chat")], CancellationToken.None));
        Assert.Equal("Telegram", (await store.GetEntitiesAsync([new EntityKey("telegram")], CancellationToken.None))[new EntityKey("telegram")].Name.En);
        Assert.Empty(await store.SearchAsync(new SearchQuery("zorbanix", null, 10), CancellationToken.None));
        Assert.Empty(await store.SearchAsync(new SearchQuery("renamed", null, 10), CancellationToken.None));
        Assert.Empty(await store.GetSourcesAsync([TestSource.Key], CancellationToken.None));
        Assert.False((await store.ApplySeedAsync(seed, CancellationToken.None)).Changed);
    }

    [Fact]
    public async Task A_failed_import_into_an_empty_store_leaves_its_indexes_in_place()
    {
        var store = NewStore("fresh.db");
        var before = await SchemaAfterSeedAsync();

        await Assert.ThrowsAsync<GraphImportException>(() => store.ImportAsync(
            new GraphImport([TestSource], Stream([Entity("alpha"), Entity("beta")]), Stream([Relationship("alpha", "beta"), Relationship("alpha", "gamma")])),
            CancellationToken.None));

        Assert.Equal(before, await SchemaAsync("fresh.db"));
        Assert.Empty(await store.GetEntitiesAsync([new EntityKey("alpha")], CancellationToken.None));
    }

    [Theory]
    [InlineData("alpha", "ghost", "alpha-competeswith-ghost")]
    [InlineData("ghost", "beta", "ghost-competeswith-beta")]
    public async Task Into_an_empty_store_a_relationship_with_either_end_nowhere_is_named_and_nothing_is_written(string from, string to, string named)
    {
        var store = NewStore("fresh.db");
        var (entities, relationships) = Random(40, 100, seed: 11);
        entities.AddRange([Entity("alpha"), Entity("beta")]);
        relationships.Insert(57, Relationship(from, to));

        var failure = await Assert.ThrowsAsync<GraphImportException>(() =>
            store.ImportAsync(new GraphImport([TestSource], Stream(entities), Stream(relationships)), CancellationToken.None));

        Assert.Contains($"'{named}'", failure.Message, StringComparison.Ordinal);
        Assert.Equal((0L, 0L, 0L), await CountsAsync("fresh.db"));
        Assert.Empty(await store.GetSourcesAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task A_failure_in_the_callers_stream_surfaces_as_is_and_writes_nothing()
    {
        var store = NewStore("fresh.db");

        static async IAsyncEnumerable<Entity> Failing()
        {
            yield return Entity("alpha");
            await Task.Yield();
            throw new InvalidDataException("the partner file is truncated");
        }

        var failure = await Assert.ThrowsAsync<InvalidDataException>(() =>
            store.ImportAsync(new GraphImport([TestSource], Failing(), Stream<Relationship>([])), CancellationToken.None));

        Assert.Equal("the partner file is truncated", failure.Message);
        Assert.Empty(await store.GetEntitiesAsync([new EntityKey("alpha")], CancellationToken.None));
    }

    [Fact]
    public async Task An_import_cancelled_part_way_through_its_relationships_writes_nothing()
    {
        var store = NewStore("fresh.db");
        var (entities, relationships) = Random(3000, 5000, seed: 13);
        using var cancellation = new CancellationTokenSource();

        async IAsyncEnumerable<Relationship> CancelledPartWay()
        {
            foreach (var (relationship, i) in relationships.Select((r, i) => (r, i)))
            {
                if (i == 2500)
                {
                    await cancellation.CancelAsync();
                }

                await Task.Yield();
                yield return relationship;
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.ImportAsync(new GraphImport([TestSource], Stream(entities), CancelledPartWay()), cancellation.Token));

        Assert.Equal((0L, 0L, 0L), await CountsAsync("fresh.db"));
        Assert.Equal(await SchemaAfterSeedAsync(), await SchemaAsync("fresh.db"));
    }

    [Fact]
    public async Task A_malformed_key_is_refused_before_anything_is_written()
    {
        var store = NewStore("fresh.db");
        var bad = Entity("alpha") with { Key = new EntityKey("Not A Key") };

        await Assert.ThrowsAsync<GraphImportException>(() =>
            store.ImportAsync(new GraphImport([TestSource], Stream([Entity("beta"), bad]), Stream<Relationship>([])), CancellationToken.None));

        Assert.Empty(await store.GetEntitiesAsync([new EntityKey("beta")], CancellationToken.None));
    }

    [Fact]
    public async Task Importing_the_same_records_again_changes_nothing_and_changed_records_are_replaced_by_key()
    {
        var store = NewStore("twice.db");
        var (entities, relationships) = Random(60, 150, seed: 3);
        await store.ImportAsync(new GraphImport([TestSource], Stream(entities), Stream(relationships)), CancellationToken.None);
        var first = await CountsAsync("twice.db");

        var again = await store.ImportAsync(new GraphImport([TestSource], Stream(entities), Stream(relationships)), CancellationToken.None);
        var second = await CountsAsync("twice.db");

        var renamed = entities[5] with { Name = new LocalizedText("Xyloquent", "Xyloquent") };
        var moved = relationships[0] with { To = entities[9].Key };
        await store.ImportAsync(new GraphImport([], Stream([renamed, Entity("node-extra")]), Stream([moved])), CancellationToken.None);
        var third = await CountsAsync("twice.db");

        Assert.Equal((60L, 150L, 60L), first);
        Assert.Equal(first, second);
        Assert.Equal(new GraphImportResult(1, 60, 150, 60, IndexesBuiltAfterLoad: false), again);
        Assert.Equal((61L, 150L, 61L), third);
        Assert.Equal("Xyloquent", (await store.GetEntitiesAsync([renamed.Key], CancellationToken.None))[renamed.Key].Name.En);
        Assert.Equal(renamed.Key, Assert.Single(await store.SearchAsync(new SearchQuery("xyloquent", null, 10), CancellationToken.None)).Entity.Key);
        Assert.Equal(entities[9].Key, (await store.GetRelationshipsAsync([moved.Key], CancellationToken.None))[moved.Key].To);
    }

    [Fact]
    public async Task The_same_entity_twice_in_one_import_keeps_the_last_and_one_search_row()
    {
        var store = NewStore("fresh.db");

        var result = await store.ImportAsync(
            new GraphImport([TestSource], Stream([Entity("alpha", name: "First Name"), Entity("alpha", name: "Second Name")]), Stream<Relationship>([])),
            CancellationToken.None);

        Assert.Equal(1, result.ReplacedEntities);
        Assert.Equal("Second Name", (await store.GetEntitiesAsync([new EntityKey("alpha")], CancellationToken.None))[new EntityKey("alpha")].Name.En);
        Assert.Single(await store.SearchAsync(new SearchQuery("alpha", null, 10), CancellationToken.None));
        Assert.Empty(await store.SearchAsync(new SearchQuery("first", null, 10), CancellationToken.None));
    }

    private SqliteGraphStore NewStore(string file) =>
        new(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = file });

    private async Task<string> SchemaAfterSeedAsync()
    {
        await NewStore("reference.db").ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        return await SchemaAsync("reference.db");
    }

    private async Task<string> SchemaAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, file)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name";
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)} {(reader.IsDBNull(3) ? string.Empty : reader.GetString(3))}");
        }

        return string.Join('\n', lines);
    }

    private async Task<(long Entities, long Relationships, long SearchRows)> CountsAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, file)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM entities), (SELECT count(*) FROM relationships), (SELECT count(*) FROM entity_search)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }
}
