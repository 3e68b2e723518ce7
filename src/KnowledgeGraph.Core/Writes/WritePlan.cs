using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Writes;

/// <summary>
/// What a store reads, inside its write transaction, before a write is planned: the records under every key the
/// write names, the sources its facts cite, what hangs off the entities it retracts, and whether its retraction
/// targets were retracted before. A second read (<see cref="WritePlan.SourcesToCheck"/>) adds every record citing a
/// source the write retracts or gives a new text.
/// </summary>
public sealed record WriteReads(
    IReadOnlyList<string> SourceKeys,
    IReadOnlyList<string> EntityKeys,
    IReadOnlyList<string> RelationshipKeys,
    IReadOnlyList<string> ObservationKeys,
    IReadOnlyList<string> QuoteKeys,
    IReadOnlyList<string> RetractedEntities,
    IReadOnlyList<Retraction> Retractions)
{
    /// <summary>The claims under the keys the write names (upserted or retracted).</summary>
    public IReadOnlyList<string> ClaimKeys { get; init; } = [];

    public static WriteReads Of(GraphWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        List<string> KeysOf(RecordType type, IEnumerable<string> upserted) =>
            upserted.Concat(write.Retractions.Where(r => r.Type == type).Select(r => r.Key)).Distinct(StringComparer.Ordinal).ToList();

        var cited = WritePlan.Upserts(write).SelectMany(RecordFacts.CitationsOf).Select(c => c.Source);
        return new WriteReads(
            KeysOf(RecordType.Source, write.Sources.Select(s => s.Key).Concat(cited)),
            KeysOf(RecordType.Entity, write.Entities.Select(e => e.Key.Value)),
            KeysOf(RecordType.Relationship, write.Relationships.Select(r => r.Key)),
            KeysOf(RecordType.Observation, write.Observations.Select(o => o.Key)),
            KeysOf(RecordType.Quote, write.Quotes.Select(q => q.Key)),
            KeysOf(RecordType.Entity, []),
            write.Retractions)
        {
            ClaimKeys = KeysOf(RecordType.Claim, write.Claims.Select(c => c.Key)),
        };
    }
}

/// <summary>
/// The records a write is planned against, as a store read them inside its transaction (<see cref="WriteReads"/>),
/// then changed in memory as the plan is played, so each step sees the ones before it.
/// </summary>
public sealed class WriteState
{
    private readonly Dictionary<(RecordType Type, string Key), object> _records = [];
    private readonly HashSet<(RecordType Type, string Key)> _retracted = [];

    /// <summary>Adds a record as the store holds it; a record already read stays as first read.</summary>
    public void Add(object record) => _records.TryAdd(RecordFacts.Identify(record), record);

    /// <summary>Notes that a record was retracted by an earlier write (its history says so).</summary>
    public void AddRetracted(RecordType type, string key) => _retracted.Add((type, key));

    public object? Get(RecordType type, string key) => _records.GetValueOrDefault((type, key));

    internal void Put(object record) => _records[RecordFacts.Identify(record)] = record;

    internal void Remove(RecordType type, string key)
    {
        _records.Remove((type, key));
        _retracted.Add((type, key));
    }

    internal bool WasRetracted(RecordType type, string key) => _retracted.Contains((type, key));

    internal IEnumerable<object> Records => _records.Values;

    /// <summary>What hangs off an entity and goes with it: relationships, then observations, then quotes, each by key.</summary>
    internal List<(RecordType Type, string Key)> DependentsOf(EntityKey entity)
    {
        var dependents = new List<(RecordType, string)>();
        dependents.AddRange(Keys<Relationship>(r => r.From == entity || r.To == entity).Select(k => (RecordType.Relationship, k)));
        dependents.AddRange(Keys<Observation>(o => o.Subject == entity || o.Region == entity).Select(k => (RecordType.Observation, k)));
        dependents.AddRange(Keys<Quote>(q => q.Speaker == entity).Select(k => (RecordType.Quote, k)));
        dependents.AddRange(Keys<Claim>(c => c.About.Contains(entity)).Select(k => (RecordType.Claim, k)));
        return dependents;
    }

    /// <summary>The citations of live records pointing at a source; complete once the citing records were read.</summary>
    internal List<Citation> CitationsOf(string source) =>
        _records.Values.SelectMany(RecordFacts.CitationsOf).Where(c => string.Equals(c.Source, source, StringComparison.Ordinal)).ToList();

    private IEnumerable<string> Keys<T>(Func<T, bool> touches) =>
        _records.Values.OfType<T>().Where(touches).Select(r => RecordFacts.Identify(r!).Key).Order(StringComparer.Ordinal);
}

/// <summary>
/// One write decided, for every store: upserts by key compared through <see cref="RecordSnapshot"/> (a record that
/// already stands so is <c>Unchanged</c>), then retractions in order, an entity taking the facts that hang off it, an
/// unknown key refused unless it was retracted before, a cited source refused. Provenance cannot break: every
/// citation the write leaves must stand at its offsets in its source's text as it will be, so a cited source's text
/// cannot change under its citations. A store reads the state, calls <see cref="Make"/>, then applies
/// <see cref="Upserts"/>, <see cref="Deletions"/> and <see cref="History"/>.
/// </summary>
public sealed class WritePlan
{
    /// <summary>The refusal for a write whose references went away between validation and commit.</summary>
    public const string StaleReference = "the write refers to a record that no longer exists; read again and retry";

    private readonly List<WriteResult> _results = [];
    private readonly List<HistoryEntry> _history = [];
    private readonly Dictionary<(RecordType Type, string Key), object> _upserted = [];
    private readonly List<(RecordType Type, string Key)> _deleted = [];

    private WritePlan()
    {
    }

    public IReadOnlyList<WriteResult> Results => _results;

    /// <summary>One entry per change, in the order made.</summary>
    public IReadOnlyList<HistoryEntry> History => _history;

    public bool ChangesAnything => _results.Exists(r => r.Outcome != WriteOutcome.Unchanged);

    /// <summary>The records to write as they will stand, sources first, then entities, relationships, observations, quotes.</summary>
    public IReadOnlyList<object> Upserted => _upserted.Values.OrderBy(r => RecordFacts.Identify(r).Type).ToList();

    /// <summary>The records to remove, in an order that removes what hangs off an entity before the entity.</summary>
    public IReadOnlyList<(RecordType Type, string Key)> Deletions => _deleted;

    /// <summary>The upserts of a write in the order they are played.</summary>
    public static IEnumerable<object> Upserts(GraphWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        return [.. write.Sources, .. write.Entities, .. write.Relationships, .. write.Observations, .. write.Quotes, .. write.Claims];
    }

    /// <summary>
    /// The sources whose citing records the state must also hold before <see cref="Make"/>: those the write retracts
    /// and those it gives a text other than the one stored.
    /// </summary>
    public static IReadOnlyList<string> SourcesToCheck(GraphWrite write, WriteState state)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(state);
        return write.Retractions.Where(r => r.Type == RecordType.Source).Select(r => r.Key)
            .Concat(write.Sources.Where(s => state.Get(RecordType.Source, s.Key) is Source stored && !string.Equals(stored.Text, s.Text, StringComparison.Ordinal)).Select(s => s.Key))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Plays the write against the state; throws <see cref="WriteValidationException"/> for a refusal, before anything is applied.</summary>
    public static WritePlan Make(GraphWrite write, WriteActor actor, DateTimeOffset at, long revision, WriteState state)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(state);
        var plan = new WritePlan();
        var changedTexts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in Upserts(write))
        {
            var (type, key) = RecordFacts.Identify(record);
            var existing = state.Get(type, key);
            var before = existing is null ? null : RecordSnapshot.Of(existing);
            var after = RecordSnapshot.Of(record);
            if (string.Equals(before, after, StringComparison.Ordinal))
            {
                plan._results.Add(new WriteResult(type, key, WriteOutcome.Unchanged));
                continue;
            }

            if (existing is Source old && record is Source changed && !string.Equals(old.Text, changed.Text, StringComparison.Ordinal))
            {
                changedTexts.Add(key);
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

        CheckProvenance(write, state, changedTexts);
        return plan;
    }

    // Every citation the write lays, and every citation of a source whose text it changes, must stand in the text
    // the source will have: read inside the transaction, so no concurrent change slips between check and commit.
    private static void CheckProvenance(GraphWrite write, WriteState state, HashSet<string> changedTexts)
    {
        var texts = state.Records.OfType<Source>().ToDictionary(s => s.Key, s => s.Text, StringComparer.Ordinal);
        var checker = new CitationChecker(texts);
        var problems = new List<WriteProblem>();
        void CheckAll<T>(string section, IReadOnlyList<T> records)
            where T : notnull
        {
            for (var i = 0; i < records.Count; i++)
            {
                var (type, key) = RecordFacts.Identify(records[i]);
                if (state.Get(type, key) is null)
                {
                    continue; // retracted by the same write
                }

                var citations = RecordFacts.CitationsOf(records[i]);
                for (var j = 0; j < citations.Count; j++)
                {
                    if (checker.Check(citations[j]) is { } problem)
                    {
                        problems.Add(new WriteProblem($"{section}[{i}].citations[{j}]", problem.Message));
                    }
                }
            }
        }

        CheckAll("entities", write.Entities);
        CheckAll("relationships", write.Relationships);
        CheckAll("observations", write.Observations);
        CheckAll("quotes", write.Quotes);
        CheckAll("claims", write.Claims);
        for (var i = 0; i < write.Sources.Count; i++)
        {
            var key = write.Sources[i].Key;
            if (!changedTexts.Contains(key))
            {
                continue;
            }

            var broken = state.CitationsOf(key).Count(c => checker.Check(c) is not null);
            if (broken > 0)
            {
                problems.Add(new WriteProblem(
                    $"sources[{i}].text",
                    $"source '{key}' is cited by {broken} excerpts its new text no longer holds at their offsets; a cited source's text cannot change: give the new text a new key"));
            }
        }

        if (problems.Count > 0)
        {
            throw new WriteValidationException(problems);
        }
    }

    private void Retract(Retraction retraction, string path, WriteActor actor, DateTimeOffset at, long revision, WriteState state)
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

        if (retraction.Type == RecordType.Source && state.CitationsOf(retraction.Key).Count is > 0 and var citings)
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

    private void Withdraw(RecordType type, string key, string reason, WriteActor actor, DateTimeOffset at, long revision, WriteState state)
    {
        var snapshot = RecordSnapshot.Of(state.Get(type, key)!);
        state.Remove(type, key);
        _upserted.Remove((type, key));
        _deleted.Add((type, key));
        _history.Add(new HistoryEntry(type, key, WriteOutcome.Retracted, actor.Id, at, reason, snapshot, revision));
        _results.Add(new WriteResult(type, key, WriteOutcome.Retracted));
    }
}

/// <summary>What every record of the graph has: a type and key, and citations (none for a source).</summary>
public static class RecordFacts
{
    public static (RecordType Type, string Key) Identify(object record) => record switch
    {
        Source s => (RecordType.Source, s.Key),
        Entity e => (RecordType.Entity, e.Key.Value),
        Relationship r => (RecordType.Relationship, r.Key),
        Observation o => (RecordType.Observation, o.Key),
        Quote q => (RecordType.Quote, q.Key),
        Claim c => (RecordType.Claim, c.Key),
        _ => throw new ArgumentException($"A {record?.GetType().Name} is not a record of the graph.", nameof(record)),
    };

    public static IReadOnlyList<Citation> CitationsOf(object record) => record switch
    {
        Entity e => e.Citations,
        Relationship r => r.Citations,
        Observation o => o.Citations,
        Quote q => q.Citations,
        Claim c => c.Citations,
        _ => [],
    };
}
