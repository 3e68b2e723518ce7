using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Store.Sqlite;

// Shortest paths by breadth-first search, one batched neighbourhood query per hop on one connection. Relationships
// are walked in either direction; every shortest path is kept (up to the limit), found through the parent links.
public sealed partial class SqliteGraphStore
{
    public async Task<IReadOnlyList<GraphPath>> FindShortestPathsAsync(PathQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MaxHops <= 0 || query.Limit <= 0)
        {
            return [];
        }

        await using var connection = await OpenAsync(cancellationToken);
        var types = TypesJson(query.Types);

        // The distance at which each entity was first reached, and the steps that reached it at that distance.
        var depth = new Dictionary<EntityKey, int> { [query.From] = 0 };
        var parents = new Dictionary<EntityKey, List<PathStep>>();
        var frontier = new List<EntityKey> { query.From };
        var found = query.From == query.To;
        for (var hop = 1; hop <= query.MaxHops && !found && frontier.Count > 0; hop++)
        {
            var next = new List<EntityKey>();
            var inFrontier = frontier.ToHashSet();
            await using var command = Command(connection, SqliteSql.Neighbourhood, ("$keys", KeysJson(frontier)), ("$types", types));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var relationship = SqliteRows.ReadRelationship(reader);
                if (inFrontier.Contains(relationship.From))
                {
                    Reach(relationship.From, relationship, relationship.To, hop, depth, parents, next);
                }

                if (inFrontier.Contains(relationship.To))
                {
                    Reach(relationship.To, relationship, relationship.From, hop, depth, parents, next);
                }
            }

            found = depth.ContainsKey(query.To);
            frontier = next;
        }

        if (!depth.ContainsKey(query.To) || query.From == query.To)
        {
            return [];
        }

        var paths = new List<GraphPath>();
        Unwind(query.To, query.From, parents, [], paths, query.Limit);
        return paths.OrderBy(p => string.Join('|', p.Steps.Select(s => s.Relationship.Key)), StringComparer.Ordinal).ToList();
    }

    private static void Reach(
        EntityKey from,
        Relationship relationship,
        EntityKey to,
        int hop,
        Dictionary<EntityKey, int> depth,
        Dictionary<EntityKey, List<PathStep>> parents,
        List<EntityKey> next)
    {
        if (depth.TryGetValue(to, out var seenAt))
        {
            if (seenAt != hop)
            {
                return;
            }
        }
        else
        {
            depth[to] = hop;
            next.Add(to);
        }

        if (!parents.TryGetValue(to, out var steps))
        {
            parents[to] = steps = [];
        }

        if (!steps.Exists(s => s.Relationship.Key == relationship.Key && s.From == from))
        {
            steps.Add(new PathStep(from, relationship, to));
        }
    }

    private static void Unwind(EntityKey at, EntityKey start, Dictionary<EntityKey, List<PathStep>> parents, List<PathStep> suffix, List<GraphPath> paths, int limit)
    {
        if (paths.Count >= limit)
        {
            return;
        }

        if (at == start)
        {
            paths.Add(new GraphPath(Enumerable.Reverse(suffix).ToList()));
            return;
        }

        foreach (var step in parents[at].OrderBy(s => s.Relationship.Key, StringComparer.Ordinal))
        {
            suffix.Add(step);
            Unwind(step.From, start, parents, suffix, paths, limit);
            suffix.RemoveAt(suffix.Count - 1);
        }
    }
}
