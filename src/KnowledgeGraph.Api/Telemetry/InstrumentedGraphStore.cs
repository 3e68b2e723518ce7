using System.Diagnostics;
using System.Runtime.CompilerServices;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.Telemetry;

/// <summary>Wraps the store with an activity and a duration measurement per call; it changes nothing else.</summary>
public sealed class InstrumentedGraphStore(IGraphStore inner, string provider) : IGraphStore
{
    public Task<SeedApplication> ApplySeedAsync(LoadedSeed seed, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.ApplySeedAsync(seed, cancellationToken));

    public Task<WriteReceipt> WriteAsync(GraphWrite write, WriteActor actor, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.WriteAsync(write, actor, cancellationToken));

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(RecordType type, string key, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetHistoryAsync(type, key, cancellationToken));

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetRevisionAsync(cancellationToken));

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);

    public Task<IReadOnlyDictionary<EntityKey, Entity>> GetEntitiesAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetEntitiesAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<string, Relationship>> GetRelationshipsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetRelationshipsAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<string, Observation>> GetObservationsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetObservationsAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<string, Quote>> GetQuotesAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetQuotesAsync(keys, cancellationToken));

    public Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Relationship>>> GetRelationshipsOfAsync(IReadOnlyCollection<EntityKey> entities, RelationshipFilter filter, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetRelationshipsOfAsync(entities, filter, cancellationToken));

    public Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Observation>>> GetObservationsOfAsync(IReadOnlyCollection<EntityKey> subjects, string? metric, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetObservationsOfAsync(subjects, metric, cancellationToken));

    public Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Quote>>> GetQuotesOfAsync(IReadOnlyCollection<EntityKey> speakers, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetQuotesOfAsync(speakers, cancellationToken));

    public Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(IReadOnlyCollection<string>? keys, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetSourcesAsync(keys, cancellationToken));

    public Task<EntityPage> ListEntitiesAsync(EntityQuery query, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.ListEntitiesAsync(query, cancellationToken));

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.SearchAsync(query, cancellationToken));

    public Task<IReadOnlyList<GraphPath>> FindShortestPathsAsync(PathQuery query, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.FindShortestPathsAsync(query, cancellationToken));

    public Task<IReadOnlyList<Observation>> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.QueryObservationsAsync(query, cancellationToken));

    public Task<IReadOnlyList<Quote>> QueryQuotesAsync(EntityKey? speaker, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.QueryQuotesAsync(speaker, cancellationToken));

    public Task<IReadOnlyDictionary<string, Claim>> GetClaimsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.GetClaimsAsync(keys, cancellationToken));

    public Task<IReadOnlyList<Claim>> QueryClaimsAsync(IReadOnlyCollection<EntityKey>? about, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.QueryClaimsAsync(about, cancellationToken));

    public Task<FactPage> ListFactsAsync(FactQuery query, CancellationToken cancellationToken) =>
        MeasureAsync(() => inner.ListFactsAsync(query, cancellationToken));

    private async Task<T> MeasureAsync<T>(Func<Task<T>> call, [CallerMemberName] string method = "")
    {
        using var activity = KnowledgeGraphTelemetry.ActivitySource.StartActivity($"store {method}", ActivityKind.Client);
        activity?.SetTag("kg.store.method", method);
        activity?.SetTag("kg.store.provider", provider);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await call();
            KnowledgeGraphTelemetry.RecordStoreCall(method, Stopwatch.GetElapsedTime(started), null);
            return result;
        }
        catch (Exception exception)
        {
            KnowledgeGraphTelemetry.RecordStoreCall(method, Stopwatch.GetElapsedTime(started), exception.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
    }
}
