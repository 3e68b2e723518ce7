using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>The kept-open connections of the hot reads: their prepared statements see later writes, and few wait idle.</summary>
public sealed class SqliteStatementCacheTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-statements");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_statement_kept_prepared_reads_what_was_written_after_it_was_prepared()
    {
        await ExecuteAsync("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1);");
        using var cache = new SqliteStatementCache(OpenAsync);

        var before = await CountAsync(cache);
        await ExecuteAsync("INSERT INTO t VALUES (2), (3);");
        var after = await CountAsync(cache);

        Assert.Equal(1, cache.IdleCount);
        Assert.Equal((1L, 3L), (before, after));
    }

    [Fact]
    public async Task No_more_than_the_capacity_of_connections_wait_idle_after_a_burst()
    {
        await ExecuteAsync("CREATE TABLE t (v INTEGER);");
        using var cache = new SqliteStatementCache(OpenAsync);
        var leases = new List<SqliteStatementCache.Lease>();
        for (var i = 0; i < SqliteStatementCache.Capacity + 3; i++)
        {
            leases.Add(await cache.RentAsync(CancellationToken.None));
        }

        foreach (var lease in leases)
        {
            await lease.DisposeAsync();
        }

        Assert.Equal(SqliteStatementCache.Capacity, cache.IdleCount);
        Assert.Equal(0L, await CountAsync(cache));
    }

    private static async Task<long> CountAsync(SqliteStatementCache cache)
    {
        await using var lease = await cache.RentAsync(CancellationToken.None);
        using var rows = lease.Statements.Read("SELECT count(*) FROM t", CancellationToken.None);
        Assert.True(rows.Next());
        return rows.Row.GetInt64(0);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, "t.db")};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
