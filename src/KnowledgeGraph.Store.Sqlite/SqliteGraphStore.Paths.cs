using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

// Shortest paths by bidirectional breadth-first search on one connection. Each step expands, by one hop, whichever
// side (from the start or from the end) has the smaller frontier, with one batched query that reads only keys and
// endpoints. When the two sides meet, the meeting nodes split every shortest path in two: the part from the start
// is read from the start side's parent links, the part to the end from the end side's links, restricted to nodes
// that actually reach a meeting node. Paths are then unwound from the end exactly as a one-sided search would, so
// the answer (which paths, in which order, up to the limit) does not depend on which side was expanded when; only
// the relationships on the returned paths are read in full.
public sealed partial class SqliteGraphStore
{
    public async Task<IReadOnlyList<GraphPath>> FindShortestPathsAsync(PathQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MaxHops <= 0 || query.Limit <= 0 || query.From == query.To)
        {
            return [];
        }

        await using var lease = await RentReadsAsync(cancellationToken);
        var statements = lease.Statements;
        var types = TypesJson(query.Types);
        var start = new SearchSide(query.From.Value);
        var end = new SearchSide(query.To.Value);
        List<string> meeting = [];
        while (start.Level + end.Level < query.MaxHops && start.Frontier.Count > 0 && end.Frontier.Count > 0)
        {
            var (side, other) = end.Frontier.Count < start.Frontier.Count ? (end, start) : (start, end);
            await ExpandAsync(statements, side, types, cancellationToken);
            meeting = side.Frontier.Where(other.Depth.ContainsKey).ToList();
            if (meeting.Count > 0)
            {
                break;
            }
        }

        if (meeting.Count == 0)
        {
            return [];
        }

        var parents = ParentsOnShortestPaths(start, end, meeting);
        var found = new List<List<Link>>();
        Unwind(query.To.Value, query.From.Value, parents, [], found, query.Limit);

        var relationships = new Dictionary<string, Relationship>(StringComparer.Ordinal);
        var keys = found.SelectMany(p => p).Select(l => l.Relationship).Distinct(StringComparer.Ordinal).ToList();
        await using (var reader = await statements.Command(SqliteSql.RelationshipsByKeys, ("$keys", SqliteJson.Write(keys))).ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var relationship = SqliteRows.ReadRelationship(reader);
                relationships[relationship.Key] = relationship;
            }
        }

        return found
            .Select(p => new GraphPath(p.Select(l => new PathStep(new EntityKey(l.From), relationships[l.Relationship], new EntityKey(l.To))).ToList()))
            .OrderBy(p => string.Join('|', p.Steps.Select(s => s.Relationship.Key)), StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Walks one more hop from every node of the side's frontier, in either direction of relationships.</summary>
    private static async Task ExpandAsync(SqliteStatements statements, SearchSide side, string? types, CancellationToken cancellationToken)
    {
        var hop = side.Level + 1;
        var inFrontier = side.Frontier.ToHashSet(StringComparer.Ordinal);
        var next = new List<string>();
        await using (var reader = await statements.Command(SqliteSql.NeighbourhoodLinks, ("$keys", SqliteJson.Write(side.Frontier)), ("$types", types)).ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetString(0);
                var from = reader.GetString(1);
                var to = reader.GetString(2);
                if (inFrontier.Contains(from))
                {
                    side.Reach(from, key, to, hop, next);
                }

                if (inFrontier.Contains(to))
                {
                    side.Reach(to, key, from, hop, next);
                }
            }
        }

        side.Level = hop;
        side.Frontier = next;
    }

    /// <summary>
    /// For every node on a shortest path, the steps that reach it from the previous node on such a path, oriented
    /// from the start to the end: the start side's own links up to the meeting nodes, then the end side's links
    /// turned round, following only nodes reachable from a meeting node.
    /// </summary>
    private static Dictionary<string, List<Link>> ParentsOnShortestPaths(SearchSide start, SearchSide end, List<string> meeting)
    {
        var parents = new Dictionary<string, List<Link>>(StringComparer.Ordinal);
        var onPath = new HashSet<string>(meeting, StringComparer.Ordinal);
        var toVisit = new Queue<string>(meeting);
        while (toVisit.Count > 0)
        {
            var node = toVisit.Dequeue();

            // On the end side, a link at a node points to the next node towards the end.
            if (!end.Links.TryGetValue(node, out var towardsEnd))
            {
                continue;
            }

            foreach (var link in towardsEnd)
            {
                if (!parents.TryGetValue(link.From, out var steps))
                {
                    parents[link.From] = steps = [];
                }

                steps.Add(new Link(node, link.Relationship, link.From));
                if (onPath.Add(link.From))
                {
                    toVisit.Enqueue(link.From);
                }
            }
        }

        foreach (var (node, links) in start.Links)
        {
            parents[node] = links;
        }

        return parents;
    }

    private static void Unwind(string at, string start, Dictionary<string, List<Link>> parents, List<Link> suffix, List<List<Link>> paths, int limit)
    {
        if (paths.Count >= limit)
        {
            return;
        }

        if (at == start)
        {
            paths.Add(Enumerable.Reverse(suffix).ToList());
            return;
        }

        if (!parents.TryGetValue(at, out var steps))
        {
            return;
        }

        foreach (var step in steps.OrderBy(s => s.Relationship, StringComparer.Ordinal))
        {
            suffix.Add(step);
            Unwind(step.From, start, parents, suffix, paths, limit);
            suffix.RemoveAt(suffix.Count - 1);
        }
    }

    /// <summary>A step between two entities over a relationship, oriented the way the search walked it.</summary>
    private readonly record struct Link(string From, string Relationship, string To);

    /// <summary>One side of the search: how far each reached node is from its origin, and how it was reached.</summary>
    private sealed class SearchSide(string origin)
    {
        public Dictionary<string, int> Depth { get; } = new(StringComparer.Ordinal) { [origin] = 0 };

        /// <summary>For each reached node, the steps that first reached it, from a node one hop closer to the origin.</summary>
        public Dictionary<string, List<Link>> Links { get; } = new(StringComparer.Ordinal);

        public List<string> Frontier { get; set; } = [origin];

        public int Level { get; set; }

        public void Reach(string from, string relationship, string to, int hop, List<string> next)
        {
            if (Depth.TryGetValue(to, out var seenAt))
            {
                if (seenAt != hop)
                {
                    return;
                }
            }
            else
            {
                Depth[to] = hop;
                next.Add(to);
            }

            if (!Links.TryGetValue(to, out var steps))
            {
                Links[to] = steps = [];
            }

            steps.Add(new Link(from, relationship, to));
        }
    }
}
