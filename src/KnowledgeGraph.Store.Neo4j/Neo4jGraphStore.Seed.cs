using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j.Transport;
using Microsoft.Extensions.Logging;

namespace KnowledgeGraph.Store.Neo4j;

// The schema first (schema commands cannot share a transaction with data), then the whole seed in one explicit
// transaction: a failure anywhere rolls all of it back. A seed whose content hash is already recorded is skipped.
// Seed records carry origin 'seed'; a changed seed removes only those, never what partners wrote.
public sealed partial class Neo4jGraphStore
{
    /// <summary>How long the seed's transaction may take, all statements and the commit together.</summary>
    public TimeSpan SeedTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public async Task<SeedApplication> ApplySeedAsync(LoadedSeed seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var applied = SeedApplication.Of(seed, changed: true);

        foreach (var statement in Neo4jCypher.Schema)
        {
            await runner.RunAsync(statement.Bind(), cancellationToken);
        }

        await runner.RunAsync(Neo4jCypher.AwaitIndexes.Bind(("seconds", (long)Math.Ceiling(IndexWait.TotalSeconds))), cancellationToken);

        var recorded = await runner.RunAsync(Neo4jCypher.SeedHash.Bind(), cancellationToken);
        if (recorded.Records.Count == 1 && recorded.Records[0].Get<string?>("contentHash") == seed.ContentHash)
        {
            SeedUnchanged(_logger, seed.ContentHash);
            return applied with { Changed = false };
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SeedTimeout);
        try
        {
            await using var transaction = await runner.BeginTransactionAsync(timeout.Token);
            foreach (var statement in SeedStatements(seed))
            {
                await transaction.RunAsync(statement, timeout.Token);
            }

            await transaction.CommitAsync(timeout.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"The graph store did not take the seed within {SeedTimeout}; nothing of it was written.", exception);
        }

        SeedWritten(_logger, seed.ContentHash, applied.Entities, applied.Relationships);
        return applied;
    }

    /// <summary>The statements of the seed's transaction, in order; rows are sorted by key so the same seed sends the same text.</summary>
    internal static IReadOnlyList<CypherStatement> SeedStatements(LoadedSeed seed)
    {
        var graph = seed.Graph;
        var relationships = graph.Relationships.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        const string origin = Neo4jRecords.SeedOrigin;
        return
        [
            // The graph's write lock first, as every write takes it: seed and writes never interleave or deadlock. A seed
            // written changes the graph, so it moves the revision as a write does (cached responses key on it).
            Neo4jCypher.LockRevision.Bind(("increment", 1L)),
            Neo4jCypher.PruneSeed.Bind(
                ("entityKeys", SortedKeys(graph.Entities.Select(e => e.Key.Value))),
                ("types", AllTypes),
                ("relationshipSignatures", relationships.Select(Neo4jRecords.Signature).ToList()),
                ("relationshipKeys", relationships.Select(r => r.Key).ToList()),
                ("observationKeys", SortedKeys(graph.Observations.Select(o => o.Key))),
                ("quoteKeys", SortedKeys(graph.Quotes.Select(q => q.Key))),
                ("claimKeys", SortedKeys(graph.Claims.Select(c => c.Key))),
                ("sourceKeys", SortedKeys(graph.Sources.Select(s => s.Key)))),
            Neo4jCypher.MergeSources.Bind(("rows", graph.Sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => Neo4jRecords.SourceRow(s, origin)).ToList())),
            Neo4jCypher.MergeEntities.Bind(("rows", graph.Entities.OrderBy(e => e.Key.Value, StringComparer.Ordinal).Select(e => Neo4jRecords.EntityRow(e, origin)).ToList())),
            Neo4jCypher.MergeRelationships.Bind(("rows", relationships.Select(r => Neo4jRecords.RelationshipRow(r, origin)).ToList())),
            Neo4jCypher.MergeObservations.Bind(("rows", graph.Observations.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => Neo4jRecords.ObservationRow(o, origin)).ToList())),
            Neo4jCypher.MergeQuotes.Bind(("rows", graph.Quotes.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => Neo4jRecords.QuoteRow(q, origin)).ToList())),
            Neo4jCypher.MergeClaims.Bind(("rows", graph.Claims.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => Neo4jRecords.ClaimRow(c, origin)).ToList())),
            Neo4jCypher.RecordSeed.Bind(("contentHash", seed.ContentHash)),
        ];
    }

    private static List<string> SortedKeys(IEnumerable<string> keys) => keys.Order(StringComparer.Ordinal).ToList();

    [LoggerMessage(Level = LogLevel.Information, Message = "Neo4j already holds seed {ContentHash}; nothing written")]
    private static partial void SeedUnchanged(ILogger logger, string contentHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Neo4j seeded with {ContentHash}: {Entities} entities, {Relationships} relationships")]
    private static partial void SeedWritten(ILogger logger, string contentHash, int entities, int relationships);
}
