using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Storage;

/// <summary>One order of an entity list: a field, smallest or largest first.</summary>
public sealed record EntitySort(EntityOrderField Field, bool Descending = false);

/// <summary>How many entities of a kind a filtered list holds.</summary>
public sealed record KindCount(EntityKind Kind, int Count);

/// <summary>How many relationships of a type a filtered list holds.</summary>
public sealed record TypeCount(RelationshipType Type, int Count);

/// <summary>What an <see cref="EntityQuery"/> means, decided once for every store.</summary>
public static class EntityQueryPlan
{
    /// <summary>The whole condition: the kinds, keys and name of the query and its <see cref="EntityQuery.Where"/>.</summary>
    public static EntityCondition? Condition(this EntityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return EntityConditions.All(
        [
            query.Kinds is { Count: > 0 } kinds ? new KindIn(kinds.Distinct().Order().ToList()) : null,
            query.Keys is { Count: > 0 } keys ? new KeyIn(keys.Distinct().OrderBy(k => k.Value, StringComparer.Ordinal).ToList()) : null,
            string.IsNullOrEmpty(query.NameContains) ? null : new NameMatches(TextMatch.Contains, TextFold.Fold(query.NameContains)),
            query.Where,
        ]);
    }

    /// <summary>
    /// The sorts, in order: <see cref="EntityQuery.OrderBy"/> then <see cref="EntityQuery.ThenBy"/>, stopping at the
    /// first by key (the key is unique, so nothing after it can matter). Ties left after the last are broken by key,
    /// in the direction of the last (see <see cref="KeyDescending"/>).
    /// </summary>
    public static IReadOnlyList<EntitySort> Sorts(this EntityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sorts = new List<EntitySort>();
        foreach (var sort in (IEnumerable<EntitySort>)[new(query.OrderBy, query.Descending), .. query.ThenBy ?? []])
        {
            sorts.Add(sort);
            if (sort.Field == EntityOrderField.Key)
            {
                break;
            }
        }

        return sorts;
    }

    /// <summary>Whether the final tie-break by key is descending: the direction of the last sort.</summary>
    public static bool KeyDescending(this EntityQuery query) => query.Sorts()[^1].Descending;

    /// <summary>
    /// The direction a store walks one sort in: walking backwards (<see cref="EntityQuery.IsBackward"/>) walks the
    /// requested order in reverse, then turns the page round.
    /// </summary>
    public static bool WalksAscending(this EntityQuery query, bool descending) => !descending ^ query.IsBackward;
}
