using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;

namespace KnowledgeGraph.Storage;

/// <summary>
/// The one port every store implements (embedded SQLite, Neo4j). Every read is batch-shaped: it takes all the keys a
/// GraphQL resolver level needs and answers them in one round trip, so that the number of store calls a query makes
/// grows with its depth, never with the number of results.
/// <para>
/// Meaning is Core's, not a store's: the query records (<see cref="RelationshipFilter"/>, <see cref="EntityQuery"/>,
/// <see cref="SearchQuery"/>, <see cref="PathQuery"/>) normalise their filters (null stands for "all"; an empty list
/// of types or kinds is made null), search terms and ranking are <see cref="SearchTerms"/> and
/// <see cref="SearchRanking"/>, pages are assembled by <see cref="EntityQuery.Assemble"/>. Keys with no results: a
/// read by key (<c>Get…Async</c>) leaves a missing key out of its answer; a read of the facts of each key
/// (<c>Get…OfAsync</c>) answers every key asked for, with an empty list when nothing matches
/// (<see cref="StoreAnswers.ForEachKey{T}(IReadOnlyCollection{EntityKey}, IEnumerable{T}, Func{T, EntityKey})"/>).
/// </para>
/// </summary>
public interface IGraphStore
{
    /// <summary>
    /// Creates the store's schema if needed and applies the seed idempotently by key; the counts answered are the
    /// seed's own (<see cref="SeedApplication.Of"/>).
    /// </summary>
    Task<SeedApplication> ApplySeedAsync(LoadedSeed seed, CancellationToken cancellationToken);

    /// <summary>
    /// Applies a validated write (see <c>WriteValidator</c>) all-or-nothing: records are upserted by key, each new or
    /// changed one recorded in its history with the actor and time; a record that already stands so is reported
    /// <see cref="WriteOutcome.Unchanged"/>; retractions withdraw records (an entity with the facts that hang off it).
    /// The revision grows by one with every write that changes anything.
    /// </summary>
    Task<WriteReceipt> WriteAsync(GraphWrite write, WriteActor actor, CancellationToken cancellationToken);

    /// <summary>Every change to one record, oldest first, including its retraction.</summary>
    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(RecordType type, string key, CancellationToken cancellationToken);

    /// <summary>The revision of the graph: how many writes (and seeds that changed it) have changed it. It only grows.</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken);

    /// <summary>Answers whether the store can serve reads now; never throws for an unreachable store.</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<EntityKey, Entity>> GetEntitiesAsync(
        IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, Relationship>> GetRelationshipsAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, Observation>> GetObservationsAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, Quote>> GetQuotesAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>The relationships touching each entity, in the given direction, ordered by relationship key.</summary>
    Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Relationship>>> GetRelationshipsOfAsync(
        IReadOnlyCollection<EntityKey> entities, RelationshipFilter filter, CancellationToken cancellationToken);

    /// <summary>The observations about each subject, optionally of one metric, ordered by key.</summary>
    Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Observation>>> GetObservationsOfAsync(
        IReadOnlyCollection<EntityKey> subjects, string? metric, CancellationToken cancellationToken);

    /// <summary>The quotes of each speaker, ordered by key.</summary>
    Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Quote>>> GetQuotesOfAsync(
        IReadOnlyCollection<EntityKey> speakers, CancellationToken cancellationToken);

    /// <summary>Sources by key; all sources when <paramref name="keys"/> is null.</summary>
    Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(
        IReadOnlyCollection<string>? keys, CancellationToken cancellationToken);

    /// <summary>One page of entities by keyset pagination over (sort value, key).</summary>
    Task<EntityPage> ListEntitiesAsync(EntityQuery query, CancellationToken cancellationToken);

    /// <summary>Full-text search over names, aliases and descriptions in both languages, best first.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// All shortest paths (up to <see cref="PathQuery.Limit"/>) between two entities, following relationships in
    /// either direction; empty when none is within <see cref="PathQuery.MaxHops"/>.
    /// </summary>
    Task<IReadOnlyList<GraphPath>> FindShortestPathsAsync(PathQuery query, CancellationToken cancellationToken);

    /// <summary>Observations matching every given criterion, ordered by key.</summary>
    Task<IReadOnlyList<Observation>> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken);

    /// <summary>Quotes, all or those of one speaker, ordered by key.</summary>
    Task<IReadOnlyList<Quote>> QueryQuotesAsync(EntityKey? speaker, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, Claim>> GetClaimsAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken);

    /// <summary>The claims about any of the entities (every claim when <paramref name="about"/> is null), ordered by key.</summary>
    Task<IReadOnlyList<Claim>> QueryClaimsAsync(IReadOnlyCollection<EntityKey>? about, CancellationToken cancellationToken);

    /// <summary>One page of facts (relationships, observations, claims) of the query's bases, ordered by key then type.</summary>
    Task<FactPage> ListFactsAsync(FactQuery query, CancellationToken cancellationToken);
}
