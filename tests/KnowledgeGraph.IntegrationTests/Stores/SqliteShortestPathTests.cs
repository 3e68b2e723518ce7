using KnowledgeGraph.Benchmarks;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// The bidirectional path search gives exactly what the one-sided search gave: same paths, same order, whether it
/// walks the graph's shape kept in memory (the default) or reads every hop from SQLite (a limit of 0, or a graph
/// larger than the limit); and the shape it keeps follows every write.
/// </summary>
public sealed class SqliteShortestPathTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-paths");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(0)]
    public async Task Every_pair_of_seed_entities_gets_the_paths_the_one_sided_search_found(int topologyLimit)
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        using var store = NewStore("seed.db", topologyLimit);
        await store.ApplySeedAsync(seed, CancellationToken.None);
        var keys = seed.Graph.Entities.Select(e => e.Key).ToList();

        var compared = 0;
        foreach (var from in keys)
        {
            foreach (var to in keys)
            {
                foreach (var (hops, limit, types) in new[] { (4, 10, (RelationshipType[]?)null), (2, 1, null), (5, 3, null), (4, 10, [RelationshipType.CompetesWith, RelationshipType.AvailableOn, RelationshipType.Owns]) })
                {
                    var query = new PathQuery(from, to, hops, types, limit);
                    AssertSamePaths(TestGraphs.ReferenceShortestPaths(seed.Graph.Relationships, query), await store.FindShortestPathsAsync(query, CancellationToken.None), query);
                    compared++;
                }
            }
        }

        Assert.Equal(keys.Count * keys.Count * 4, compared);
        Assert.Equal(topologyLimit == 0 ? null : seed.Graph.Relationships.Count, store.PathTopology?.Relationships);
    }

    [Theory]
    [InlineData(1, 50_000)]
    [InlineData(2, 50_000)]
    [InlineData(3, 50_000)]
    [InlineData(1, 259)]
    [InlineData(2, 0)]
    public async Task A_random_multigraph_with_many_equal_paths_gets_the_same_paths_up_to_the_limit(int seed, int topologyLimit)
    {
        var (entities, relationships) = TestGraphs.Random(120, 260, seed);
        using var store = NewStore($"random-{seed}.db", topologyLimit);
        await store.ImportAsync(new GraphImport([TestGraphs.TestSource], TestGraphs.Stream(entities), TestGraphs.Stream(relationships)), CancellationToken.None);
        var random = new Random(seed);

        var nonEmpty = 0;
        for (var i = 0; i < 150; i++)
        {
            var query = new PathQuery(
                entities[random.Next(entities.Count)].Key,
                entities[random.Next(entities.Count)].Key,
                1 + random.Next(6),
                random.Next(4) == 0 ? [RelationshipType.CompetesWith] : null,
                1 + random.Next(12));
            var expected = TestGraphs.ReferenceShortestPaths(relationships, query);
            AssertSamePaths(expected, await store.FindShortestPathsAsync(query, CancellationToken.None), query);
            nonEmpty += expected.Count > 0 ? 1 : 0;
        }

        Assert.True(nonEmpty > 50, $"only {nonEmpty} queries had paths; the graph does not exercise the search");

        // 260 relationships: kept under a limit of at least that many, read hop by hop from SQLite under 259.
        Assert.Equal(topologyLimit >= relationships.Count ? relationships.Count : null, store.PathTopology?.Relationships);
    }

    [Fact]
    public async Task The_shape_kept_in_memory_follows_every_write_and_retraction()
    {
        using var store = NewStore("writes.db", 50_000);
        var chain = new[] { "a", "b", "c", "d" }.Select(k => TestGraphs.Entity(k)).ToList();
        await store.ImportAsync(
            new GraphImport([TestGraphs.TestSource], TestGraphs.Stream(chain), TestGraphs.Stream(new[] { TestGraphs.Relationship("a", "b"), TestGraphs.Relationship("b", "c"), TestGraphs.Relationship("c", "d") })),
            CancellationToken.None);
        var actor = new WriteActor("test", "partner");
        var query = new PathQuery(new EntityKey("a"), new EntityKey("d"), 4, null, 10);

        Assert.Equal([3], (await store.FindShortestPathsAsync(query, CancellationToken.None)).Select(p => p.Steps.Count));
        var before = Assert.IsType<SqlitePathTopology>(store.PathTopology);

        // A shortcut: the next search walks it, from a shape read again at the write's revision.
        var shortcut = TestGraphs.Relationship("a", "d", RelationshipType.Owns);
        var written = await store.WriteAsync(new GraphWrite([TestGraphs.TestSource], [], [shortcut], [], [], []), actor, CancellationToken.None);
        var paths = await store.FindShortestPathsAsync(query, CancellationToken.None);
        Assert.Equal([shortcut.Key], paths.Select(p => Assert.Single(p.Steps).Relationship.Key));
        Assert.Equal(written.Revision, store.PathTopology?.Revision);
        Assert.True(store.PathTopology!.Revision > before.Revision);

        // Only the types asked for are walked, in memory as in SQL.
        RelationshipType[] owns = [RelationshipType.Owns];
        Assert.Equal([shortcut.Key], (await store.FindShortestPathsAsync(new PathQuery(new EntityKey("a"), new EntityKey("d"), 4, owns), CancellationToken.None)).Select(p => Assert.Single(p.Steps).Relationship.Key));
        Assert.Empty(await store.FindShortestPathsAsync(new PathQuery(new EntityKey("b"), new EntityKey("d"), 4, owns), CancellationToken.None));
        Assert.Equal(
            ["a-competeswith-b a-owns-d", "b-competeswith-c c-competeswith-d"],
            (await store.FindShortestPathsAsync(new PathQuery(new EntityKey("b"), new EntityKey("d"), 4, null), CancellationToken.None)).Select(p => string.Join(' ', p.Steps.Select(s => s.Relationship.Key))));

        // Retracted, the shortcut is gone, and so is the path it made.
        await store.WriteAsync(GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Relationship, shortcut.Key, "test")] }, actor, CancellationToken.None);
        Assert.Equal([3], (await store.FindShortestPathsAsync(query, CancellationToken.None)).Select(p => p.Steps.Count));
        Assert.Equal(3, store.PathTopology?.Relationships);
    }

    [Fact]
    public async Task Searches_beside_writes_each_answer_the_graph_before_or_after_a_write()
    {
        using var store = NewStore("beside-writes.db", 50_000);
        await store.ImportAsync(
            new GraphImport(
                [TestGraphs.TestSource],
                TestGraphs.Stream(new[] { "a", "b", "c", "d" }.Select(k => TestGraphs.Entity(k))),
                TestGraphs.Stream(new[] { TestGraphs.Relationship("a", "b"), TestGraphs.Relationship("b", "c"), TestGraphs.Relationship("c", "d") })),
            CancellationToken.None);
        var actor = new WriteActor("test", "partner");
        var query = new PathQuery(new EntityKey("a"), new EntityKey("d"), 4, null, 10);
        const string chain = "a-competeswith-b c-competeswith-d b-competeswith-c";

        // A shortcut written and retracted twenty times, while three searches run as fast as they can.
        using var writing = new CancellationTokenSource();
        var searching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        var writes = Task.Run(async () =>
        {
            await searching.Task;
            for (var i = 0; i < 20; i++)
            {
                var shortcut = TestGraphs.Relationship("a", "d", RelationshipType.Owns, $"shortcut-{i:D2}");
                await store.WriteAsync(new GraphWrite([TestGraphs.TestSource], [], [shortcut], [], [], []), actor, CancellationToken.None);
                await store.WriteAsync(GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Relationship, shortcut.Key, "test")] }, actor, CancellationToken.None);
            }

            await writing.CancelAsync();
        });
        var searches = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var answers = new List<string>();
            for (var i = 0; i < 200_000 && !writing.IsCancellationRequested; i++)
            {
                var paths = await store.FindShortestPathsAsync(query, CancellationToken.None);
                answers.Add(string.Join(" ; ", paths.Select(p => string.Join(" ", p.Steps.Select(s => s.Relationship.Key).Order(StringComparer.Ordinal)))));
                if (i == 0 && Interlocked.Increment(ref started) == 3)
                {
                    searching.SetResult();
                }
            }

            return answers;
        })).ToList();
        await writes;
        var answered = (await Task.WhenAll(searches)).SelectMany(a => a).ToList();

        // Each answer is the chain alone (no shortcut then) or one shortcut alone: never none, never a mix.
        Assert.True(answered.Count > 3, $"{answered.Count} searches ran beside the writes");
        Assert.True(answered.Any(answer => answer.StartsWith("shortcut-", StringComparison.Ordinal)), $"{answered.Count}: {string.Join(", ", answered.Distinct())}");
        Assert.All(answered, answer => Assert.True(
            answer == string.Join(" ", chain.Split(' ').Order(StringComparer.Ordinal)) || System.Text.RegularExpressions.Regex.IsMatch(answer, "^shortcut-[0-9]{2}$"),
            $"answered '{answer}'"));
        Assert.Equal([3], (await store.FindShortestPathsAsync(query, CancellationToken.None)).Select(p => p.Steps.Count));
    }

    private static void AssertSamePaths(IReadOnlyList<GraphPath> expected, IReadOnlyList<GraphPath> actual, PathQuery query)
    {
        static string Show(IReadOnlyList<GraphPath> paths) =>
            string.Join(" ; ", paths.Select(p => string.Join(" ", p.Steps.Select(s => $"{s.From}-[{s.Relationship.Key}]->{s.To}"))));

        Assert.True(
            Show(expected) == Show(actual),
            $"{query.From} to {query.To} in {query.MaxHops} hops, limit {query.Limit}:\nexpected {Show(expected)}\nactual   {Show(actual)}");

        // The relationships come back whole: type, properties and citations, not just their keys.
        static IEnumerable<object> Whole(IReadOnlyList<GraphPath> paths) => paths.SelectMany(p => p.Steps).Select(s => (object)(
            s.Relationship with { Citations = [] }, string.Join(",", s.Relationship.Citations)));
        Assert.Equal(Whole(expected), Whole(actual));
    }

    private SqliteGraphStore NewStore(string file, int topologyLimit) =>
        new(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = file, PathTopologyLimit = topologyLimit });
}
