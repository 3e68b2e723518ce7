using System.Data.Common;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// The columns of the row a read stands on, by ordinal, as <see cref="SqliteRows"/> reads them. Two kinds of row
/// implement it: a <see cref="DbDataReader"/>'s (every read but the hot ones) and a statement's own
/// (<see cref="SqlitePreparedRead"/>). The mapping is written once, generic over the row, so each kind gets its own
/// compiled copy without a virtual call per column.
/// </summary>
internal interface ISqliteRow
{
    bool IsNull(int ordinal);

    /// <summary>The column's text; a NULL is a broken row here (the column is declared NOT NULL).</summary>
    string GetString(int ordinal);

    string? GetStringOrNull(int ordinal);

    /// <summary>The column's text as its UTF-8 bytes (the JSON columns, which the parsers read as bytes).</summary>
    byte[] GetUtf8(int ordinal);

    double GetDouble(int ordinal);
}

/// <summary>A row of a <see cref="DbDataReader"/>.</summary>
internal readonly struct DataReaderRow(DbDataReader reader) : ISqliteRow
{
    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

    public string GetString(int ordinal) => reader.GetString(ordinal);

    public string? GetStringOrNull(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public byte[] GetUtf8(int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    public double GetDouble(int ordinal) => reader.GetDouble(ordinal);
}

/// <summary>
/// One fixed SQL text prepared on one connection, read straight from SQLite's statement: the hot reads (entities and
/// relationships by key, an entity's relationships, search, the path's hops). Through Microsoft.Data.Sqlite each
/// column read was three or four native calls, each taking and releasing the statement's handle and switching the
/// thread's GC mode: 10 % of the two-hop query's CPU for 13 columns a row. Here a column is one or two calls into
/// SQLite's column functions, which only read the row (<see cref="SqliteColumnCalls"/>). Binding, stepping and errors
/// go through SQLitePCLRaw, as Microsoft.Data.Sqlite's own do. Not thread-safe: one run at a time, on the connection's
/// lease.
/// </summary>
internal sealed class SqlitePreparedRead : IDisposable
{
    private const int RetryDelayMilliseconds = 10;

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private readonly string[] _parameters;
    private bool _running;
    private bool _stepped;
    private bool _done;
    private CancellationToken _cancellation;

    private SqlitePreparedRead(SqliteConnection connection, sqlite3_stmt statement, string sql)
    {
        _connection = connection;
        _statement = statement;
        Sql = sql;
        _parameters = new string[raw.sqlite3_bind_parameter_count(statement)];
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = raw.sqlite3_bind_parameter_name(statement, i + 1).utf8_to_string();
        }
    }

    public string Sql { get; }

    /// <summary>Compiles one statement of <paramref name="sql"/> on the open connection.</summary>
    public static SqlitePreparedRead Prepare(SqliteConnection connection, string sql)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement, out var tail);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        if (statement is null || statement.IsInvalid)
        {
            throw new ArgumentException("A prepared read needs a statement; this text has none.", nameof(sql));
        }

        if (!string.IsNullOrWhiteSpace(tail))
        {
            statement.Dispose();
            throw new ArgumentException($"A prepared read is one statement; this text has more after it: '{tail.Trim()}'.", nameof(sql));
        }

        return new SqlitePreparedRead(connection, statement, sql);
    }

    /// <summary>
    /// Runs the statement with these values for its parameters (by name; every parameter needs one, null for NULL).
    /// Dispose the cursor to end the run: that resets the statement, which ends its read transaction.
    /// </summary>
    public Cursor Run(ReadOnlySpan<(string Name, object? Value)> values, CancellationToken cancellationToken)
    {
        if (_running)
        {
            throw new InvalidOperationException($"The statement is still being read by another run: {Sql}");
        }

        raw.sqlite3_reset(_statement);
        for (var i = 0; i < _parameters.Length; i++)
        {
            Bind(i + 1, _parameters[i], values);
        }

        _running = true;
        _stepped = false;
        _done = false;
        _cancellation = cancellationToken;
        return new Cursor(this);
    }

    public void Dispose() => _statement.Dispose();

    private void Bind(int index, string name, ReadOnlySpan<(string Name, object? Value)> values)
    {
        foreach (var (candidate, value) in values)
        {
            if (candidate == name)
            {
                var rc = value switch
                {
                    null or DBNull => raw.sqlite3_bind_null(_statement, index),
                    string text => raw.sqlite3_bind_text(_statement, index, text),
                    int number => raw.sqlite3_bind_int64(_statement, index, number),
                    long number => raw.sqlite3_bind_int64(_statement, index, number),
                    double number => raw.sqlite3_bind_double(_statement, index, number),
                    _ => throw new ArgumentException($"Parameter {name}: a {value.GetType().Name} is not bound by prepared reads (text, integers, reals, null).", nameof(values)),
                };
                if (rc != raw.SQLITE_OK)
                {
                    SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
                }

                return;
            }
        }

        throw new ArgumentException($"No value given for parameter {name} of: {Sql}", nameof(values));
    }

    private void End()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
        _cancellation = default;
        _running = false;
    }

    /// <summary>Moves the run to its next row; false once there is none.</summary>
    private bool Step()
    {
        if (_done)
        {
            return false;
        }

        _cancellation.ThrowIfCancellationRequested();
        var rc = raw.sqlite3_step(_statement);
        if (!_stepped && IsBusy(rc))
        {
            rc = RetryWhileBusy(rc);
        }

        _stepped = true;
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        _done = true;
        if (rc != raw.SQLITE_DONE)
        {
            // The error's message is the connection's until the statement is reset.
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }

        return false;
    }

    private static bool IsBusy(int rc) => (rc & 0xFF) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;

    // A writer's lock at the run's start (rare in WAL mode: a checkpoint, a recovery) is waited out up to the
    // connection's timeout, as Microsoft.Data.Sqlite waits for its commands.
    private int RetryWhileBusy(int rc)
    {
        var deadline = Environment.TickCount64 + (_connection.DefaultTimeout * 1000L);
        while (IsBusy(rc) && Environment.TickCount64 < deadline)
        {
            _cancellation.ThrowIfCancellationRequested();
            raw.sqlite3_reset(_statement);
            Thread.Sleep(RetryDelayMilliseconds);
            rc = raw.sqlite3_step(_statement);
        }

        return rc;
    }

    /// <summary>The rows of one run, in order; a row is valid until the next <see cref="Next"/>. Dispose it to end the run.</summary>
    public readonly struct Cursor(SqlitePreparedRead read) : IDisposable
    {
        /// <summary>The row the cursor stands on, after <see cref="Next"/> answered true.</summary>
        public StatementRow Row => new(read._statement.DangerousGetHandle());

        /// <summary>Moves to the next row; false once there is none.</summary>
        public bool Next() => read.Step();

        public void Dispose() => read.End();
    }
}

/// <summary>The row a statement stands on, read with <see cref="SqliteColumnCalls"/>. Valid until the statement steps again.</summary>
internal readonly struct StatementRow(nint statement) : ISqliteRow
{
    public bool IsNull(int ordinal) => SqliteColumnCalls.Type(statement, ordinal) == raw.SQLITE_NULL;

    public string GetString(int ordinal) => GetStringOrNull(ordinal) ?? throw NullColumn(ordinal);

    public string? GetStringOrNull(int ordinal)
    {
        // sqlite3_column_text first, then sqlite3_column_bytes: the length of the text as it now is (SQLite's order).
        var text = SqliteColumnCalls.Text(statement, ordinal);
        if (text == 0)
        {
            ThrowUnlessNull(ordinal);
            return null;
        }

        var length = SqliteColumnCalls.Bytes(statement, ordinal);
        return length == 0 ? string.Empty : Marshal.PtrToStringUTF8(text, length);
    }

    public byte[] GetUtf8(int ordinal)
    {
        var text = SqliteColumnCalls.Text(statement, ordinal);
        if (text == 0)
        {
            ThrowUnlessNull(ordinal);
            throw NullColumn(ordinal);
        }

        var bytes = new byte[SqliteColumnCalls.Bytes(statement, ordinal)];
        Marshal.Copy(text, bytes, 0, bytes.Length);
        return bytes;
    }

    public double GetDouble(int ordinal) => SqliteColumnCalls.Double(statement, ordinal);

    public long GetInt64(int ordinal) => SqliteColumnCalls.Int64(statement, ordinal);

    private static InvalidDataException NullColumn(int ordinal) =>
        new($"Column {ordinal} of a stored row is NULL, where the store always writes a value.");

    // A NULL pointer is a NULL value, or SQLite out of memory converting the value to text.
    private void ThrowUnlessNull(int ordinal)
    {
        if (SqliteColumnCalls.Type(statement, ordinal) != raw.SQLITE_NULL)
        {
            throw new SqliteException("SQLite ran out of memory reading a column.", raw.SQLITE_NOMEM);
        }
    }
}

/// <summary>
/// SQLite's column functions, called straight on the library Microsoft.Data.Sqlite loads (SQLitePCLRaw's provider
/// imports the same "e_sqlite3"). They only read the current row, never block on another thread (the store's
/// connections are used by one thread at a time) and never call back into .NET, so the thread stays in its managed GC
/// mode across the call (<see cref="SuppressGCTransitionAttribute"/>), which is most of a call's cost for so short a
/// function.
/// </summary>
internal static class SqliteColumnCalls
{
    private const string Library = "e_sqlite3";

    [DllImport(Library, EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    public static extern int Type(nint statement, int ordinal);

    [DllImport(Library, EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    public static extern nint Text(nint statement, int ordinal);

    [DllImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    public static extern int Bytes(nint statement, int ordinal);

    [DllImport(Library, EntryPoint = "sqlite3_column_double")]
    [SuppressGCTransition]
    public static extern double Double(nint statement, int ordinal);

    [DllImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static extern long Int64(nint statement, int ordinal);
}
