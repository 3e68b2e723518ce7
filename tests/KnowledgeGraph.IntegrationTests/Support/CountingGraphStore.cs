using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>The real store, with a count of the calls made through the port (not a mock: every call reaches the store).</summary>
public sealed class CountingGraphStore(IGraphStore inner) : IGraphStore
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void Reset() => Interlocked.Exchange(ref _calls, 0);

    public Task<SeedApplication> ApplySeedAsync(LoadedSeed seed, CancellationToken cancellationToken) => inner.ApplySeedAsync(seed, cancellationToken);

    public Task<WriteReceipt> WriteAsync(GraphWrite write, WriteActor actor, CancellationToken cancellationToken) =>
        Count(inner.WriteAsync(write, actor, cancellationToken));

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(RecordType type, string key, CancellationToken cancellationToken) =>
        Count(inner.GetHistoryAsync(type, key, cancellationToken));

    // Not counted: the response cache reads the revision on a timer of its own, not for the query under test.
    public Task<long> GetRevisionAsync(CancellationToken cancellationToken) => inner.GetRevisionAsync(cancellationToken);

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

    public Task<IReadOnlyDictionary<EntityKey, Entity>> GetEntitiesAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken) =>
        Count(inner.GetEntitiesAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<string, Relationship>> GetRelationshipsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Count(inner.GetRelationshipsAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<string, Observation>> GetObservationsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Count(inner.GetObservationsAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<string, Quote>> GetQuotesAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Count(inner.GetQuotesAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Relationship>>> GetRelationshipsOfAsync(IReadOnlyCollection<EntityKey> entities, RelationshipFilter filter, CancellationToken cancellationToken) =>
        Count(inner.GetRelationshipsOfAsync(entities, filter, cancellationToken));

    public Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Observation>>> GetObservationsOfAsync(IReadOnlyCollection<EntityKey> subjects, string? metric, CancellationToken cancellationToken) =>
        Count(inner.GetObservationsOfAsync(subjects, metric, cancellationToken));

    public Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Quote>>> GetQuotesOfAsync(IReadOnlyCollection<EntityKey> speakers, CancellationToken cancellationToken) =>
        Count(inner.GetQuotesOfAsync(speakers, cancellationToken));

    public Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(IReadOnlyCollection<string>? keys, CancellationToken cancellationToken) =>
        Count(inner.GetSourcesAsync(keys, cancellationToken));

    public Task<EntityPage> ListEntitiesAsync(EntityQuery query, CancellationToken cancellationToken) =>
        Count(inner.ListEntitiesAsync(query, cancellationToken));

    /// <summary>Awaited before each search reaches the store, to hold searches in flight (it gets the call's cancellation).</summary>
    public Func<CancellationToken, Task>? BeforeSearch { get; set; }

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken) =>
        Count(SearchAfterGateAsync(query, cancellationToken));

    public Task<IReadOnlyList<GraphPath>> FindShortestPathsAsync(PathQuery query, CancellationToken cancellationToken) =>
        Count(inner.FindShortestPathsAsync(query, cancellationToken));

    public Task<IReadOnlyList<Observation>> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken) =>
        Count(inner.QueryObservationsAsync(query, cancellationToken));

    public Task<IReadOnlyList<Quote>> QueryQuotesAsync(EntityKey? speaker, CancellationToken cancellationToken) =>
        Count(inner.QueryQuotesAsync(speaker, cancellationToken));

    public Task<IReadOnlyDictionary<string, Claim>> GetClaimsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        Count(inner.GetClaimsAsync(keys, cancellationToken));

    public Task<IReadOnlyList<Claim>> QueryClaimsAsync(IReadOnlyCollection<EntityKey>? about, CancellationToken cancellationToken) =>
        Count(inner.QueryClaimsAsync(about, cancellationToken));

    public Task<FactPage> ListFactsAsync(FactQuery query, CancellationToken cancellationToken) =>
        Count(inner.ListFactsAsync(query, cancellationToken));

    private async Task<IReadOnlyList<SearchHit>> SearchAfterGateAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        if (BeforeSearch is { } gate)
        {
            await gate(cancellationToken);
        }

        return await inner.SearchAsync(query, cancellationToken);
    }

    private Task<T> Count<T>(Task<T> call)
    {
        Interlocked.Increment(ref _calls);
        return call;
    }
}
