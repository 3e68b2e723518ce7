using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Storage;

public enum RelationshipDirection
{
    /// <summary>Relationships whose <c>from</c> is the entity.</summary>
    Outgoing,
    /// <summary>Relationships whose <c>to</c> is the entity.</summary>
    Incoming,
    /// <summary>Either.</summary>
    Both,
}

/// <summary>
/// Which relationships of an entity to read; no types means every type. <see cref="Node"/>, when given, keeps only
/// relationships whose other end meets it.
/// </summary>
public sealed record RelationshipFilter(RelationshipDirection Direction, IReadOnlyCollection<RelationshipType>? Types, EntityCondition? Node = null)
{
    public static readonly RelationshipFilter All = new(RelationshipDirection.Both, null);
}

public enum EntityOrderField
{
    Key,
    Name,
    /// <summary>The kind's wire name (<c>APP</c>, <c>COMPANY</c>...).</summary>
    Kind,
    /// <summary>How many relationships the entity has, in either direction.</summary>
    Degree,
}

/// <summary>
/// A position in an ordered entity list: the sort values (one per <see cref="EntityQueryPlan.Sorts"/>, as text) and
/// the key of the entity it points at.
/// </summary>
public sealed record EntityCursor(IReadOnlyList<string> SortValues, string Key)
{
    public EntityCursor(string sortValue, string key)
        : this([sortValue], key)
    {
    }

    /// <summary>The first sort value.</summary>
    public string SortValue => SortValues[0];

    public bool Equals(EntityCursor? other) =>
        other is not null && Key == other.Key && SortValues.SequenceEqual(other.SortValues, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Key, string.Join('\u001f', SortValues));
}

/// <summary>
/// One page request. Forward paging uses <see cref="First"/> and <see cref="After"/>; backward paging uses
/// <see cref="Last"/> and <see cref="Before"/>. Name ordering uses the names in <see cref="Language"/>.
/// </summary>
public sealed record EntityQuery(
    IReadOnlyCollection<EntityKind>? Kinds = null,
    IReadOnlyCollection<EntityKey>? Keys = null,
    string? NameContains = null,
    EntityOrderField OrderBy = EntityOrderField.Key,
    bool Descending = false,
    Language Language = Language.En,
    int? First = null,
    EntityCursor? After = null,
    int? Last = null,
    EntityCursor? Before = null,
    bool IncludeTotalCount = false,
    EntityCondition? Where = null,
    IReadOnlyList<EntitySort>? ThenBy = null,
    bool IncludeCountsByKind = false)
{
    /// <summary>Whether the page is asked for backwards (<see cref="Last"/>, <see cref="Before"/>).</summary>
    public bool IsBackward => Last is not null || Before is not null;

    /// <summary>How many entities the page holds at most.</summary>
    public int PageSize => Math.Max(0, IsBackward ? Last ?? First ?? 0 : First ?? 0);

    /// <summary>The cursor the page starts from, in walking order.</summary>
    public EntityCursor? Cursor => IsBackward ? Before : After;

    /// <summary>
    /// The direction a store walks its index in: walking backwards means walking the requested order in reverse,
    /// then turning the page round.
    /// </summary>
    public bool WalksAscending => !Descending ^ IsBackward;
}

/// <summary>A page of entities, each with the cursor that points at it.</summary>
public sealed record EntityPage(
    IReadOnlyList<(Entity Entity, EntityCursor Cursor)> Items,
    bool HasPreviousPage,
    bool HasNextPage,
    int? TotalCount,
    IReadOnlyList<KindCount>? CountsByKind = null);

public sealed record SearchQuery(string Text, IReadOnlyCollection<EntityKind>? Kinds, int First);

/// <summary>An entity that matched a search, with a score where higher is better.</summary>
public sealed record SearchHit(Entity Entity, double Score);

public sealed record PathQuery(
    EntityKey From,
    EntityKey To,
    int MaxHops,
    IReadOnlyCollection<RelationshipType>? Types,
    int Limit = 10);

/// <summary>One hop of a path, in the order it is walked; the relationship keeps its own direction.</summary>
public sealed record PathStep(EntityKey From, Relationship Relationship, EntityKey To);

public sealed record GraphPath(IReadOnlyList<PathStep> Steps)
{
    public int Length => Steps.Count;
}

public sealed record ObservationQuery(EntityKey? Subject = null, string? Metric = null, EntityKey? Region = null, NumberRange? Value = null);

public sealed record SeedApplication(bool Changed, int Entities, int Relationships, int Observations, int Quotes, int Sources);

public sealed record StoreHealth(bool IsHealthy, string Description);
