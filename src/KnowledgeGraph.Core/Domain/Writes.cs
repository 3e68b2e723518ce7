namespace KnowledgeGraph.Domain;

/// <summary>The kinds of record a write can create, update or retract.</summary>
public enum RecordType
{
    Source,
    Entity,
    Relationship,
    Observation,
    Quote,
    Claim,
}

/// <summary>What a write did to one record.</summary>
public enum WriteOutcome
{
    /// <summary>The record did not exist and now does.</summary>
    Created,
    /// <summary>The record existed and some of it changed.</summary>
    Updated,
    /// <summary>The record already stood exactly so (or was already retracted): nothing changed.</summary>
    Unchanged,
    /// <summary>The record was withdrawn: hidden from reads, kept in its history with who, when and why.</summary>
    Retracted,
}

/// <summary>Who makes a write: the API key's id (never the key itself) and its role.</summary>
public sealed record WriteActor(string Id, string Role);

/// <summary>Withdraws one record, for a reason that is kept with it.</summary>
public sealed record Retraction(RecordType Type, string Key, string Reason);

/// <summary>
/// A batch of writes applied all-or-nothing: every record is upserted by its natural key, then every retraction is
/// applied. Each new or changed fact must cite a source.
/// </summary>
public sealed record GraphWrite(
    IReadOnlyList<Source> Sources,
    IReadOnlyList<Entity> Entities,
    IReadOnlyList<Relationship> Relationships,
    IReadOnlyList<Observation> Observations,
    IReadOnlyList<Quote> Quotes,
    IReadOnlyList<Retraction> Retractions)
{
    public static readonly GraphWrite Empty = new([], [], [], [], [], []);

    /// <summary>The claims to upsert (not positional, so writes built before claims existed hold none).</summary>
    public IReadOnlyList<Claim> Claims { get; init; } = [];

    public int Count => Sources.Count + Entities.Count + Relationships.Count + Observations.Count + Quotes.Count + Claims.Count + Retractions.Count;
}

public sealed record WriteResult(RecordType Type, string Key, WriteOutcome Outcome);

/// <summary>What a committed write did, record by record, and the store's revision after it.</summary>
public sealed record WriteReceipt(IReadOnlyList<WriteResult> Results, long Revision)
{
    public bool ChangedAnything => Results.Any(r => r.Outcome != WriteOutcome.Unchanged);
}

/// <summary>One change to a record: who made it, when, what it did, and the record as it stood after (or before a retraction).</summary>
public sealed record HistoryEntry(
    RecordType Type,
    string Key,
    WriteOutcome Outcome,
    string Actor,
    DateTimeOffset At,
    string? Reason,
    string Snapshot,
    long Revision);
