using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Writes;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

// Seeding and partners' writes. Both run in one transaction each, so a failure part-way leaves the graph as it was.
public sealed partial class SqliteGraphStore
{
    private const string SeedOrigin = "seed";
    private const string WriteOrigin = "write";

    // One writer at a time in this process; BEGIN IMMEDIATE orders writers of other processes on the same file.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // A store started without its seed (Store:SeedOnStart=false) has no tables until something creates them.
    private bool _schemaEnsured;

    public async Task<WriteReceipt> WriteAsync(GraphWrite write, WriteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(actor);
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            if (!_schemaEnsured)
            {
                await ExecuteAsync(connection, null, SqliteSql.CreateSchema, cancellationToken);
                _schemaEnsured = true;
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            await using var writer = new SqliteRecordWriter(connection, transaction);
            var revision = await writer.NextRevisionAsync(cancellationToken);
            var at = DateTimeOffset.UtcNow;
            var results = new List<WriteResult>();

            async Task UpsertAsync(RecordType type, string key, object record, Func<Task> upsert)
            {
                var before = await writer.SnapshotAsync(type, key, cancellationToken);
                var after = SqliteJson.Snapshot(record);
                if (string.Equals(before, after, StringComparison.Ordinal))
                {
                    results.Add(new WriteResult(type, key, WriteOutcome.Unchanged));
                    return;
                }

                await upsert();
                var outcome = before is null ? WriteOutcome.Created : WriteOutcome.Updated;
                await writer.AddHistoryAsync(new HistoryEntry(type, key, outcome, actor.Id, at, null, after, revision), cancellationToken);
                results.Add(new WriteResult(type, key, outcome));
            }

            foreach (var s in write.Sources)
            {
                await UpsertAsync(RecordType.Source, s.Key, s, () => writer.UpsertAsync(s, WriteOrigin, cancellationToken));
            }

            foreach (var e in write.Entities)
            {
                await UpsertAsync(RecordType.Entity, e.Key.Value, e, () => writer.UpsertAsync(e, WriteOrigin, cancellationToken));
            }

            foreach (var r in write.Relationships)
            {
                await UpsertAsync(RecordType.Relationship, r.Key, r, () => writer.UpsertAsync(r, WriteOrigin, cancellationToken));
            }

            foreach (var o in write.Observations)
            {
                await UpsertAsync(RecordType.Observation, o.Key, o, () => writer.UpsertAsync(o, WriteOrigin, cancellationToken));
            }

            foreach (var q in write.Quotes)
            {
                await UpsertAsync(RecordType.Quote, q.Key, q, () => writer.UpsertAsync(q, WriteOrigin, cancellationToken));
            }

            for (var i = 0; i < write.Retractions.Count; i++)
            {
                await RetractAsync(writer, write.Retractions[i], $"retractions[{i}]", actor, at, revision, results, cancellationToken);
            }

            if (results.TrueForAll(r => r.Outcome == WriteOutcome.Unchanged))
            {
                // Nothing changed: the revision is not spent, so caches keyed on it stay valid.
                await transaction.RollbackAsync(cancellationToken);
                return new WriteReceipt(results, await GetRevisionAsync(connection, cancellationToken));
            }

            await transaction.CommitAsync(cancellationToken);
            return new WriteReceipt(results, revision);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: a record the write refers to went away between validation and commit.
            throw new WriteValidationException([new WriteProblem("input", "the write refers to a record that no longer exists; read again and retry")]);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(RecordType type, string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, SqliteSql.HistoryOf, ("$record_type", type.ToString()), ("$record_key", key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<HistoryEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new HistoryEntry(
                Enum.Parse<RecordType>(reader.GetString(0)),
                reader.GetString(1),
                Enum.Parse<WriteOutcome>(reader.GetString(2)),
                reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6),
                reader.GetInt64(7)));
        }

        return entries;
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetRevisionAsync(connection, cancellationToken);
    }

    private static async Task<long> GetRevisionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, SqliteSql.CurrentRevision);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task RetractAsync(
        SqliteRecordWriter writer,
        Retraction retraction,
        string path,
        WriteActor actor,
        DateTimeOffset at,
        long revision,
        List<WriteResult> results,
        CancellationToken cancellationToken)
    {
        var before = await writer.SnapshotAsync(retraction.Type, retraction.Key, cancellationToken);
        if (before is null)
        {
            if (await writer.WasRetractedAsync(retraction.Type, retraction.Key, cancellationToken))
            {
                results.Add(new WriteResult(retraction.Type, retraction.Key, WriteOutcome.Unchanged));
                return;
            }

            throw new WriteValidationException([new WriteProblem(path + ".key", $"no {retraction.Type.ToString().ToLowerInvariant()} has the key '{retraction.Key}'")]);
        }

        if (retraction.Type == RecordType.Source)
        {
            var citings = await writer.CitingsOfSourceAsync(retraction.Key, cancellationToken);
            if (citings > 0)
            {
                throw new WriteValidationException([new WriteProblem(path + ".key", $"source '{retraction.Key}' is still cited {citings} times; retract or re-cite those facts first")]);
            }
        }

        if (retraction.Type == RecordType.Entity)
        {
            // Facts about a withdrawn entity go with it, each kept in its own history.
            foreach (var (type, key) in await writer.DependentsOfEntityAsync(retraction.Key, cancellationToken))
            {
                var snapshot = await writer.SnapshotAsync(type, key, cancellationToken);
                if (snapshot is null)
                {
                    continue;
                }

                await writer.DeleteAsync(type, key, cancellationToken);
                var reason = $"retracted with entity '{retraction.Key}': {retraction.Reason}";
                await writer.AddHistoryAsync(new HistoryEntry(type, key, WriteOutcome.Retracted, actor.Id, at, reason, snapshot, revision), cancellationToken);
                results.Add(new WriteResult(type, key, WriteOutcome.Retracted));
            }
        }

        await writer.DeleteAsync(retraction.Type, retraction.Key, cancellationToken);
        await writer.AddHistoryAsync(new HistoryEntry(retraction.Type, retraction.Key, WriteOutcome.Retracted, actor.Id, at, retraction.Reason, before, revision), cancellationToken);
        results.Add(new WriteResult(retraction.Type, retraction.Key, WriteOutcome.Retracted));
    }

    private static async Task WriteGraphAsync(SqliteConnection connection, SqliteTransaction transaction, GraphSnapshot graph, CancellationToken cancellationToken)
    {
        await using var writer = new SqliteRecordWriter(connection, transaction);
        foreach (var s in graph.Sources)
        {
            await writer.UpsertAsync(s, SeedOrigin, cancellationToken);
        }

        foreach (var e in graph.Entities)
        {
            await writer.UpsertAsync(e, SeedOrigin, cancellationToken);
        }

        foreach (var r in graph.Relationships)
        {
            await writer.UpsertAsync(r, SeedOrigin, cancellationToken);
        }

        foreach (var o in graph.Observations)
        {
            await writer.UpsertAsync(o, SeedOrigin, cancellationToken);
        }

        foreach (var q in graph.Quotes)
        {
            await writer.UpsertAsync(q, SeedOrigin, cancellationToken);
        }

        var entityKeys = SqliteJson.Write(graph.Entities.Select(e => e.Key.Value));
        await writer.RunAsync(SqliteSql.DeleteQuotesNotIn, cancellationToken, ("$keys", SqliteJson.Write(graph.Quotes.Select(q => q.Key))));
        await writer.RunAsync(SqliteSql.DeleteObservationsNotIn, cancellationToken, ("$keys", SqliteJson.Write(graph.Observations.Select(o => o.Key))));
        await writer.RunAsync(SqliteSql.DeleteRelationshipsNotIn, cancellationToken, ("$keys", SqliteJson.Write(graph.Relationships.Select(r => r.Key))));
        await writer.RunAsync(SqliteSql.DeleteEntitiesNotIn, cancellationToken, ("$keys", entityKeys));
        await writer.RunAsync(SqliteSql.DeleteOrphanSearchRows, cancellationToken);
        await writer.RunAsync(SqliteSql.DeleteSourcesNotIn, cancellationToken, ("$keys", SqliteJson.Write(graph.Sources.Select(s => s.Key))));
    }
}
