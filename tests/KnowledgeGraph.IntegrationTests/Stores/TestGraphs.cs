using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>Small hand-made graphs for import and path tests, and the one-sided search paths are checked against.</summary>
internal static class TestGraphs
{
    public static readonly Source TestSource = new(
        "test-source", new LocalizedText("Test source", "Source de test"), Language.En, "2021-01", null, "Telegram gained users while WhatsApp lost some.");

    public static Citation Cite => new(TestSource.Key, "Telegram", 0, 8);

    public static Entity Entity(string key, EntityKind kind = EntityKind.App, string? name = null) => new(
        new EntityKey(key),
        kind,
        new LocalizedText(name ?? key, name ?? key),
        new LocalizedText($"About {key}.", $"À propos de {key}."),
        [new EntityAlias($"{key}-alias", null)],
        [Cite]);

    public static Relationship Relationship(string from, string to, RelationshipType type = RelationshipType.CompetesWith, string? key = null) => new(
        key ?? $"{from}-{type.ToString().ToLowerInvariant()}-{to}",
        type,
        new EntityKey(from),
        new EntityKey(to),
        RelationshipProperties.None,
        [Cite]);

    /// <summary>
    /// A random multigraph with many shortest paths of equal length: <paramref name="entities"/> entities and
    /// <paramref name="relationships"/> relationships, parallel ones included, of two types.
    /// </summary>
    public static (List<Entity> Entities, List<Relationship> Relationships) Random(int entities, int relationships, int seed)
    {
        var random = new Random(seed);
        var nodes = Enumerable.Range(0, entities).Select(i => Entity($"node-{i:D4}")).ToList();
        var edges = Enumerable.Range(0, relationships).Select(i =>
        {
            var from = random.Next(entities);
            var to = (from + 1 + random.Next(entities - 1)) % entities;
            var type = random.Next(3) == 0 ? RelationshipType.Owns : RelationshipType.CompetesWith;
            return Relationship(nodes[from].Key.Value, nodes[to].Key.Value, type, $"edge-{random.Next(1_000_000):D6}-{i}");
        }).ToList();
        return (nodes, edges);
    }

    public static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    /// <summary>
    /// The store's shortest-path search as it was first written (one-sided, one hop at a time), over an in-memory
    /// list: the reference the bidirectional search must agree with, path for path and in the same order.
    /// </summary>
    public static IReadOnlyList<GraphPath> ReferenceShortestPaths(IReadOnlyList<Relationship> all, PathQuery query)
    {
        if (query.MaxHops <= 0 || query.Limit <= 0)
        {
            return [];
        }

        var usable = all.Where(r => query.Types is null || query.Types.Count == 0 || query.Types.Contains(r.Type)).ToList();
        var depth = new Dictionary<EntityKey, int> { [query.From] = 0 };
        var parents = new Dictionary<EntityKey, List<PathStep>>();
        var frontier = new List<EntityKey> { query.From };
        var found = query.From == query.To;
        for (var hop = 1; hop <= query.MaxHops && !found && frontier.Count > 0; hop++)
        {
            var next = new List<EntityKey>();
            var inFrontier = frontier.ToHashSet();
            foreach (var relationship in usable.Where(r => inFrontier.Contains(r.From) || inFrontier.Contains(r.To)))
            {
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

    private static void Reach(EntityKey from, Relationship relationship, EntityKey to, int hop, Dictionary<EntityKey, int> depth, Dictionary<EntityKey, List<PathStep>> parents, List<EntityKey> next)
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
