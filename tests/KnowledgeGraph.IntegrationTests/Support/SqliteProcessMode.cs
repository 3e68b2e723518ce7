using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using KnowledgeGraph.Store.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>
/// The API's store sets SQLite's threading mode before the process opens its first connection. Tests open connections
/// of their own too, in whatever order the runner picks, so this assembly sets it as it loads: every test runs SQLite
/// as the service does, and <c>SqliteThreadingTests</c> can hold the mode to what it must be.
/// </summary>
internal static class SqliteProcessMode
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly, loaded only by the test runner, sets the mode its service sets at startup.")]
    internal static void AsTheServiceRunsIt() => SqliteThreading.EnsureConfigured();
}
