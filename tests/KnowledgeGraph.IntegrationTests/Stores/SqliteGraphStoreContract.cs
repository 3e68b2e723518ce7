using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>The contract against the embedded store, always: a fresh database file per test.</summary>
public sealed class SqliteGraphStoreContract : GraphStoreContract, IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-contract");

    protected override Task<IGraphStore> CreateStoreAsync() =>
        Task.FromResult<IGraphStore>(new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = Path.Combine(_directory.Path, "data"), FileName = "graph.db" }));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
