using System.Globalization;
using System.Text;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Storage;

/// <summary>
/// A condition on entities, as each store plans it: one query per call, values only as parameters. A null condition
/// means "every entity"; <see cref="EntityFilterSpec.Normalise"/> is the one place that decides what a filter means.
/// Records print canonically (<see cref="object.ToString"/>), so equal filters have equal texts.
/// </summary>
public abstract record EntityCondition
{
    /// <summary>How many conditions the tree holds (each counts once); a relationship hop counts its node too.</summary>
    public abstract int Size { get; }

    /// <summary>How deeply conditions nest: 1 for a leaf.</summary>
    public abstract int Depth { get; }

    /// <summary>The work a store does for the condition, in the cost limit's units: a hop to neighbours costs more.</summary>
    public abstract int Cost { get; }
}

/// <summary>Every condition holds.</summary>
public sealed record AllOf(IReadOnlyList<EntityCondition> Conditions) : EntityCondition
{
    public override int Size => Conditions.Sum(c => c.Size);

    public override int Depth => 1 + Conditions.Max(c => c.Depth);

    public override int Cost => Conditions.Sum(c => c.Cost);

    public override string ToString() => $"AND({string.Join(", ", Conditions)})";
}

/// <summary>At least one condition holds.</summary>
public sealed record AnyOf(IReadOnlyList<EntityCondition> Conditions) : EntityCondition
{
    public override int Size => Conditions.Sum(c => c.Size);

    public override int Depth => 1 + Conditions.Max(c => c.Depth);

    public override int Cost => Conditions.Sum(c => c.Cost);

    public override string ToString() => $"OR({string.Join(", ", Conditions)})";
}

/// <summary>The condition does not hold.</summary>
public sealed record NotCondition(EntityCondition Condition) : EntityCondition
{
    public override int Size => Condition.Size;

    public override int Depth => 1 + Condition.Depth;

    public override int Cost => Condition.Cost;

    public override string ToString() => $"NOT({Condition})";
}

/// <summary>The entity's key is one of these (never empty).</summary>
public sealed record KeyIn(IReadOnlyList<EntityKey> Keys) : EntityCondition
{
    public override int Size => 1;

    public override int Depth => 1;

    public override int Cost => 1;

    public override string ToString() => $"key IN [{string.Join(", ", Keys.Select(k => k.Value))}]";
}

/// <summary>The entity is of one of these kinds (never empty).</summary>
public sealed record KindIn(IReadOnlyList<EntityKind> Kinds) : EntityCondition
{
    public override int Size => 1;

    public override int Depth => 1;

    public override int Cost => 1;

    public override string ToString() => $"kind IN [{string.Join(", ", Kinds)}]";
}

public enum TextMatch
{
    Equals,
    Contains,
    StartsWith,
}

/// <summary>
/// The English or the French name equals, contains or starts with <see cref="Text"/>, both folded by
/// <see cref="TextFold"/> (so ignoring case and accents).
/// </summary>
public sealed record NameMatches(TextMatch Match, string Text) : EntityCondition
{
    public override int Size => 1;

    public override int Depth => 1;

    // A name condition reads every candidate's names.
    public override int Cost => 2;

    public override string ToString() => $"name {Match} '{Text}'";
}

/// <summary>
/// The entity has at least one relationship of <see cref="Type"/> in <see cref="Direction"/> (seen from the entity)
/// to an entity meeting <see cref="Node"/> (any entity when null).
/// </summary>
public sealed record RelatedTo(RelationshipType Type, RelationshipDirection Direction, EntityCondition? Node) : EntityCondition
{
    /// <summary>What a hop to neighbours costs besides its node's own conditions.</summary>
    public const int HopCost = 10;

    public override int Size => 1 + (Node?.Size ?? 0);

    public override int Depth => 1 + (Node?.Depth ?? 0);

    public override int Cost => HopCost + (Node?.Cost ?? 0);

    public override string ToString() => $"related {Type} {Direction} ({Node?.ToString() ?? "any"})";
}

/// <summary>The entity is the subject of a figure of <see cref="Metric"/> whose value lies in <see cref="Value"/>.</summary>
public sealed record HasObservation(string Metric, NumberRange Value) : EntityCondition
{
    public override int Size => 1;

    public override int Depth => 1;

    public override int Cost => 5;

    public override string ToString() => $"observation {Metric} {Value}";
}

/// <summary>Bounds on a number; every bound given must hold, none given means any number.</summary>
public sealed record NumberRange(double? Eq = null, double? Gt = null, double? Gte = null, double? Lt = null, double? Lte = null)
{
    public static readonly NumberRange Any = new();

    public bool IsAny => Eq is null && Gt is null && Gte is null && Lt is null && Lte is null;

    /// <summary>The bounds given, as (operator, value) with operators <c>=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>.</summary>
    public IEnumerable<(string Operator, double Value)> Bounds()
    {
        if (Eq is { } eq)
        {
            yield return ("=", eq);
        }

        if (Gt is { } gt)
        {
            yield return (">", gt);
        }

        if (Gte is { } gte)
        {
            yield return (">=", gte);
        }

        if (Lt is { } lt)
        {
            yield return ("<", lt);
        }

        if (Lte is { } lte)
        {
            yield return ("<=", lte);
        }
    }

    public bool Contains(double value) => Bounds().All(b => b.Operator switch
    {
        "=" => value == b.Value,
        ">" => value > b.Value,
        ">=" => value >= b.Value,
        "<" => value < b.Value,
        _ => value <= b.Value,
    });

    public override string ToString() =>
        IsAny ? "any" : string.Join(" ", Bounds().Select(b => b.Operator + b.Value.ToString("R", CultureInfo.InvariantCulture)));
}

/// <summary>
/// A filter as a client writes it (the GraphQL <c>EntityFilter</c> input): every part given must hold.
/// <see cref="Normalise"/> turns it into an <see cref="EntityCondition"/>.
/// </summary>
public sealed record EntityFilterSpec
{
    /// <summary>How deeply filters may nest (AND/OR/NOT and related nodes).</summary>
    public const int MaxDepth = 6;

    /// <summary>How many conditions one filter may hold.</summary>
    public const int MaxSize = 40;

    /// <summary>How many values one <c>in</c> list may hold.</summary>
    public const int MaxValues = 100;

    public IReadOnlyList<EntityFilterSpec>? And { get; init; }

    public IReadOnlyList<EntityFilterSpec>? Or { get; init; }

    public EntityFilterSpec? Not { get; init; }

    public string? KeyEq { get; init; }

    public IReadOnlyList<string>? KeyIn { get; init; }

    public EntityKind? KindEq { get; init; }

    public IReadOnlyList<EntityKind>? KindIn { get; init; }

    public string? NameEq { get; init; }

    public string? NameContains { get; init; }

    public string? NameStartsWith { get; init; }

    public RelatedSpec? Related { get; init; }

    public ObservationSpec? Observation { get; init; }

    /// <summary>The deprecated <c>keys</c>: the same as <see cref="KeyIn"/>.</summary>
    public IReadOnlyList<string>? LegacyKeys { get; init; }

    /// <summary>The deprecated <c>nameContains</c>: the same as <see cref="NameContains"/>.</summary>
    public string? LegacyNameContains { get; init; }

    /// <summary>
    /// The condition this filter means, or null for "every entity". Empty lists and empty texts are no condition
    /// (<c>AND: []</c>, <c>key: { in: [] }</c>, <c>name: { contains: "" }</c>), and so is an empty filter; an OR with
    /// an empty member is therefore no condition either. <c>NOT</c> of no condition would match nothing and is
    /// refused. Throws <see cref="InvalidFilterException"/> for a filter that is too large, deep or meaningless.
    /// </summary>
    public EntityCondition? Normalise()
    {
        var condition = NormaliseAt(1);
        if (condition is not null && condition.Size > MaxSize)
        {
            throw new InvalidFilterException($"A filter may hold at most {MaxSize} conditions; this one holds {condition.Size}.");
        }

        return condition;
    }

    private EntityCondition? NormaliseAt(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidFilterException($"Filters may nest at most {MaxDepth} levels deep.");
        }

        var parts = new List<EntityCondition?>();
        foreach (var part in And ?? [])
        {
            parts.Add(part.NormaliseAt(depth + 1));
        }

        if (Or is { Count: > 0 } or)
        {
            var options = or.Select(o => o.NormaliseAt(depth + 1)).ToList();
            parts.Add(options.Any(o => o is null) ? null : EntityConditions.Any(options.OfType<EntityCondition>().ToList()));
        }

        if (Not is not null)
        {
            parts.Add(Not.NormaliseAt(depth + 1) is { } negated
                ? new NotCondition(negated)
                : throw new InvalidFilterException("NOT needs a condition: NOT of an empty filter would match nothing."));
        }

        parts.Add(Keys(KeyEq is null ? null : [KeyEq]));
        parts.Add(Keys(KeyIn));
        parts.Add(Keys(LegacyKeys));
        parts.Add(Kinds(KindEq is { } kind ? [kind] : null));
        parts.Add(Kinds(KindIn));
        parts.Add(Name(TextMatch.Equals, NameEq));
        parts.Add(Name(TextMatch.Contains, NameContains));
        parts.Add(Name(TextMatch.Contains, LegacyNameContains));
        parts.Add(Name(TextMatch.StartsWith, NameStartsWith));
        if (Related is { } related)
        {
            parts.Add(new RelatedTo(related.Type, related.Direction, related.Node?.NormaliseAt(depth + 1)));
        }

        if (Observation is { } observation)
        {
            if (string.IsNullOrWhiteSpace(observation.Metric))
            {
                throw new InvalidFilterException("An observation filter needs a metric, such as MONTHLY_ACTIVE_USERS.");
            }

            parts.Add(new HasObservation(observation.Metric, observation.Value ?? NumberRange.Any));
        }

        return EntityConditions.All(parts);
    }

    private static KeyIn? Keys(IReadOnlyList<string>? keys)
    {
        if (keys is null || keys.Count == 0)
        {
            return null;
        }

        return keys.Count > MaxValues
            ? throw new InvalidFilterException($"An 'in' list may hold at most {MaxValues} values.")
            : new KeyIn(keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(k => new EntityKey(k)).ToList());
    }

    private static KindIn? Kinds(IReadOnlyList<EntityKind>? kinds) =>
        kinds is null || kinds.Count == 0 ? null : new KindIn(kinds.Distinct().Order().ToList());

    private static NameMatches? Name(TextMatch match, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length > 200
            ? throw new InvalidFilterException("A name condition may hold at most 200 characters.")
            : new NameMatches(match, TextFold.Fold(text));
    }
}

/// <summary>The <c>related</c> part of a filter.</summary>
public sealed record RelatedSpec(RelationshipType Type, RelationshipDirection Direction = RelationshipDirection.Both, EntityFilterSpec? Node = null);

/// <summary>The <c>observation</c> part of a filter.</summary>
public sealed record ObservationSpec(string Metric, NumberRange? Value = null);

/// <summary>Combines conditions, where null means "every entity".</summary>
public static class EntityConditions
{
    /// <summary>Every part holds: nulls dropped, nested ANDs flattened; null when nothing is left.</summary>
    public static EntityCondition? All(IEnumerable<EntityCondition?> parts)
    {
        var list = parts.SelectMany(p => p is AllOf all ? all.Conditions : p is null ? [] : [p]).ToList();
        return list.Count switch
        {
            0 => null,
            1 => list[0],
            _ => new AllOf(list),
        };
    }

    /// <summary>At least one part holds; never null parts (an OR with "every entity" in it is itself null).</summary>
    public static EntityCondition Any(IReadOnlyList<EntityCondition> parts) =>
        parts.Count == 1 ? parts[0] : new AnyOf(parts.SelectMany(p => p is AnyOf any ? any.Conditions : [p]).ToList());
}

/// <summary>A filter that cannot be run: too large, too deep or meaningless. Its message is for the client.</summary>
public sealed class InvalidFilterException : Exception
{
    public InvalidFilterException()
    {
    }

    public InvalidFilterException(string message)
        : base(message)
    {
    }

    public InvalidFilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Folds text for name conditions, the same in every store and whatever the process's globalization mode (the API
/// runs with invariant globalization, where <see cref="string.Normalize()"/> does not decompose accents): lower case
/// (<c>İ</c> to <c>i</c>, <c>ẞ</c> to <c>ß</c>), then the Latin letters with diacritics of French and the other
/// European languages to their base letters, ligatures spelled out (<c>ß</c> to <c>ss</c>), Greek without its accents
/// and with one sigma (<c>ς</c> to <c>σ</c>), Cyrillic <c>ё</c> to <c>е</c>, combining accents (text typed decomposed,
/// <c>e</c> + U+0301) dropped, typographic apostrophes to <c>'</c>. The stores compare folded names with the folded
/// condition: SQLite through <c>kg_fold</c>, this function, and the indexes on it; Neo4j through the
/// <c>foldEn</c>/<c>foldFr</c> properties written with each entity.
/// </summary>
public static class TextFold
{
    /// <summary>
    /// Changes whenever <see cref="Fold"/> folds any text differently, so that what a store keeps folded (SQLite's
    /// indexes on <c>kg_fold</c>) is rebuilt when it opens a file folded by another version.
    /// </summary>
    public const string Version = "2";

    private static readonly Dictionary<char, string> Table = BuildTable();

    // Both capitals İ and ẞ are in the table too: ToLowerInvariant leaves them as they are in some globalization modes.
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = text.ToLowerInvariant();
        StringBuilder? builder = null;
        for (var i = 0; i < lower.Length; i++)
        {
            var c = lower[i];
            string? replacement = IsCombiningMark(c) ? string.Empty : Table.GetValueOrDefault(c);
            if (replacement is not null)
            {
                builder ??= new StringBuilder(lower, 0, i, lower.Length + 8);
                builder.Append(replacement);
            }
            else
            {
                builder?.Append(c);
            }
        }

        return builder?.ToString() ?? lower;
    }

    // The Combining Diacritical Marks block: the accents of decomposed text, none of them a letter of its own.
    private static bool IsCombiningMark(char c) => c is >= '\u0300' and <= '\u036f';

    private static Dictionary<char, string> BuildTable()
    {
        var groups = new (string Letters, string Base)[]
        {
            ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
            ("ìíîïĩīĭįıİ", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
            ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"),
            ("æ", "ae"), ("œ", "oe"), ("ßẞ", "ss"), ("þ", "th"), ("ð", "d"), ("\u2018\u2019\u02bc", "'"),
            ("ά", "α"), ("έ", "ε"), ("ή", "η"), ("ίϊΐ", "ι"), ("ό", "ο"), ("ύϋΰ", "υ"), ("ώ", "ω"), ("ς", "σ"),
            ("ё", "е"),
        };
        var table = new Dictionary<char, string>();
        foreach (var (letters, folded) in groups)
        {
            foreach (var letter in letters)
            {
                table[letter] = folded;
            }
        }

        return table;
    }
}
