using System.Text.Json.Nodes;
using KnowledgeGraph.Benchmarks;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>What only the embedded store does: its file, re-seeding by key, atomic writes, FTS5 query safety.</summary>
public sealed class SqliteGraphStoreTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-sqlite");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_first_start_creates_the_file_and_loads_the_whole_seed()
    {
        var store = NewStore();
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);

        var applied = await store.ApplySeedAsync(seed, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(_directory.Path, "data", "graph.db")));
        Assert.True(applied.Changed);
        Assert.Equal(
            (seed.Graph.Entities.Count, seed.Graph.Relationships.Count, seed.Graph.Observations.Count, seed.Graph.Quotes.Count, seed.Graph.Sources.Count),
            (applied.Entities, applied.Relationships, applied.Observations, applied.Quotes, applied.Sources));
    }

    [Fact]
    public async Task Starting_again_with_the_same_seed_changes_nothing()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        await NewStore().ApplySeedAsync(seed, CancellationToken.None);
        SqliteConnection.ClearAllPools();

        var again = await NewStore().ApplySeedAsync(seed, CancellationToken.None);

        Assert.False(again.Changed);
        Assert.Equal(seed.Graph.Entities.Count, again.Entities);
    }

    [Fact]
    public async Task A_changed_seed_is_applied_by_key_updating_adding_and_removing_records()
    {
        var store = NewStore();
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        var seedCopy = _directory.CopyFrom(RepositoryPaths.Seed, "seed");
        EditJson(seedCopy, SeedLoader.EntitiesFile, entities =>
        {
            entities.First(e => (string?)e!["key"] == "tesla")!["description"]!["en"] = "Edited description.";
        });
        EditJson(seedCopy, SeedLoader.RelationshipsFile, relationships =>
        {
            var musk = relationships.First(r => (string?)r!["key"] == "elon-musk-leads-spacex")!;
            relationships.Remove(musk);
        });

        var applied = await store.ApplySeedAsync(await SeedLoader.LoadAsync(seedCopy, CancellationToken.None), CancellationToken.None);
        var tesla = (await store.GetEntitiesAsync([new EntityKey("tesla")], CancellationToken.None))[new EntityKey("tesla")];
        var gone = await store.GetRelationshipsAsync(["elon-musk-leads-spacex"], CancellationToken.None);

        Assert.True(applied.Changed);
        Assert.Equal("Edited description.", tesla.Description.En);
        Assert.Empty(gone);
    }

    [Fact]
    public async Task A_write_that_fails_part_way_leaves_the_previous_graph_whole()
    {
        var store = NewStore();
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        await store.ApplySeedAsync(seed, CancellationToken.None);

        // A snapshot the validator would refuse, written straight to the store: its last relationship points nowhere,
        // so the write fails after every entity has already been updated inside the transaction.
        var renamed = seed.Graph.Entities.Select(e => e with { Name = new LocalizedText("Renamed", "Renommé") }).ToList();
        var broken = seed.Graph.Relationships.Append(seed.Graph.Relationships[0] with { Key = "broken", To = new EntityKey("nowhere") }).ToList();
        var bad = new LoadedSeed(seed.Graph with { Entities = renamed, Relationships = broken }, "another-hash");

        await Assert.ThrowsAsync<SqliteException>(() => store.ApplySeedAsync(bad, CancellationToken.None));
        var entities = await store.GetEntitiesAsync(seed.Graph.Entities.Select(e => e.Key).ToList(), CancellationToken.None);

        Assert.Equal(seed.Graph.Entities.Count, entities.Count);
        Assert.DoesNotContain(entities.Values, e => e.Name.En == "Renamed");
        Assert.False((await store.ApplySeedAsync(seed, CancellationToken.None)).Changed);
    }

    [Theory]
    [InlineData("\"telegram")]
    [InlineData("telegram OR signal NOT whatsapp")]
    [InlineData("name:telegram")]
    [InlineData("tele* ^ NEAR(a b)")]
    [InlineData("'; DROP TABLE entities; --")]
    [InlineData("\u0000telegram")]
    public async Task Search_text_is_only_ever_words_whatever_syntax_it_holds(string text)
    {
        var store = NewStore();
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);

        var hits = await store.SearchAsync(new SearchQuery(text, null, 10), CancellationToken.None);
        var stillThere = await store.GetEntitiesAsync([new EntityKey("telegram")], CancellationToken.None);

        Assert.NotNull(hits);
        Assert.Single(stillThere);
    }

    [Theory]
    [InlineData("Télégramme", "\"telegramme\"*")]
    [InlineData("moyen-orient", "\"moyen\" AND \"orient\"*")]
    [InlineData("Camille Torvena", "\"camille\" AND \"torvena\"*")]
    [InlineData("\"a\" OR b*", "\"a\" AND \"or\" AND \"b\"*")]
    public void User_text_becomes_quoted_whole_words_then_the_last_as_a_prefix(string text, string expected) =>
        Assert.Equal(expected, SqliteGraphStore.ToMatchExpression(SearchTerms.Parse(text)));

    [Theory]
    [InlineData("Camille Torvena", new[] { "person-1" })]
    [InlineData("camille torv", new[] { "person-1" })]
    [InlineData("Cam Torvena", new string[0])]
    [InlineData("torvena", new[] { "person-1", "person-2" })]
    [InlineData("chloe mejozon", new[] { "person-3" })]
    [InlineData("CHLOÉ MÉJ", new[] { "person-3" })]
    public async Task Search_matches_every_word_but_the_last_whole_and_the_last_as_a_prefix_ignoring_case_and_accents(string text, string[] expected)
    {
        var store = NewStore();
        var people = new[]
        {
            TestGraphs.Entity("person-1", EntityKind.Person, "Camille Torvena"),
            TestGraphs.Entity("person-2", EntityKind.Person, "Camillette Torvena"),
            TestGraphs.Entity("person-3", EntityKind.Person, "Chloé Méjozon"),
        };
        await store.ImportAsync(new GraphImport([TestGraphs.TestSource], TestGraphs.Stream(people), TestGraphs.Stream<Relationship>([])), CancellationToken.None);

        var hits = await store.SearchAsync(new SearchQuery(text, null, 10), CancellationToken.None);

        Assert.Equal(expected, hits.Select(h => h.Entity.Key.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_full_name_typed_exactly_still_ranks_its_entity_first()
    {
        var store = NewStore();
        var people = new[]
        {
            TestGraphs.Entity("person-1", EntityKind.Person, "Camille Torvena"),
            TestGraphs.Entity("person-2", EntityKind.Person, "Camille Torvenas") with
            {
                Description = new LocalizedText("Camille Torvena, Camille Torvena, Camille Torvena.", "Camille Torvena."),
            },
        };
        await store.ImportAsync(new GraphImport([TestGraphs.TestSource], TestGraphs.Stream(people), TestGraphs.Stream<Relationship>([])), CancellationToken.None);

        var hits = await store.SearchAsync(new SearchQuery("camille torvena", null, 10), CancellationToken.None);

        Assert.Equal(["person-1", "person-2"], hits.Select(h => h.Entity.Key.Value));
        Assert.True(hits[0].Score > hits[1].Score + 50);
    }

    [Fact]
    public async Task An_unreadable_database_file_reports_unhealthy_rather_than_throwing()
    {
        var path = Path.Combine(_directory.Path, "data");
        Directory.CreateDirectory(path);
        await File.WriteAllTextAsync(Path.Combine(path, "graph.db"), "this is not a database, just text long enough to have a header");
        var store = NewStore();

        var health = await store.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.IsHealthy);
        Assert.Contains("SQLite", health.Description, StringComparison.Ordinal);
    }

    private SqliteGraphStore NewStore() =>
        new(new SqliteStoreOptions { DataDirectory = Path.Combine(_directory.Path, "data"), FileName = "graph.db" });

    private static void EditJson(string directory, string file, Action<JsonArray> edit)
    {
        var path = Path.Combine(directory, file);
        var array = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        edit(array);
        File.WriteAllText(path, array.ToJsonString());
    }
}
