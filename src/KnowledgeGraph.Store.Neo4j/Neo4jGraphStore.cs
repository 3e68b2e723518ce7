using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// The production store: the graph in Neo4j (model in schema/neo4j/README.md). Every read is one statement of
/// <see cref="Neo4jCypher"/>, batched over all the keys it is given, so each call is one round trip.
/// </summary>
public sealed partial class Neo4jGraphStore(ICypherRunner runner, ILogger<Neo4jGraphStore>? logger = null) : IGraphStore
{
    private static readonly IReadOnlyList<string> AllTypes =
        Enum.GetValues<RelationshipType>().Select(Vocabulary.ToWireName).ToList();

    private readonly ILogger _logger = logger ?? NullLogger<Neo4jGraphStore>.Instance;

    /// <summary>How long <see cref="ApplySeedAsync"/> waits for new indexes to come online.</summary>
    public TimeSpan IndexWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long <see cref="CheckHealthAsync"/> waits, retries included, before calling Neo4j unhealthy.</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HealthTimeout);
        try
        {
            var result = await runner.RunAsync(Neo4jCypher.Ping.Bind(), timeout.Token);
            return result.Records.Count == 1
                ? new StoreHealth(true, "Neo4j answers.")
                : new StoreHealth(false, "Neo4j answered the health query with no record.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return new StoreHealth(false, $"Neo4j did not answer within {HealthTimeout.TotalSeconds:0.#} s.");
        }
#pragma warning disable CA1031 // A health check reports every failure instead of throwing it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            HealthCheckFailed(_logger, exception.Message);
            return new StoreHealth(false, exception is StoreUnavailableException
                ? exception.Message
                : $"Neo4j does not answer as expected: {exception.GetType().Name}.");
        }
    }

    public async Task<IReadOnlyDictionary<EntityKey, Entity>> GetEntitiesAsync(
        IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<EntityKey, Entity>();
        }

        var result = await runner.RunAsync(Neo4jCypher.EntitiesByKeys.Bind(("keys", Keys(keys))), cancellationToken);
        return result.Records.Select(r => Neo4jRecords.ToEntity(r.Get<CypherNode>("e"))).ToDictionary(e => e.Key);
    }

    public async Task<IReadOnlyDictionary<string, Relationship>> GetRelationshipsAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<string, Relationship>();
        }

        var result = await runner.RunAsync(
            Neo4jCypher.RelationshipsByKeys.Bind(("keys", keys.Distinct(StringComparer.Ordinal).ToList()), ("types", AllTypes)),
            cancellationToken);
        return result.Records.Select(Neo4jRecords.ToRelationship).ToDictionary(r => r.Key, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, Observation>> GetObservationsAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<string, Observation>(StringComparer.Ordinal);
        }

        var result = await runner.RunAsync(
            Neo4jCypher.ObservationsByKeys.Bind(("keys", keys.Distinct(StringComparer.Ordinal).ToList())), cancellationToken);
        return result.Records.Select(Neo4jRecords.ToObservation).ToDictionary(o => o.Key, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, Quote>> GetQuotesAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<string, Quote>(StringComparer.Ordinal);
        }

        var result = await runner.RunAsync(
            Neo4jCypher.QuotesByKeys.Bind(("keys", keys.Distinct(StringComparer.Ordinal).ToList())), cancellationToken);
        return result.Records.Select(Neo4jRecords.ToQuote).ToDictionary(q => q.Key, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Relationship>>> GetRelationshipsOfAsync(
        IReadOnlyCollection<EntityKey> entities, RelationshipFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(filter);
        if (entities.Count == 0)
        {
            return new Dictionary<EntityKey, IReadOnlyList<Relationship>>();
        }

        var direction = filter.Direction switch
        {
            RelationshipDirection.Outgoing => "OUTGOING",
            RelationshipDirection.Incoming => "INCOMING",
            _ => "BOTH",
        };
        IReadOnlyDictionary<string, object?> planned = new Dictionary<string, object?>();
        var template = filter.Node is null ? Neo4jCypher.RelationshipsOfEntities : Neo4jFilterCypher.RelationshipsOfEntities(filter.Node, out planned);
        var result = await runner.RunAsync(
            template.Bind([("keys", Keys(entities)), ("types", Types(filter.Types)), ("direction", direction), .. planned.Select(p => (p.Key, p.Value))]),
            cancellationToken);
        return Group(entities, result.Records, r => new EntityKey(r.Get<string>("entity")), Neo4jRecords.ToRelationship);
    }

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Observation>>> GetObservationsOfAsync(
        IReadOnlyCollection<EntityKey> subjects, string? metric, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        if (subjects.Count == 0)
        {
            return new Dictionary<EntityKey, IReadOnlyList<Observation>>();
        }

        var result = await runner.RunAsync(
            Neo4jCypher.ObservationsOfSubjects.Bind(("keys", Keys(subjects)), ("metric", metric)), cancellationToken);
        return Group(subjects, result.Records, r => new EntityKey(r.Get<string>("subject")), Neo4jRecords.ToObservation);
    }

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Quote>>> GetQuotesOfAsync(
        IReadOnlyCollection<EntityKey> speakers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(speakers);
        if (speakers.Count == 0)
        {
            return new Dictionary<EntityKey, IReadOnlyList<Quote>>();
        }

        var result = await runner.RunAsync(Neo4jCypher.QuotesOfSpeakers.Bind(("keys", Keys(speakers))), cancellationToken);
        return Group(speakers, result.Records, r => new EntityKey(r.Get<string>("speaker")), Neo4jRecords.ToQuote);
    }

    public async Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(
        IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        if (keys is { Count: 0 })
        {
            return new Dictionary<string, Source>();
        }

        var result = await runner.RunAsync(
            Neo4jCypher.Sources.Bind(("keys", keys?.Distinct(StringComparer.Ordinal).ToList())), cancellationToken);
        return result.Records.Select(r => Neo4jRecords.ToSource(r.Get<CypherNode>("s"))).ToDictionary(s => s.Key, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.IsRunnable)
        {
            return [];
        }

        var result = await runner.RunAsync(
            Neo4jCypher.Search.Bind(
                ("query", LuceneQuery.Build(query.Terms)),
                ("kinds", Kinds(query.Kinds)),
                ("maxMatches", (long)SearchQuery.MaxMatches),
                ("limit", (long)query.CandidateLimit)),
            cancellationToken);
        return SearchRanking.Rank(
            query,
            result.Records.Select(r => (Neo4jRecords.ToEntity(r.Get<CypherNode>("node")), r.Get<double>("score"))));
    }

    public async Task<IReadOnlyList<GraphPath>> FindShortestPathsAsync(PathQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.IsRunnable)
        {
            return [];
        }

        var result = await runner.RunAsync(
            Neo4jCypher.ShortestPaths.Bind(
                ("from", query.From.Value),
                ("to", query.To.Value),
                ("types", Types(query.Types)),
                ("maxHops", query.MaxHops),
                ("limit", query.Limit)),
            cancellationToken);
        return result.Records.Select(r => Neo4jRecords.ToGraphPath(r.Get<CypherPath>("p"))).ToList();
    }

    public async Task<IReadOnlyList<Observation>> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyDictionary<string, object?> planned = new Dictionary<string, object?>();
        var template = query.Value is null ? Neo4jCypher.Observations : Neo4jFilterCypher.Observations(query.Value, out planned);
        var result = await runner.RunAsync(
            template.Bind([("subject", query.Subject?.Value), ("metric", query.Metric), ("region", query.Region?.Value), .. planned.Select(p => (p.Key, p.Value))]),
            cancellationToken);
        return result.Records.Select(Neo4jRecords.ToObservation).ToList();
    }

    public async Task<IReadOnlyList<Quote>> QueryQuotesAsync(EntityKey? speaker, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Neo4jCypher.Quotes.Bind(("speaker", speaker?.Value)), cancellationToken);
        return result.Records.Select(Neo4jRecords.ToQuote).ToList();
    }

    public async Task<IReadOnlyDictionary<string, Claim>> GetClaimsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return new Dictionary<string, Claim>(StringComparer.Ordinal);
        }

        var result = await runner.RunAsync(Neo4jCypher.ClaimsByKeys.Bind(("keys", keys.Distinct(StringComparer.Ordinal).ToList())), cancellationToken);
        return result.Records.Select(r => Neo4jRecords.ToClaim(r.Get<CypherNode>("c"))).ToDictionary(c => c.Key, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<Claim>> QueryClaimsAsync(IReadOnlyCollection<EntityKey>? about, CancellationToken cancellationToken)
    {
        if (about is { Count: 0 })
        {
            return [];
        }

        var result = await runner.RunAsync(Neo4jCypher.ClaimsAbout.Bind(("keys", about is null ? null : Keys(about))), cancellationToken);
        return result.Records.Select(r => Neo4jRecords.ToClaim(r.Get<CypherNode>("c"))).ToList();
    }

    public async Task<FactPage> ListFactsAsync(FactQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.First == 0)
        {
            return new FactPage([], false);
        }

        var result = await runner.RunAsync(
            Neo4jCypher.FactsPage.Bind(
                ("types", AllTypes),
                ("bases", query.Bases?.Select(Vocabulary.ToWireName).ToList()),
                ("afterKey", query.After?.Key),
                ("afterType", query.After?.Type.ToString()),
                ("limit", (long)(query.First + 1))),
            cancellationToken);
        var facts = result.Records.Take(query.First).Select(r => r.Get<string>("type") switch
        {
            "Relationship" => (object)Neo4jRecords.ToRelationship(r),
            "Observation" => Neo4jRecords.ToObservation(r),
            _ => Neo4jRecords.ToClaim(r.Get<CypherNode>("c")),
        }).ToList();
        return new FactPage(facts, result.Records.Count > query.First);
    }

    private static List<string> Keys(IEnumerable<EntityKey> keys) => keys.Select(k => k.Value).Distinct(StringComparer.Ordinal).ToList();

    // Core's query records hand over null for "every type/kind", never an empty list.
    private static IReadOnlyList<string> Types(IReadOnlyList<RelationshipType>? types) =>
        types is null ? AllTypes : types.Select(Vocabulary.ToWireName).ToList();

    private static List<string>? Kinds(IReadOnlyList<EntityKind>? kinds) => kinds?.Select(Vocabulary.ToWireName).ToList();

    private static Dictionary<EntityKey, IReadOnlyList<T>> Group<T>(
        IReadOnlyCollection<EntityKey> keys, IReadOnlyList<CypherRecord> records, Func<CypherRecord, EntityKey> key, Func<CypherRecord, T> read) =>
        StoreAnswers.ForEachKey(keys, records.Select(r => (Key: key(r), Item: read(r))), p => p.Key)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<T>)g.Value.Select(p => p.Item).ToList());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Neo4j health check failed: {Reason}")]
    private static partial void HealthCheckFailed(ILogger logger, string reason);
}
