using KnowledgeGraph.Benchmarks;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>The bidirectional path search gives exactly what the one-sided search gave: same paths, same order.</summary>
public sealed class SqliteShortestPathTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-paths");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Every_pair_of_seed_entities_gets_the_paths_the_one_sided_search_found()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        var store = NewStore("seed.db");
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
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_random_multigraph_with_many_equal_paths_gets_the_same_paths_up_to_the_limit(int seed)
    {
        var (entities, relationships) = TestGraphs.Random(120, 260, seed);
        var store = NewStore($"random-{seed}.db");
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

    private SqliteGraphStore NewStore(string file) =>
        new(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = file });
}
