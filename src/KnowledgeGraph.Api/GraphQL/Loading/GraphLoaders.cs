using System.Collections.Concurrent;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Loading;

/// <summary>
/// The batch loaders of one request (a scoped service). Every store read a resolver makes goes through one of these,
/// so a level of the query costs one store call per loader, whatever the number of parents.
/// </summary>
public sealed class GraphLoaders(IGraphStore store) : IDisposable
{
    private readonly ConcurrentDictionary<(RelationshipDirection, string, string), BatchLoader<EntityKey, IReadOnlyList<Relationship>>> _relationshipsOf = new();
    private readonly ConcurrentDictionary<string, BatchLoader<EntityKey, IReadOnlyList<Observation>>> _observationsOf = new(StringComparer.Ordinal);

    public IGraphStore Store => store;

    public BatchLoader<EntityKey, Entity> Entities { get; } = new(store.GetEntitiesAsync);

    public BatchLoader<string, Relationship> Relationships { get; } = new(store.GetRelationshipsAsync);

    public BatchLoader<string, Observation> Observations { get; } = new(store.GetObservationsAsync);

    public BatchLoader<string, Quote> Quotes { get; } = new(store.GetQuotesAsync);

    public BatchLoader<EntityKey, IReadOnlyList<Quote>> QuotesOf { get; } = new(store.GetQuotesOfAsync);

    public BatchLoader<string, Source> Sources { get; } = new(store.GetSourcesAsync);

    public BatchLoader<string, Claim> Claims { get; } = new(store.GetClaimsAsync);

    /// <summary>The claims about each entity, by key: one store call for every entity of a level.</summary>
    public BatchLoader<EntityKey, IReadOnlyList<Claim>> ClaimsAbout { get; } = new(async (keys, ct) =>
    {
        var claims = await store.QueryClaimsAsync(keys, ct);
        return keys.ToDictionary(k => k, k => (IReadOnlyList<Claim>)claims.Where(c => c.About.Contains(k)).ToList());
    });

    /// <summary>The loader of relationships for one direction and set of types: parents asking the same share a batch.</summary>
    public BatchLoader<EntityKey, IReadOnlyList<Relationship>> RelationshipsOf(RelationshipFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var types = filter.Types is null || filter.Types.Count == 0
            ? string.Empty
            : string.Join(',', filter.Types.Distinct().Order());
        return _relationshipsOf.GetOrAdd(
            (filter.Direction, types, filter.Node?.ToString() ?? string.Empty),
            _ => new BatchLoader<EntityKey, IReadOnlyList<Relationship>>((keys, ct) => store.GetRelationshipsOfAsync(keys, filter, ct)));
    }

    public void Dispose()
    {
        Entities.Dispose();
        Relationships.Dispose();
        Observations.Dispose();
        Quotes.Dispose();
        QuotesOf.Dispose();
        Sources.Dispose();
        Claims.Dispose();
        ClaimsAbout.Dispose();
        foreach (var loader in _relationshipsOf.Values)
        {
            loader.Dispose();
        }

        foreach (var loader in _observationsOf.Values)
        {
            loader.Dispose();
        }
    }

    public BatchLoader<EntityKey, IReadOnlyList<Observation>> ObservationsOf(string? metric) =>
        _observationsOf.GetOrAdd(
            metric ?? string.Empty,
            _ => new BatchLoader<EntityKey, IReadOnlyList<Observation>>((keys, ct) => store.GetObservationsOfAsync(keys, metric, ct)));
}
