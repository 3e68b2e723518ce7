using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using KnowledgeGraph.Domain;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Writes records one by one inside a caller's transaction, with each statement prepared once: upserts by key (the
/// entity's search row with it), deletes, snapshots for comparison, and history rows. Shared by seeding and writes.
/// It names no column of a record: <see cref="SqliteRows"/> maps each record to its parameters and back.
/// </summary>
internal sealed class SqliteRecordWriter(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public Task UpsertAsync(Source s, string origin, CancellationToken cancellationToken) =>
        RunAsync(SqliteSql.UpsertSource, cancellationToken, SqliteRows.SourceRow(s, origin));

    public async Task UpsertAsync(Entity e, string origin, CancellationToken cancellationToken)
    {
        var id = await Prepare(SqliteSql.UpsertEntity, SqliteRows.EntityRow(e, origin)).ExecuteScalarAsync(cancellationToken);
        await RunAsync(SqliteSql.DeleteSearchRow, cancellationToken, ("$id", id));
        await RunAsync(SqliteSql.InsertSearchRow, cancellationToken, ("$id", id));
    }

    public Task UpsertAsync(Relationship r, string origin, CancellationToken cancellationToken) =>
        RunAsync(SqliteSql.UpsertRelationship, cancellationToken, SqliteRows.RelationshipRow(r, origin));

    public Task UpsertAsync(Observation o, string origin, CancellationToken cancellationToken) =>
        RunAsync(SqliteSql.UpsertObservation, cancellationToken, SqliteRows.ObservationRow(o, origin));

    public Task UpsertAsync(Claim c, string origin, CancellationToken cancellationToken) =>
        RunAsync(SqliteSql.UpsertClaim, cancellationToken, SqliteRows.ClaimRow(c, origin));

    public Task UpsertAsync(Quote q, string origin, CancellationToken cancellationToken) =>
        RunAsync(SqliteSql.UpsertQuote, cancellationToken, SqliteRows.QuoteRow(q, origin));

    /// <summary>The record as it stands, or null when there is none.</summary>
    public async Task<object?> ReadAsync(RecordType type, string key, CancellationToken cancellationToken)
    {
        var (sql, read) = type switch
        {
            RecordType.Source => (SqliteSql.SourceSnapshotRow, (Func<DbDataReader, object>)SqliteRows.ReadSource),
            RecordType.Entity => (SqliteSql.EntitySnapshotRow, SqliteRows.ReadEntity),
            RecordType.Relationship => (SqliteSql.RelationshipSnapshotRow, SqliteRows.ReadRelationship),
            RecordType.Observation => (SqliteSql.ObservationSnapshotRow, SqliteRows.ReadObservation),
            RecordType.Claim => (SqliteSql.ClaimSnapshotRow, SqliteRows.ReadClaim),
            _ => (SqliteSql.QuoteSnapshotRow, (Func<DbDataReader, object>)SqliteRows.ReadQuote),
        };
        var command = Prepare(sql, ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    /// <summary>Every live record with a citation of the source.</summary>
    public async Task<List<object>> CitingRecordsAsync(string source, CancellationToken cancellationToken)
    {
        var records = new List<object>();
        foreach (var (sql, read) in new (string, Func<DbDataReader, object>)[]
        {
            (SqliteSql.EntitiesCiting, SqliteRows.ReadEntity),
            (SqliteSql.RelationshipsCiting, SqliteRows.ReadRelationship),
            (SqliteSql.ObservationsCiting, SqliteRows.ReadObservation),
            (SqliteSql.QuotesCiting, SqliteRows.ReadQuote),
            (SqliteSql.ClaimsCiting, SqliteRows.ReadClaim),
        })
        {
            await using var reader = await Prepare(sql, ("$key", source)).ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(read(reader));
            }
        }

        return records;
    }

    public Task UpsertAsync(object record, string origin, CancellationToken cancellationToken) => record switch
    {
        Source s => UpsertAsync(s, origin, cancellationToken),
        Entity e => UpsertAsync(e, origin, cancellationToken),
        Relationship r => UpsertAsync(r, origin, cancellationToken),
        Observation o => UpsertAsync(o, origin, cancellationToken),
        Quote q => UpsertAsync(q, origin, cancellationToken),
        Claim c => UpsertAsync(c, origin, cancellationToken),
        _ => throw new ArgumentException($"A {record.GetType().Name} is not a record of the graph.", nameof(record)),
    };

    public async Task DeleteAsync(RecordType type, string key, CancellationToken cancellationToken)
    {
        var sql = type switch
        {
            RecordType.Source => SqliteSql.DeleteSource,
            RecordType.Entity => SqliteSql.DeleteEntity,
            RecordType.Relationship => SqliteSql.DeleteRelationship,
            RecordType.Observation => SqliteSql.DeleteObservation,
            RecordType.Claim => SqliteSql.DeleteClaim,
            _ => SqliteSql.DeleteQuote,
        };
        if (type != RecordType.Entity)
        {
            await RunAsync(sql, cancellationToken, ("$key", key));
            return;
        }

        var id = await Prepare(sql, ("$key", key)).ExecuteScalarAsync(cancellationToken);
        if (id is not null)
        {
            await RunAsync(SqliteSql.DeleteSearchRow, cancellationToken, ("$id", id));
        }
    }

    public async Task<List<(RecordType Type, string Key)>> DependentsOfEntityAsync(string key, CancellationToken cancellationToken)
    {
        var command = Prepare(SqliteSql.DependentsOfEntity, ("$key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var dependents = new List<(RecordType, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            dependents.Add((Enum.Parse<RecordType>(reader.GetString(0)), reader.GetString(1)));
        }

        return dependents;
    }

    public async Task<bool> WasRetractedAsync(RecordType type, string key, CancellationToken cancellationToken) =>
        Convert.ToInt64(
            await Prepare(SqliteSql.WasRetracted, ("$record_type", type.ToString()), ("$record_key", key)).ExecuteScalarAsync(cancellationToken),
            CultureInfo.InvariantCulture) != 0;

    public async Task<long> NextRevisionAsync(CancellationToken cancellationToken) =>
        Convert.ToInt64(await Prepare(SqliteSql.NextRevision).ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

    public Task AddHistoryAsync(HistoryEntry entry, CancellationToken cancellationToken) =>
        RunAsync(SqliteSql.InsertHistory, cancellationToken, ("$record_type", entry.Type.ToString()), ("$record_key", entry.Key),
            ("$outcome", entry.Outcome.ToString()), ("$actor", entry.Actor), ("$at", entry.At.ToString("O", CultureInfo.InvariantCulture)),
            ("$reason", entry.Reason), ("$snapshot", entry.Snapshot), ("$revision", entry.Revision));

    public async Task RunAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await Prepare(sql, parameters).ExecuteNonQueryAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
    }

    private SqliteCommand Prepare(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            _commands[sql] = command;
        }

        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }
}
