using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;

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
/// Which relationships of an entity to read. <see cref="Types"/> is normalised once, here, for every store: null or
/// an empty list means every type; otherwise each type once, in a fixed order. <see cref="Node"/>, when given, keeps
/// only relationships whose other end meets it.
/// </summary>
public sealed record RelationshipFilter
{
    public static readonly RelationshipFilter All = new(RelationshipDirection.Both, null);

    public RelationshipFilter(RelationshipDirection direction, IReadOnlyCollection<RelationshipType>? types, EntityCondition? node = null)
    {
        Direction = direction;
        Types = QueryFilters.Normalize(types);
        Node = node;
    }

    public RelationshipDirection Direction { get; }

    /// <summary>The types to follow; null means every type (never empty).</summary>
    public IReadOnlyList<RelationshipType>? Types { get; }

    /// <summary>A condition the other end of each relationship meets; null for none.</summary>
    public EntityCondition? Node { get; }

    public bool Equals(RelationshipFilter? other) =>
        other is not null && Direction == other.Direction && QueryFilters.SameItems(Types, other.Types) && Equals(Node, other.Node);

    public override int GetHashCode() => HashCode.Combine(Direction, QueryFilters.Key(Types), Node);
}

/// <summary>The normalisation every query record applies to its filters, so that no store decides what they mean.</summary>
public static class QueryFilters
{
    /// <summary>Null for no filter (null or empty: "all"), otherwise the distinct values in their declared order.</summary>
    public static IReadOnlyList<T>? Normalize<T>(IReadOnlyCollection<T>? values)
        where T : struct, Enum =>
        values is null || values.Count == 0 ? null : values.Distinct().Order().ToList();

    /// <summary>Distinct keys in ordinal order, or null for no filter.</summary>
    public static IReadOnlyList<EntityKey>? NormalizeKeys(IReadOnlyCollection<EntityKey>? keys) =>
        keys?.Distinct().OrderBy(k => k.Value, StringComparer.Ordinal).ToList();

    internal static bool SameItems<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);

    internal static string Key<T>(IReadOnlyList<T>? values) => values is null ? "*" : string.Join(',', values);
}

/// <summary>A query a caller asked for that no store runs, such as a filter text outside its bounds.</summary>
public sealed class InvalidQueryException : ArgumentException
{
    public InvalidQueryException()
    {
    }

    public InvalidQueryException(string message)
        : base(message)
    {
    }

    public InvalidQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
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
/// Filters are normalised on construction: no kinds or an empty list means every kind; an empty
/// <see cref="NameContains"/> means no name filter, and one longer than <see cref="MaxNameContainsLength"/> is refused.
/// <see cref="Keys"/> is a filter like any other: an empty list matches nothing.
/// </summary>
public sealed record EntityQuery
{
    /// <summary>The longest <see cref="NameContains"/> text: a longer one cannot name anything and only costs a scan.</summary>
    public const int MaxNameContainsLength = 100;

    public EntityQuery(
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
        if (NameContains is { Length: > MaxNameContainsLength })
        {
            throw new InvalidQueryException($"'nameContains' must hold at most {MaxNameContainsLength} characters.");
        }

        this.Kinds = QueryFilters.Normalize(Kinds);
        this.Keys = QueryFilters.NormalizeKeys(Keys);
        this.NameContains = string.IsNullOrEmpty(NameContains) ? null : NameContains;
        this.OrderBy = OrderBy;
        this.Descending = Descending;
        this.Language = Language;
        this.First = First;
        this.After = After;
        this.Last = Last;
        this.Before = Before;
        this.IncludeTotalCount = IncludeTotalCount;
        this.Where = Where;
        this.ThenBy = ThenBy;
        this.IncludeCountsByKind = IncludeCountsByKind;
    }

    /// <summary>The kinds to list; null means every kind (never empty).</summary>
    public IReadOnlyList<EntityKind>? Kinds { get; }

    /// <summary>The keys to list; null means any key; empty means none.</summary>
    public IReadOnlyList<EntityKey>? Keys { get; }

    /// <summary>Text the English or French name contains, ignoring case; null for no name filter.</summary>
    public string? NameContains { get; }

    public EntityOrderField OrderBy { get; }

    public bool Descending { get; }

    public Language Language { get; }

    public int? First { get; }

    public EntityCursor? After { get; }

    public int? Last { get; }

    public EntityCursor? Before { get; }

    public bool IncludeTotalCount { get; }

    /// <summary>The composable condition (<c>where</c>), beside the deprecated <see cref="Keys"/> and <see cref="NameContains"/>; null for none.</summary>
    public EntityCondition? Where { get; }

    /// <summary>The orders after <see cref="OrderBy"/>, ties broken by each in turn and then by key.</summary>
    public IReadOnlyList<EntitySort>? ThenBy { get; }

    /// <summary>Whether the page also counts the whole filtered set by kind.</summary>
    public bool IncludeCountsByKind { get; }

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

    /// <summary>
    /// The page a store answers, from the rows it read walking <see cref="WalksAscending"/>: up to
    /// <see cref="PageSize"/> + 1 of them (one more tells whether the list goes on) and whether anything lies before
    /// the cursor. Every store assembles its page here, so both page alike.
    /// </summary>
    public EntityPage Assemble(IReadOnlyList<(Entity Entity, EntityCursor Cursor)> walked, bool anyBeforeCursor, int? totalCount, IReadOnlyList<KindCount>? countsByKind = null)
    {
        ArgumentNullException.ThrowIfNull(walked);
        var items = walked.Take(PageSize).ToList();
        var morePastPage = walked.Count > PageSize;
        var moreBeforeCursor = Cursor is not null && anyBeforeCursor;
        int? total = IncludeTotalCount ? totalCount : null;
        var counts = IncludeCountsByKind ? countsByKind : null;
        if (IsBackward)
        {
            items.Reverse();
            return new EntityPage(items, HasPreviousPage: morePastPage, HasNextPage: moreBeforeCursor, total, counts);
        }

        return new EntityPage(items, HasPreviousPage: moreBeforeCursor, HasNextPage: morePastPage, total, counts);
    }
}

/// <summary>A page of entities, each with the cursor that points at it.</summary>
public sealed record EntityPage(
    IReadOnlyList<(Entity Entity, EntityCursor Cursor)> Items,
    bool HasPreviousPage,
    bool HasNextPage,
    int? TotalCount,
    IReadOnlyList<KindCount>? CountsByKind = null);

/// <summary>
/// A search, normalised on construction: <see cref="Terms"/> are the words a store must match (see
/// <see cref="SearchTerms"/>), no kinds or an empty list means every kind.
/// </summary>
public sealed record SearchQuery
{
    /// <summary>
    /// How many matching entities a store scores at most before the best are picked: a word that matches more ranks
    /// among the first this many the index yields. It bounds the work of one search whatever the graph's size.
    /// </summary>
    public const int MaxMatches = 10_000;

    /// <summary>How many candidates beyond <see cref="First"/> a store hands to <see cref="SearchRanking"/>.</summary>
    public const int ExtraCandidates = 20;

    public SearchQuery(string Text, IReadOnlyCollection<EntityKind>? Kinds, int First)
    {
        this.Text = Text ?? string.Empty;
        this.Kinds = QueryFilters.Normalize(Kinds);
        this.First = First;
        Terms = SearchTerms.Parse(this.Text);
    }

    public string Text { get; }

    /// <summary>The kinds to search; null means every kind (never empty).</summary>
    public IReadOnlyList<EntityKind>? Kinds { get; }

    public int First { get; }

    public SearchTerms Terms { get; }

    /// <summary>Whether there is anything to run: at least one word and a page of at least one hit.</summary>
    public bool IsRunnable => Terms.Words.Count > 0 && First > 0;

    /// <summary>How many rows, best first by the store's own relevance, a store reads for <see cref="SearchRanking"/>.</summary>
    public int CandidateLimit => First + ExtraCandidates;
}

/// <summary>An entity that matched a search, with a score where higher is better.</summary>
public sealed record SearchHit(Entity Entity, double Score);

/// <summary>
/// A path search, normalised on construction: no types or an empty list means every type; <see cref="MaxHops"/> is
/// capped at <see cref="MaxHopsLimit"/>.
/// </summary>
public sealed record PathQuery
{
    /// <summary>The longest path any store looks for.</summary>
    public const int MaxHopsLimit = 10;

    public PathQuery(EntityKey From, EntityKey To, int MaxHops, IReadOnlyCollection<RelationshipType>? Types, int Limit = 10)
    {
        this.From = From;
        this.To = To;
        this.MaxHops = Math.Min(MaxHops, MaxHopsLimit);
        this.Types = QueryFilters.Normalize(Types);
        this.Limit = Limit;
    }

    public EntityKey From { get; }

    public EntityKey To { get; }

    public int MaxHops { get; }

    /// <summary>The types to walk; null means every type (never empty).</summary>
    public IReadOnlyList<RelationshipType>? Types { get; }

    public int Limit { get; }

    /// <summary>Whether any path can be asked for: at least one hop, one path, and two different ends.</summary>
    public bool IsRunnable => MaxHops > 0 && Limit > 0 && From != To;
}

/// <summary>One hop of a path, in the order it is walked; the relationship keeps its own direction.</summary>
public sealed record PathStep(EntityKey From, Relationship Relationship, EntityKey To);

public sealed record GraphPath(IReadOnlyList<PathStep> Steps)
{
    public int Length => Steps.Count;
}

/// <summary>
/// A page of facts, normalised on construction: no bases or an empty list means every basis; the page starts after
/// <see cref="After"/> in (key, type) order and holds at most <see cref="First"/> facts.
/// </summary>
public sealed record FactQuery
{
    public const int MaxFirst = 100;

    public FactQuery(IReadOnlyList<Basis>? bases, int first, FactCursor? after)
    {
        Bases = bases is null || bases.Count == 0 ? null : [.. bases.Distinct().Order()];
        First = Math.Clamp(first, 0, MaxFirst);
        After = after;
    }

    public IReadOnlyList<Basis>? Bases { get; }

    public int First { get; }

    public FactCursor? After { get; }

    /// <summary>Orders facts by key, then by the name of their record type (Claim, Observation, Relationship), as every store pages them.</summary>
    public static int Compare(FactCursor a, FactCursor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byKey = string.CompareOrdinal(a.Key, b.Key);
        return byKey != 0 ? byKey : string.CompareOrdinal(a.Type.ToString(), b.Type.ToString());
    }
}

/// <summary>Where a fact stands in the facts' order: its key and its record type.</summary>
public sealed record FactCursor(string Key, RecordType Type)
{
    public static FactCursor Of(object fact) => fact switch
    {
        Relationship r => new(r.Key, RecordType.Relationship),
        Observation o => new(o.Key, RecordType.Observation),
        Claim c => new(c.Key, RecordType.Claim),
        _ => throw new ArgumentException($"A {fact?.GetType().Name} is not a fact.", nameof(fact)),
    };
}

/// <summary>A page of facts: each a <see cref="Relationship"/>, <see cref="Observation"/> or <see cref="Claim"/>.</summary>
public sealed record FactPage(IReadOnlyList<object> Facts, bool HasNextPage);

public sealed record ObservationQuery(EntityKey? Subject = null, string? Metric = null, EntityKey? Region = null, NumberRange? Value = null);

/// <summary>
/// What applying a seed did: whether it changed the store, and how many records of each type the seed holds (the
/// seed's own counts, the same in every store, whatever partners wrote besides).
/// </summary>
public sealed record SeedApplication(bool Changed, int Entities, int Relationships, int Observations, int Quotes, int Sources)
{
    public static SeedApplication Of(LoadedSeed seed, bool changed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var graph = seed.Graph;
        return new SeedApplication(changed, graph.Entities.Count, graph.Relationships.Count, graph.Observations.Count, graph.Quotes.Count, graph.Sources.Count);
    }
}

public sealed record StoreHealth(bool IsHealthy, string Description);
