using KnowledgeGraph.Domain;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// The hot reads keep their statements prepared, and SQLite must not compile them again when only the values change:
/// a statement whose plan depends on a bound value (a LIMIT parameter over the FTS5 subquery did) is prepared anew on
/// every run, which cost a search most of its time. SQLite counts those re-preparations per statement.
/// </summary>
public sealed class SqliteCompiledOnceTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-compiled-once");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    // The path search reads the revision, then walks the shape kept in memory; with none kept, it reads its hops.
    [Theory]
    [InlineData(50_000)]
    [InlineData(0)]
    public async Task Every_hot_read_runs_again_with_other_values_without_being_compiled_again(int topologyLimit)
    {
        using var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = $"graph-{topologyLimit}.db", PathTopologyLimit = topologyLimit });
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        var none = CancellationToken.None;

        // One call at a time, so every statement lives on the one kept connection; each read twice, with other values.
        var hits = new List<int>();
        foreach (var (text, kinds, first) in new[] { ("telegramme", (EntityKind[]?)null, 10), ("signal", [EntityKind.App], 5), ("whats", null, 10) })
        {
            hits.Add((await store.SearchAsync(new SearchQuery(text, kinds, first), none)).Count);
        }

        foreach (var keys in new[] { new[] { "whatsapp" }, ["telegram", "signal"] })
        {
            var entities = await store.GetEntitiesAsync([.. keys.Select(k => new EntityKey(k))], none);
            var relationships = await store.GetRelationshipsOfAsync([.. entities.Keys], RelationshipFilter.All, none);
            await store.GetRelationshipsAsync([.. relationships.Values.SelectMany(r => r).Select(r => r.Key)], none);
        }

        foreach (var (from, to) in new[] { ("elon-musk", "whatsapp"), ("telegram", "signal") })
        {
            await store.FindShortestPathsAsync(new PathQuery(new EntityKey(from), new EntityKey(to), 4, null), none);
        }

        var connection = Assert.Single(store.HotReads!.IdleConnections);
        var kept = Statements(connection).ToDictionary(s => s.Sql, s => (s.Runs, s.Reprepares));
        string[] hotReads =
        [
            SqliteSql.Search(30), SqliteSql.EntitiesByKeys, SqliteSql.RelationshipsFrom, SqliteSql.RelationshipsTo,
            SqliteSql.RelationshipsByKeys, topologyLimit == 0 ? SqliteSql.NeighbourhoodLinks : SqliteSql.CurrentRevision,
        ];

        Assert.All(hits, count => Assert.True(count > 0, "every search above finds something"));
        Assert.All(hotReads, sql =>
        {
            Assert.True(kept.TryGetValue(sql, out var counters), $"kept on the connection: {sql}");
            Assert.True(counters.Runs >= 2, $"{counters.Runs} runs of {sql}");
            Assert.True(counters.Reprepares == 0, $"compiled again {counters.Reprepares} times in {counters.Runs} runs: {sql}");
        });
    }

    [Fact]
    public void The_search_text_is_one_per_power_of_two_of_rows_and_reads_at_least_as_many()
    {
        Assert.Same(SqliteSql.Search(1), SqliteSql.Search(32));
        Assert.NotSame(SqliteSql.Search(32), SqliteSql.Search(33));
        Assert.Same(SqliteSql.Search(33), SqliteSql.Search(64));
        Assert.EndsWith("LIMIT 64", SqliteSql.Search(40).TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith($"LIMIT {int.MaxValue}", SqliteSql.Search(int.MaxValue).TrimEnd(), StringComparison.Ordinal);
    }

    // SQLite's own list of a connection's statements, FTS5's internal ones included (the wrapper lists only those it
    // prepared itself, and only when asked before they were).
    private static List<(string Sql, int Runs, int Reprepares)> Statements(SqliteConnection connection) =>
    [
        .. SqliteIntrospection.Statements(connection.Handle!.DangerousGetHandle()).Select(statement => (
            SqliteIntrospection.Sql(statement),
            SqliteIntrospection.Status(statement, SqliteIntrospection.RunCounter),
            SqliteIntrospection.Status(statement, SqliteIntrospection.ReprepareCounter))),
    ];
}
