using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Storage;

/// <summary>An entity tied directly to every one of some entities, with the relationships that tie it, ordered by key.</summary>
public sealed record Link(EntityKey Entity, IReadOnlyList<Relationship> Relationships);

/// <summary>"What connects all of these entities directly", decided from the relationships of those entities.</summary>
public static class Linking
{
    /// <summary>How many entities one question may name.</summary>
    public const int MaxKeys = 10;

    /// <summary>
    /// The entities, other than <paramref name="keys"/> themselves, with a relationship to every one of
    /// <paramref name="keys"/>, ordered by key, at most <paramref name="first"/>. <paramref name="relationshipsOf"/>
    /// holds the relationships of each key (already narrowed to the types and the kinds of the other end asked for).
    /// </summary>
    public static IReadOnlyList<Link> Find(
        IReadOnlyList<EntityKey> keys, IReadOnlyDictionary<EntityKey, IReadOnlyList<Relationship>> relationshipsOf, int first)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(relationshipsOf);
        var named = keys.ToHashSet();
        Dictionary<EntityKey, List<Relationship>>? common = null;
        foreach (var key in named)
        {
            var byOther = new Dictionary<EntityKey, List<Relationship>>();
            foreach (var relationship in relationshipsOf.GetValueOrDefault(key) ?? [])
            {
                var other = relationship.From == key ? relationship.To : relationship.From;
                if (!named.Contains(other) && (common is null || common.ContainsKey(other)))
                {
                    (byOther.TryGetValue(other, out var list) ? list : byOther[other] = []).Add(relationship);
                }
            }

            if (common is not null)
            {
                foreach (var (other, list) in byOther)
                {
                    list.AddRange(common[other]);
                }
            }

            common = byOther;
        }

        return (common ?? [])
            .OrderBy(c => c.Key.Value, StringComparer.Ordinal)
            .Take(Math.Max(0, first))
            .Select(c => new Link(c.Key, c.Value.DistinctBy(r => r.Key).OrderBy(r => r.Key, StringComparer.Ordinal).ToList()))
            .ToList();
    }
}

/// <summary>Figures summed up in one unit: <c>count min max sum</c>.</summary>
public sealed record ObservationSummary(int Count, decimal? Min, decimal? Max, decimal Sum, string? Unit)
{
    /// <summary>The summary of <paramref name="observations"/>; figures in several units cannot be summed up.</summary>
    public static ObservationSummary Of(IReadOnlyList<Observation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var units = observations.Select(o => o.Unit).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (units.Count > 1)
        {
            throw new InvalidFilterException(
                $"The figures are in several units ({string.Join(", ", units)}) and cannot be summed up together: narrow them to one metric or unit.");
        }

        return observations.Count == 0
            ? new ObservationSummary(0, null, null, 0, null)
            : new ObservationSummary(observations.Count, observations.Min(o => o.Value), observations.Max(o => o.Value), observations.Sum(o => o.Value), units[0]);
    }
}
