using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Store.Neo4j.Transport;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// The records a write is compared against, as read inside its transaction by <see cref="Neo4jCypher.WriteSnapshots"/>
/// (and <see cref="Neo4jCypher.CitingRecords"/>), then changed in memory as the write is played, so each step sees
/// the ones before it exactly as the SQLite store's row-by-row transaction does.
/// </summary>
internal sealed class Neo4jWriteState
{
    private readonly Dictionary<(RecordType Type, string Key), object> _records = [];
    private readonly HashSet<(RecordType Type, string Key)> _retracted = [];

    public static Neo4jWriteState Read(CypherRecord snapshots, CypherRecord? citing)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var state = new Neo4jWriteState();
        CypherRecord[] records = citing is null ? [snapshots] : [snapshots, citing];
        foreach (var record in records)
        {
            if (record.Fields.Contains("sources"))
            {
                foreach (var node in CypherValues.ListOf<CypherNode>(record["sources"], "sources"))
                {
                    state.Put(Neo4jRecords.ToSource(node));
                }
            }

            foreach (var node in CypherValues.ListOf<CypherNode>(record["entities"], "entities"))
            {
                state.Put(Neo4jRecords.ToEntity(node));
            }

            foreach (var map in Maps(record, "relationships"))
            {
                state.Put(Neo4jRecords.ToRelationship(
                    CypherValues.As<CypherRelationship>(map.GetValueOrDefault("record"), "relationships.record"),
                    new EntityKey(CypherValues.As<string>(map.GetValueOrDefault("from"), "relationships.from")),
                    new EntityKey(CypherValues.As<string>(map.GetValueOrDefault("to"), "relationships.to"))));
            }

            foreach (var map in Maps(record, "observations"))
            {
                state.Put(Neo4jRecords.ToObservation(
                    CypherValues.As<CypherNode>(map.GetValueOrDefault("record"), "observations.record"),
                    CypherValues.As<string>(map.GetValueOrDefault("from"), "observations.from"),
                    CypherValues.As<string?>(map.GetValueOrDefault("to"), "observations.to")));
            }

            foreach (var map in Maps(record, "quotes"))
            {
                state.Put(Neo4jRecords.ToQuote(
                    CypherValues.As<CypherNode>(map.GetValueOrDefault("record"), "quotes.record"),
                    CypherValues.As<string>(map.GetValueOrDefault("from"), "quotes.from")));
            }

            if (record.Fields.Contains("retracted"))
            {
                foreach (var map in Maps(record, "retracted"))
                {
                    state._retracted.Add((
                        Enum.Parse<RecordType>(CypherValues.As<string>(map.GetValueOrDefault("type"), "retracted.type")),
                        CypherValues.As<string>(map.GetValueOrDefault("key"), "retracted.key")));
                }
            }
        }

        return state;
    }

    public object? Get(RecordType type, string key) => _records.GetValueOrDefault((type, key));

    public void Put(object record) => _records[Identify(record)] = record;

    public void Remove(RecordType type, string key) => _records.Remove((type, key));

    public bool WasRetracted(RecordType type, string key) => _retracted.Contains((type, key));

    public void MarkRetracted(RecordType type, string key) => _retracted.Add((type, key));

    /// <summary>What hangs off an entity and goes with it: relationships, then observations, then quotes, each by key.</summary>
    public List<(RecordType Type, string Key)> DependentsOf(EntityKey entity)
    {
        var dependents = new List<(RecordType, string)>();
        dependents.AddRange(Keys<Relationship>(r => r.From == entity || r.To == entity).Select(k => (RecordType.Relationship, k)));
        dependents.AddRange(Keys<Observation>(o => o.Subject == entity || o.Region == entity).Select(k => (RecordType.Observation, k)));
        dependents.AddRange(Keys<Quote>(q => q.Speaker == entity).Select(k => (RecordType.Quote, k)));
        return dependents;
    }

    /// <summary>How many citations of live records point at a source; complete once <see cref="Neo4jCypher.CitingRecords"/> was read.</summary>
    public int CitationsOf(string source) =>
        _records.Values.Sum(record => CitationsOfRecord(record).Count(c => string.Equals(c.Source, source, StringComparison.Ordinal)));

    public static (RecordType Type, string Key) Identify(object record) => record switch
    {
        Source s => (RecordType.Source, s.Key),
        Entity e => (RecordType.Entity, e.Key.Value),
        Relationship r => (RecordType.Relationship, r.Key),
        Observation o => (RecordType.Observation, o.Key),
        Quote q => (RecordType.Quote, q.Key),
        _ => throw new ArgumentException($"A {record.GetType().Name} is not a record of the graph.", nameof(record)),
    };

    private static IReadOnlyList<Citation> CitationsOfRecord(object record) => record switch
    {
        Entity e => e.Citations,
        Relationship r => r.Citations,
        Observation o => o.Citations,
        Quote q => q.Citations,
        _ => [],
    };

    private static IEnumerable<IReadOnlyDictionary<string, object?>> Maps(CypherRecord record, string field) =>
        CypherValues.ListOf<IReadOnlyDictionary<string, object?>>(record[field], field);

    private IEnumerable<string> Keys<T>(Func<T, bool> touches) =>
        _records.Values.OfType<T>().Where(touches).Select(r => Identify(r!).Key).Order(StringComparer.Ordinal);
}

/// <summary>
/// A write played against the records it touches (<see cref="Neo4jWriteState"/>): what happens to each record, its
/// history, and the batched statements that make it so. Mirrors the SQLite store's write path step by step: upserts
/// by key compared through <see cref="RecordSnapshot"/>, then retractions in order, an entity taking the facts that
/// hang off it, a cited source refused, an unknown key refused unless it was retracted before.
/// </summary>
internal sealed class Neo4jWritePlan
{
    private const string StaleReference = "the write refers to a record that no longer exists; read again and retry";

    private readonly List<WriteResult> _results = [];
    private readonly List<HistoryEntry> _history = [];
    private readonly Dictionary<(RecordType Type, string Key), object> _upserted = [];
    private readonly HashSet<(RecordType Type, string Key)> _deleted = [];

    private Neo4jWritePlan()
    {
    }

    public IReadOnlyList<WriteResult> Results => _results;

    public IReadOnlyList<HistoryEntry> History => _history;

    public bool ChangesAnything => _results.Exists(r => r.Outcome != WriteOutcome.Unchanged);

    /// <summary>Plays the write; throws <see cref="WriteValidationException"/> for a refused retraction, before anything is sent.</summary>
    public static Neo4jWritePlan Make(GraphWrite write, WriteActor actor, DateTimeOffset at, long revision, Neo4jWriteState state)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(state);
        var plan = new Neo4jWritePlan();
        IEnumerable<object> upserts = [.. write.Sources, .. write.Entities, .. write.Relationships, .. write.Observations, .. write.Quotes];
        foreach (var record in upserts)
        {
            var (type, key) = Neo4jWriteState.Identify(record);
            var before = state.Get(type, key) is { } existing ? RecordSnapshot.Of(existing) : null;
            var after = RecordSnapshot.Of(record);
            if (string.Equals(before, after, StringComparison.Ordinal))
            {
                plan._results.Add(new WriteResult(type, key, WriteOutcome.Unchanged));
                continue;
            }

            state.Put(record);
            plan._upserted[(type, key)] = record;
            var outcome = before is null ? WriteOutcome.Created : WriteOutcome.Updated;
            plan._history.Add(new HistoryEntry(type, key, outcome, actor.Id, at, null, after, revision));
            plan._results.Add(new WriteResult(type, key, outcome));
        }

        for (var i = 0; i < write.Retractions.Count; i++)
        {
            plan.Retract(write.Retractions[i], $"retractions[{i}]", actor, at, revision, state);
        }

        return plan;
    }

    /// <summary>
    /// The statements that apply the plan, in order, each with the <c>written</c> count it must report (null when it
    /// reports none): upserts, then removals, then history.
    /// </summary>
    public IReadOnlyList<(CypherStatement Statement, long? Written)> Statements(IReadOnlyList<string> relationshipTypes)
    {
        const string origin = Neo4jRecords.WriteOrigin;
        var statements = new List<(CypherStatement, long?)>();
        var sources = Upserted<Source>().Select(s => Neo4jRecords.SourceRow(s, origin)).ToList();
        var entities = Upserted<Entity>().Select(e => Neo4jRecords.EntityRow(e, origin)).ToList();
        var relationships = Upserted<Relationship>().Select(r => Neo4jRecords.RelationshipRow(r, origin)).ToList();
        var observations = Upserted<Observation>().Select(o => Neo4jRecords.ObservationRow(o, origin)).ToList();
        var quotes = Upserted<Quote>().Select(q => Neo4jRecords.QuoteRow(q, origin)).ToList();

        // A changed relationship is removed and laid again: its type or ends may be what changed.
        var removedRelationships = _upserted.Keys.Concat(_deleted).Where(k => k.Type == RecordType.Relationship)
            .Select(k => k.Key).Distinct(StringComparer.Ordinal).ToList();

        if (sources.Count > 0)
        {
            statements.Add((Neo4jCypher.MergeSources.Bind(("rows", sources)), null));
        }

        if (entities.Count > 0)
        {
            statements.Add((Neo4jCypher.MergeEntities.Bind(("rows", entities)), null));
        }

        if (removedRelationships.Count > 0)
        {
            statements.Add((Neo4jCypher.DeleteRelationships.Bind(("keys", removedRelationships), ("types", relationshipTypes)), null));
        }

        if (relationships.Count > 0)
        {
            statements.Add((Neo4jCypher.CreateRelationships.Bind(("rows", relationships)), relationships.Count));
        }

        if (observations.Count > 0)
        {
            statements.Add((Neo4jCypher.WriteObservations.Bind(("rows", observations)), observations.Count));
        }

        if (quotes.Count > 0)
        {
            statements.Add((Neo4jCypher.WriteQuotes.Bind(("rows", quotes)), quotes.Count));
        }

        if (_deleted.Any(k => k.Type != RecordType.Relationship))
        {
            statements.Add((Neo4jCypher.DeleteRecords.Bind(
                ("quoteKeys", Deleted(RecordType.Quote)),
                ("observationKeys", Deleted(RecordType.Observation)),
                ("entityKeys", Deleted(RecordType.Entity)),
                ("sourceKeys", Deleted(RecordType.Source))), null));
        }

        statements.Add((Neo4jCypher.AddHistory.Bind(("entries", _history.Select(HistoryRow).ToList())), null));
        return statements;
    }

    /// <summary>The refusal for a statement that wrote fewer rows than sent: something it points at went away since validation.</summary>
    public static WriteValidationException StaleReferenceException() => new([new WriteProblem("input", StaleReference)]);

    public static HistoryEntry ToHistoryEntry(CypherNode node) => new(
        Enum.Parse<RecordType>(node.Get<string>("recordType")),
        node.Get<string>("recordKey"),
        Enum.Parse<WriteOutcome>(node.Get<string>("outcome")),
        node.Get<string>("actor"),
        DateTimeOffset.Parse(node.Get<string>("at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        node.Get<string?>("reason"),
        node.Get<string>("snapshot"),
        node.Get<long>("revision"));

    private static Dictionary<string, object?> HistoryRow(HistoryEntry entry, int sequence) => new(StringComparer.Ordinal)
    {
        ["recordType"] = entry.Type.ToString(),
        ["recordKey"] = entry.Key,
        ["outcome"] = entry.Outcome.ToString(),
        ["actor"] = entry.Actor,
        ["at"] = entry.At.ToString("O", CultureInfo.InvariantCulture),
        ["reason"] = entry.Reason,
        ["snapshot"] = entry.Snapshot,
        ["revision"] = entry.Revision,
        ["sequence"] = (long)sequence,
    };

    private void Retract(Retraction retraction, string path, WriteActor actor, DateTimeOffset at, long revision, Neo4jWriteState state)
    {
        var current = state.Get(retraction.Type, retraction.Key);
        if (current is null)
        {
            if (state.WasRetracted(retraction.Type, retraction.Key))
            {
                _results.Add(new WriteResult(retraction.Type, retraction.Key, WriteOutcome.Unchanged));
                return;
            }

            throw new WriteValidationException([new WriteProblem(path + ".key", $"no {retraction.Type.ToString().ToLowerInvariant()} has the key '{retraction.Key}'")]);
        }

        if (retraction.Type == RecordType.Source && state.CitationsOf(retraction.Key) is > 0 and var citings)
        {
            throw new WriteValidationException([new WriteProblem(path + ".key", $"source '{retraction.Key}' is still cited {citings} times; retract or re-cite those facts first")]);
        }

        if (retraction.Type == RecordType.Entity)
        {
            // Facts about a withdrawn entity go with it, each kept in its own history.
            var reason = $"retracted with entity '{retraction.Key}': {retraction.Reason}";
            foreach (var (type, key) in state.DependentsOf(new EntityKey(retraction.Key)))
            {
                Withdraw(type, key, reason, actor, at, revision, state);
            }
        }

        Withdraw(retraction.Type, retraction.Key, retraction.Reason, actor, at, revision, state);
    }

    private void Withdraw(RecordType type, string key, string reason, WriteActor actor, DateTimeOffset at, long revision, Neo4jWriteState state)
    {
        var snapshot = RecordSnapshot.Of(state.Get(type, key)!);
        state.Remove(type, key);
        state.MarkRetracted(type, key);
        _upserted.Remove((type, key));
        _deleted.Add((type, key));
        _history.Add(new HistoryEntry(type, key, WriteOutcome.Retracted, actor.Id, at, reason, snapshot, revision));
        _results.Add(new WriteResult(type, key, WriteOutcome.Retracted));
    }

    private IEnumerable<T> Upserted<T>() => _upserted.Values.OfType<T>();

    private List<string> Deleted(RecordType type) => _deleted.Where(k => k.Type == type).Select(k => k.Key).Order(StringComparer.Ordinal).ToList();
}
