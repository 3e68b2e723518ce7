using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j.Transport;
using KnowledgeGraph.Writes;
using Microsoft.Extensions.Logging;

namespace KnowledgeGraph.Store.Neo4j;

// Partners' writes, all-or-nothing in one explicit transaction: take the graph's write lock (the revision counter),
// read every record the write touches (Core's WriteReads) in one statement, let Core's WritePlan decide, then send
// the changed records, the removals and the history in batched statements. A refused write or a failure rolls it all back.
public sealed partial class Neo4jGraphStore
{
    /// <summary>How long a write's transaction may take, waiting for the write lock included.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock history entries are stamped with.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public async Task<WriteReceipt> WriteAsync(GraphWrite write, WriteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(actor);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(WriteTimeout);
        try
        {
            await using var transaction = await runner.BeginTransactionAsync(timeout.Token);
            var locked = await transaction.RunAsync(Neo4jCypher.LockRevision.Bind(("increment", 1L)), timeout.Token);
            var revision = locked.Records[0].Get<long>("revision");

            var state = new WriteState();
            var snapshots = await transaction.RunAsync(Neo4jWriteStatements.Snapshots(WriteReads.Of(write), AllTypes), timeout.Token);
            Neo4jWriteStatements.Read(snapshots.Records[0], state);
            var citedSources = WritePlan.SourcesToCheck(write, state).Select(Neo4jRecords.CitationPattern).ToList();
            if (citedSources.Count > 0)
            {
                var citing = await transaction.RunAsync(Neo4jCypher.CitingRecords.Bind(("patterns", citedSources), ("types", AllTypes)), timeout.Token);
                Neo4jWriteStatements.Read(citing.Records[0], state);
            }

            var plan = WritePlan.Make(write, actor, Clock.GetUtcNow(), revision, state);
            if (!plan.ChangesAnything)
            {
                // Nothing changed: the revision is not spent, so caches keyed on it stay valid.
                await transaction.RollbackAsync(timeout.Token);
                return new WriteReceipt(plan.Results, revision - 1);
            }

            foreach (var (statement, expected) in Neo4jWriteStatements.Apply(plan, AllTypes))
            {
                var result = await transaction.RunAsync(statement, timeout.Token);
                if (expected is { } rows && result.Records[0].Get<long>("written") != rows)
                {
                    throw Neo4jWriteStatements.StaleReferenceException();
                }
            }

            await transaction.CommitAsync(timeout.Token);
            WriteCommitted(_logger, actor.Id, revision, plan.History.Count);
            return new WriteReceipt(plan.Results, revision);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"The graph store did not take the write within {WriteTimeout}; nothing of it was written.", exception);
        }
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(RecordType type, string key, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Neo4jCypher.HistoryOf.Bind(("type", type.ToString()), ("key", key)), cancellationToken);
        return result.Records.Select(r => Neo4jWriteStatements.ToHistoryEntry(r.Get<CypherNode>("h"))).ToList();
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Neo4jCypher.Revision.Bind(), cancellationToken);
        return result.Records.Count == 0 ? 0 : result.Records[0].Get<long>("revision");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Neo4j write by {Actor} committed at revision {Revision}: {Changes} changes")]
    private static partial void WriteCommitted(ILogger logger, string actor, long revision, int changes);
}
