using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KnowledgeGraph.Benchmarks;

/// <summary>
/// One statement prepared once on the connection's own SQLite handle and run once per row, its values bound to
/// <c>?1</c>, <c>?2</c>… in order: the bulk import's inner loop. There Microsoft.Data.Sqlite's work per execution (a
/// data reader, each parameter looked up by name and converted) costs more than SQLite's insert itself. It runs in
/// whatever transaction the connection has open; a failure throws the <see cref="SqliteException"/> a command would.
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public SqliteRowStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _database = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_database, sql, out _statement), _database);
    }

    /// <summary>
    /// Runs the statement with <paramref name="values"/>, texts already encoded as UTF-8 (null binds NULL), so that
    /// the thread that prepares rows does the encoding; returns the statement's single integer result, if it has one.
    /// </summary>
    public long? Run(ReadOnlySpan<byte[]?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var rc = values[i] is { } text ? raw.sqlite3_bind_text(_statement, i + 1, new ReadOnlySpan<byte>(text)) : raw.sqlite3_bind_null(_statement, i + 1);
            SqliteException.ThrowExceptionForRC(rc, _database);
        }

        return Step();
    }

    /// <summary>Runs the statement with one integer value.</summary>
    public long? Run(long value)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, 1, value), _database);
        return Step();
    }

    private long? Step()
    {
        try
        {
            long? result = null;
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
                result = raw.sqlite3_column_int64(_statement, 0);
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _database);
            }

            return result;
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();
}
