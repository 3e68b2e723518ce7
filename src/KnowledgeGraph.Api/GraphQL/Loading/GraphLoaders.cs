using System.Collections.Concurrent;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Loading;

/// <summary>
/// The batch loaders of one request (a scoped service). Every store read a resolver makes goes through one of these,
/// so a level of the query costs one store call per loader, whatever the number of parents. Each loader is made when a
/// resolver first asks for it: a point lookup uses one of the ten, and made all at once they were a seventh of what
/// such a request allocates.
/// </summary>
public sealed class GraphLoaders(IGraphStore store) : IDisposable
{
    private ConcurrentDictionary<(RelationshipDirection, string, string), BatchLoader<EntityKey, IReadOnlyList<Relationship>>>? _relationshipsOf;
    private ConcurrentDictionary<string, BatchLoader<EntityKey, IReadOnlyList<Observation>>>? _observationsOf;
    private BatchLoader<EntityKey, Entity>? _entities;
    private BatchLoader<string, Relationship>? _relationships;
    private BatchLoader<string, Observation>? _observations;
    private BatchLoader<string, Quote>? _quotes;
    private BatchLoader<EntityKey, IReadOnlyList<Quote>>? _quotesOf;
    private BatchLoader<string, Source>? _sources;
    private BatchLoader<string, Claim>? _claims;
    private BatchLoader<EntityKey, IReadOnlyList<Claim>>? _claimsAbout;

    public IGraphStore Store => store;

    public BatchLoader<EntityKey, Entity> Entities => _entities ?? Made(ref _entities, store.GetEntitiesAsync);

    public BatchLoader<string, Relationship> Relationships => _relationships ?? Made(ref _relationships, store.GetRelationshipsAsync);

    public BatchLoader<string, Observation> Observations => _observations ?? Made(ref _observations, store.GetObservationsAsync);

    public BatchLoader<string, Quote> Quotes => _quotes ?? Made(ref _quotes, store.GetQuotesAsync);

    public BatchLoader<EntityKey, IReadOnlyList<Quote>> QuotesOf => _quotesOf ?? Made(ref _quotesOf, store.GetQuotesOfAsync);

    public BatchLoader<string, Source> Sources => _sources ?? Made(ref _sources, store.GetSourcesAsync);

    public BatchLoader<string, Claim> Claims => _claims ?? Made(ref _claims, store.GetClaimsAsync);

    /// <summary>The claims about each entity, by key: one store call for every entity of a level.</summary>
    public BatchLoader<EntityKey, IReadOnlyList<Claim>> ClaimsAbout => _claimsAbout ?? Made(ref _claimsAbout, async (keys, ct) =>
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
        var loaders = _relationshipsOf ?? Made(ref _relationshipsOf, static () => new());
        return loaders.GetOrAdd(
            (filter.Direction, types, filter.Node?.ToString() ?? string.Empty),
            _ => new BatchLoader<EntityKey, IReadOnlyList<Relationship>>((keys, ct) => store.GetRelationshipsOfAsync(keys, filter, ct)));
    }

    public BatchLoader<EntityKey, IReadOnlyList<Observation>> ObservationsOf(string? metric) =>
        (_observationsOf ?? Made(ref _observationsOf, static () => new(StringComparer.Ordinal))).GetOrAdd(
            metric ?? string.Empty,
            _ => new BatchLoader<EntityKey, IReadOnlyList<Observation>>((keys, ct) => store.GetObservationsOfAsync(keys, metric, ct)));

    public void Dispose()
    {
        _entities?.Dispose();
        _relationships?.Dispose();
        _observations?.Dispose();
        _quotes?.Dispose();
        _quotesOf?.Dispose();
        _sources?.Dispose();
        _claims?.Dispose();
        _claimsAbout?.Dispose();
        if (_relationshipsOf is { } relationshipsOf)
        {
            foreach (var loader in relationshipsOf.Values)
            {
                loader.Dispose();
            }
        }

        if (_observationsOf is { } observationsOf)
        {
            foreach (var loader in observationsOf.Values)
            {
                loader.Dispose();
            }
        }
    }

    // Resolvers of one level may run at once: the first loader stored is the one every resolver gets.
    private static BatchLoader<TKey, TValue> Made<TKey, TValue>(
        ref BatchLoader<TKey, TValue>? field, Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
        where TKey : notnull
    {
        var made = new BatchLoader<TKey, TValue>(fetch);
        if (Interlocked.CompareExchange(ref field, made, null) is { } first)
        {
            made.Dispose();
            return first;
        }

        return made;
    }

    private static T Made<T>(ref T? field, Func<T> make)
        where T : class
    {
        var made = make();
        return Interlocked.CompareExchange(ref field, made, null) ?? made;
    }
}
