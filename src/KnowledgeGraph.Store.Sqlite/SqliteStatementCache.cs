using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Open connections for the hot reads, each keeping its prepared statements by SQL text so SQLite compiles a statement once per
/// connection instead of on every call (the compiling was 6-7 % of a request's CPU). A connection is rented for one
/// store call and handed back; at most <see cref="Capacity"/> wait idle, the rest are closed. Only fixed SQL texts go
/// through <see cref="SqliteStatements.Read"/>; generated ones (filters) would fill it with texts used once.
/// </summary>
internal sealed class SqliteStatementCache(Func<CancellationToken, Task<SqliteConnection>> open) : IDisposable
{
    /// <summary>Idle connections kept open: enough for every core's concurrent store calls.</summary>
    public static readonly int Capacity = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly ConcurrentQueue<SqliteStatements> _idle = new();
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>Connections waiting idle now.</summary>
    public int IdleCount => Volatile.Read(ref _idleCount);

    /// <summary>The connections waiting idle now, to look at their statements; not to be used while they wait.</summary>
    public IReadOnlyList<SqliteConnection> IdleConnections => [.. _idle.Select(s => s.Connection)];

    /// <summary>A connection with its prepared statements, for one store call; dispose the lease to hand it back.</summary>
    public async ValueTask<Lease> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryDequeue(out var statements))
        {
            Interlocked.Decrement(ref _idleCount);
            return new Lease(this, statements);
        }

        return new Lease(this, new SqliteStatements(await open(cancellationToken)));
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var statements))
        {
            statements.Dispose();
        }
    }

    private void Return(SqliteStatements statements)
    {
        if (!_disposed && statements.Connection.State == System.Data.ConnectionState.Open)
        {
            if (Interlocked.Increment(ref _idleCount) <= Capacity)
            {
                _idle.Enqueue(statements);
                if (_disposed)
                {
                    Dispose();
                }

                return;
            }

            Interlocked.Decrement(ref _idleCount);
        }

        statements.Dispose();
    }

    /// <summary>One rented connection; disposing it hands the connection back (or closes it).</summary>
    public readonly struct Lease(SqliteStatementCache owner, SqliteStatements statements) : IAsyncDisposable
    {
        public SqliteStatements Statements => statements;

        public SqliteConnection Connection => statements.Connection;

        public ValueTask DisposeAsync()
        {
            owner.Return(statements);
            return default;
        }
    }
}

/// <summary>One open connection and the statements prepared on it, by SQL text. Not thread-safe: one call at a time.</summary>
internal sealed class SqliteStatements(SqliteConnection connection) : IDisposable
{
    // Fixed texts only, so this stays small; the bound is a guard against a text built per call slipping in.
    private const int MaxStatements = 32;

    private readonly Dictionary<string, SqlitePreparedRead> _reads = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    /// <summary>
    /// The rows of a fixed SQL text with these parameter values, read from its statement prepared on this connection
    /// (<see cref="SqlitePreparedRead"/>). Dispose the cursor before the next call with the same text.
    /// </summary>
    public SqlitePreparedRead.Cursor Read(string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_reads.TryGetValue(sql, out var read))
        {
            if (_reads.Count >= MaxStatements)
            {
                DisposeReads();
            }

            read = SqlitePreparedRead.Prepare(connection, sql);
            _reads[sql] = read;
        }

        return read.Run(parameters, cancellationToken);
    }

    public void Dispose()
    {
        // A statement SQLite still holds keeps its connection from closing: they go first.
        DisposeReads();
        connection.Dispose();
    }

    private void DisposeReads()
    {
        foreach (var read in _reads.Values)
        {
            read.Dispose();
        }

        _reads.Clear();
    }
}
