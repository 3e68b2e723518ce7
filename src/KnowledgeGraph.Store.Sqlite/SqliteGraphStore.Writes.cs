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
            var state = await ReadStateAsync(writer, write, cancellationToken);
            var plan = WritePlan.Make(write, actor, DateTimeOffset.UtcNow, revision, state);
            if (!plan.ChangesAnything)
            {
                // Nothing changed: the revision is not spent, so caches keyed on it stay valid.
                await transaction.RollbackAsync(cancellationToken);
                return new WriteReceipt(plan.Results, await GetRevisionAsync(connection, cancellationToken));
            }

            foreach (var record in plan.Upserted)
            {
                await writer.UpsertAsync(record, WriteOrigin, cancellationToken);
            }

            foreach (var (type, key) in plan.Deletions)
            {
                await writer.DeleteAsync(type, key, cancellationToken);
            }

            foreach (var entry in plan.History)
            {
                await writer.AddHistoryAsync(entry, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return new WriteReceipt(plan.Results, revision);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: a record the write refers to went away between validation and commit.
            throw new WriteValidationException([new WriteProblem("input", WritePlan.StaleReference)]);
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

    /// <summary>Reads, inside the write's transaction, what Core's <see cref="WritePlan"/> decides the write against.</summary>
    private static async Task<WriteState> ReadStateAsync(SqliteRecordWriter writer, GraphWrite write, CancellationToken cancellationToken)
    {
        var reads = WriteReads.Of(write);
        var state = new WriteState();
        async Task ReadAsync(RecordType type, IEnumerable<string> keys)
        {
            foreach (var key in keys)
            {
                if (await writer.ReadAsync(type, key, cancellationToken) is { } record)
                {
                    state.Add(record);
                }
            }
        }

        await ReadAsync(RecordType.Source, reads.SourceKeys);
        await ReadAsync(RecordType.Entity, reads.EntityKeys);
        await ReadAsync(RecordType.Relationship, reads.RelationshipKeys);
        await ReadAsync(RecordType.Observation, reads.ObservationKeys);
        await ReadAsync(RecordType.Quote, reads.QuoteKeys);
        await ReadAsync(RecordType.Claim, reads.ClaimKeys);
        foreach (var entity in reads.RetractedEntities)
        {
            foreach (var (type, key) in await writer.DependentsOfEntityAsync(entity, cancellationToken))
            {
                await ReadAsync(type, [key]);
            }
        }

        foreach (var retraction in reads.Retractions)
        {
            if (await writer.WasRetractedAsync(retraction.Type, retraction.Key, cancellationToken))
            {
                state.AddRetracted(retraction.Type, retraction.Key);
            }
        }

        foreach (var source in WritePlan.SourcesToCheck(write, state))
        {
            foreach (var record in await writer.CitingRecordsAsync(source, cancellationToken))
            {
                state.Add(record);
            }
        }

        return state;
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

        foreach (var c in graph.Claims)
        {
            await writer.UpsertAsync(c, SeedOrigin, cancellationToken);
        }

        var entityKeys = SqliteJson.WriteStrings(graph.Entities.Select(e => e.Key.Value));
        await writer.RunAsync(SqliteSql.DeleteClaimsNotIn, cancellationToken, ("$keys", SqliteJson.WriteStrings(graph.Claims.Select(c => c.Key))));
        await writer.RunAsync(SqliteSql.DeleteQuotesNotIn, cancellationToken, ("$keys", SqliteJson.WriteStrings(graph.Quotes.Select(q => q.Key))));
        await writer.RunAsync(SqliteSql.DeleteObservationsNotIn, cancellationToken, ("$keys", SqliteJson.WriteStrings(graph.Observations.Select(o => o.Key))));
        await writer.RunAsync(SqliteSql.DeleteRelationshipsNotIn, cancellationToken, ("$keys", SqliteJson.WriteStrings(graph.Relationships.Select(r => r.Key))));
        await writer.RunAsync(SqliteSql.DeleteEntitiesNotIn, cancellationToken, ("$keys", entityKeys));
        await writer.RunAsync(SqliteSql.DeleteOrphanSearchRows, cancellationToken);
        await writer.RunAsync(SqliteSql.DeleteSourcesNotIn, cancellationToken, ("$keys", SqliteJson.WriteStrings(graph.Sources.Select(s => s.Key))));
    }
}
