using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// SQLite's threading mode for this process. Its default, serialized, takes a connection's mutex on every call, each
/// column of each row read included (3-4 % of a query's CPU). This store never uses one connection from two threads at
/// once: every call opens or leases its own, and its commands are disposed with it. So it asks for the multi-thread
/// mode, which drops those per-connection mutexes and keeps SQLite's own (the page cache, memory). SQLite takes the
/// mode only before its first connection; if one was opened already, it stays serialized, which is safe as well.
/// </summary>
internal static class SqliteThreading
{
    /// <summary>Whether the process runs SQLite in its multi-thread mode (set once, on first use).</summary>
    public static bool MultiThread { get; } = Configure();

    /// <summary>Sets the mode once, before the first connection this store opens.</summary>
    public static void EnsureConfigured() => _ = MultiThread;

    private static bool Configure()
    {
        // Microsoft.Data.Sqlite chooses the native library in its connection's static constructor.
        RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
        return raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK;
    }
}
