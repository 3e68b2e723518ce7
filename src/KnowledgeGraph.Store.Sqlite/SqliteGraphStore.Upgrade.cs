using System.Globalization;
using KnowledgeGraph.Storage;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

// A file made by an earlier version of the schema is brought up to the current one the first time this store opens
// it, before anything reads or writes it. CreateSchema only adds what is missing ("IF NOT EXISTS"), so a changed
// table needs a step of its own here.
public sealed partial class SqliteGraphStore
{
    private readonly SemaphoreSlim _layoutGate = new(1, 1);
    private volatile bool _layoutCurrent;

    /// <summary>
    /// Upgrades a version 1 file (entities without an id, search rows keyed by an unindexed key column) in one
    /// transaction: entities are copied into the current table, numbered in their order, and every search row is
    /// rebuilt keyed by that id. Does nothing to a current file or one without tables. Other processes keep reading
    /// the old layout until it commits; one that upgrades at the same moment waits, then finds nothing left to do.
    /// </summary>
    internal async Task EnsureCurrentLayoutAsync(CancellationToken cancellationToken)
    {
        if (_layoutCurrent)
        {
            return;
        }

        await _layoutGate.WaitAsync(cancellationToken);
        try
        {
            if (_layoutCurrent)
            {
                return;
            }

            // Foreign keys can only be switched off outside a transaction, so the upgrade has a connection of its
            // own, never pooled, whose settings die with it.
            await using var connection = new SqliteConnection(_importConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                RegisterFunctions(connection);
            }
            catch (SqliteException exception)
            {
                throw new StoreUnavailableException("The embedded SQLite store cannot be opened.", exception);
            }

            if (await IsVersion1Async(connection, null, cancellationToken))
            {
                await UpgradeFromVersion1Async(connection, cancellationToken);
            }

            foreach (var (version, applies, sql) in SqliteSql.LayoutSteps)
            {
                if (await IsTrueAsync(connection, null, applies, cancellationToken))
                {
                    await RunLayoutStepAsync(connection, version, applies, sql, cancellationToken);
                }
            }

            await EnsureNameFoldAsync(connection, cancellationToken);

            _layoutCurrent = true;
        }
        finally
        {
            _layoutGate.Release();
        }
    }

    private static async Task UpgradeFromVersion1Async(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, SqliteSql.ForeignKeysOff, cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (!await IsVersion1Async(connection, transaction, cancellationToken))
        {
            return;
        }

        await ExecuteAsync(connection, transaction, SqliteSql.UpgradeFromVersion1, cancellationToken);
        await using (var check = Command(connection, SqliteSql.ForeignKeyCheck))
        {
            check.Transaction = transaction;
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidDataException(
                    $"The SQLite store was not upgraded: a row of '{reader.GetString(0)}' points at '{reader.GetString(2)}', which holds nothing it could point at.");
            }
        }

        await WriteMetaAsync(connection, transaction, SchemaVersionMeta, SqliteSql.SchemaVersion.ToString(CultureInfo.InvariantCulture), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Builds the indexes of folded names (<see cref="SqliteSql.EntitiesByFoldEnIndex"/>) in a file made before them,
    /// or rebuilds them in one whose names another <see cref="TextFold.Version"/> folded, in one transaction: an index
    /// of names folded otherwise than <c>kg_fold</c> now folds them would answer name conditions wrongly.
    /// </summary>
    private static async Task EnsureNameFoldAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (!await IsTrueAsync(connection, null, SqliteSql.HasEntitiesTable, cancellationToken)
            || await IsTrueAsync(connection, null, SqliteSql.NameFoldIsCurrent, cancellationToken))
        {
            return;
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        if (await IsTrueAsync(connection, transaction, SqliteSql.NameFoldIsCurrent, cancellationToken))
        {
            return;
        }

        await ExecuteAsync(connection, transaction, SqliteSql.RebuildNameFoldIndexes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Runs one of <see cref="SqliteSql.LayoutSteps"/> in one transaction, checking again inside it that the file still
    /// needs it (another process may have upgraded it meanwhile), and records <paramref name="version"/>. Version 3
    /// rebuilt relationships and observations with their provenance and date columns (existing facts read as STATED,
    /// their dates as stated, as they were) and made the claims table; version 4 gave sources their retrieval date.
    /// </summary>
    private static async Task RunLayoutStepAsync(SqliteConnection connection, int version, string applies, string sql, CancellationToken cancellationToken)
    {
        await using var transaction = connection.BeginTransaction(deferred: false);
        if (!await IsTrueAsync(connection, transaction, applies, cancellationToken))
        {
            return;
        }

        await ExecuteAsync(connection, transaction, sql, cancellationToken);
        await WriteMetaAsync(connection, transaction, SchemaVersionMeta, version.ToString(CultureInfo.InvariantCulture), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<bool> IsTrueAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }

    private static async Task<bool> IsVersion1Async(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, SqliteSql.IsVersion1Layout);
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
    }
}
