using System.Runtime.InteropServices;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>
/// SQLite's own view of a connection and its statements, asked of the library the store loads: which statements a
/// connection holds (Microsoft.Data.Sqlite lists only those it prepared itself), their text and counters, whether one
/// is mid-run, and whether a connection has a mutex.
/// </summary>
internal static class SqliteIntrospection
{
    public const int ReprepareCounter = 5; // SQLITE_STMTSTATUS_REPREPARE
    public const int RunCounter = 6; // SQLITE_STMTSTATUS_RUN

    /// <summary>The statements of a connection, by SQLite's handles, in its order.</summary>
    public static IEnumerable<nint> Statements(nint db)
    {
        for (var statement = NextStatement(db, 0); statement != 0; statement = NextStatement(db, statement))
        {
            yield return statement;
        }
    }

    public static string Sql(nint statement) => Marshal.PtrToStringUTF8(StatementSql(statement)) ?? "";

    public static int Status(nint statement, int counter) => StatementStatus(statement, counter, 0);

    /// <summary>Whether the statement has stepped and not been reset since: it holds its read transaction.</summary>
    public static bool Busy(nint statement) => StatementBusy(statement) != 0;

    /// <summary>The connection's own mutex: none in the single-thread and multi-thread modes.</summary>
    public static nint Mutex(nint db) => DbMutex(db);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_next_stmt")]
    private static extern nint NextStatement(nint db, nint statement);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_sql")]
    private static extern nint StatementSql(nint statement);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_stmt_status")]
    private static extern int StatementStatus(nint statement, int counter, int reset);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_stmt_busy")]
    private static extern int StatementBusy(nint statement);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_db_mutex")]
    private static extern nint DbMutex(nint db);
}
