using KnowledgeGraph.Domain;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// The store runs SQLite in its multi-thread mode (<see cref="SqliteThreading"/>): a connection takes no mutex of its
/// own, so the store must never use one connection from two threads at once. These tests hold both: the mode is what
/// SQLite reports for the store's connections, and many readers beside a writer get the answers one reader gets.
/// </summary>
public sealed class SqliteThreadingTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-threading");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_stores_connections_take_no_mutex_of_their_own()
    {
        using var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = "mode.db" });
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        await store.GetEntitiesAsync([new EntityKey("whatsapp")], CancellationToken.None);

        Assert.True(SqliteThreading.MultiThread, "SQLite refused the multi-thread mode: a connection was opened before the store set it");
        var connection = Assert.Single(store.HotReads!.IdleConnections);
        Assert.Equal(nint.Zero, SqliteIntrospection.Mutex(connection.Handle!.DangerousGetHandle()));

        // The control: a connection that asks for a mutex of its own has one, so the check above can tell them apart.
        var rc = raw.sqlite3_open_v2(Path.Combine(_directory.Path, "mode.db"), out var serialized, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_FULLMUTEX, null);
        using (serialized)
        {
            Assert.Equal(raw.SQLITE_OK, rc);
            Assert.NotEqual(nint.Zero, SqliteIntrospection.Mutex(serialized.DangerousGetHandle()));
        }
    }

    [Fact]
    public async Task Eight_readers_beside_a_writer_each_get_what_one_reader_gets()
    {
        using var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = "readers.db" });
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        var expected = await ReadAllAsync(store);
        Assert.Contains("whatsapp", expected, StringComparison.Ordinal);

        // Writes of entities of their own, which none of the reads below can see, on the write connection meanwhile.
        using var reading = new CancellationTokenSource();
        var actor = new WriteActor("test", "partner");
        var writes = Task.Run(async () =>
        {
            var written = 0;
            while (!reading.IsCancellationRequested && written < 500)
            {
                var entity = TestGraphs.Entity($"threading-{written:D3}");
                await store.WriteAsync(new GraphWrite([TestGraphs.TestSource], [entity], [], [], [], []), actor, CancellationToken.None);
                written++;
            }

            return written;
        });
        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var answers = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                answers.Add(await ReadAllAsync(store));
            }

            return answers;
        })).ToList();
        var answered = (await Task.WhenAll(readers)).SelectMany(a => a).ToList();
        await reading.CancelAsync();
        var written = await writes;

        Assert.Equal(320, answered.Count);
        Assert.All(answered, answer => Assert.Equal(expected, answer));
        Assert.True(written > 0, "the writer wrote nothing beside the readers");
        var keys = Enumerable.Range(0, written).Select(i => new EntityKey($"threading-{i:D3}")).ToList();
        Assert.Equal(written, (await store.GetEntitiesAsync(keys, CancellationToken.None)).Count);
    }

    // The seed's reads the API makes most: entities, their relationships, a search and a path, as one text.
    private static async Task<string> ReadAllAsync(SqliteGraphStore store)
    {
        var none = CancellationToken.None;
        var entities = await store.GetEntitiesAsync([new EntityKey("whatsapp"), new EntityKey("telegram"), new EntityKey("signal")], none);
        var relationships = await store.GetRelationshipsOfAsync([.. entities.Keys], RelationshipFilter.All, none);
        var hits = await store.SearchAsync(new SearchQuery("telegramme", null, 10), none);
        var paths = await store.FindShortestPathsAsync(new PathQuery(new EntityKey("elon-musk"), new EntityKey("whatsapp"), 4, null), none);
        return string.Join(
            "\n",
            string.Join(' ', entities.Values.Select(e => $"{e.Key.Value}:{e.Name}").Order(StringComparer.Ordinal)),
            string.Join(' ', relationships.SelectMany(r => r.Value.Select(x => $"{r.Key.Value}/{x.Key}/{x.Citations.Count}")).Order(StringComparer.Ordinal)),
            string.Join(' ', hits.Select(h => h.Entity.Key.Value)),
            string.Join(" ; ", paths.Select(p => string.Join(' ', p.Steps.Select(s => s.Relationship.Key)))));
    }
}
