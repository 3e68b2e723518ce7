using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

// Shortest paths by bidirectional breadth-first search on one connection. Each step expands, by one hop, whichever
// side (from the start or from the end) has the smaller frontier: from the graph's shape kept in memory
// (SqlitePathTopology) while it is current and small enough, otherwise with one batched query that reads only keys and
// endpoints. Either way a relationship reaches out from each of its ends that is in the frontier, so both give the
// same search. When the two sides meet, the meeting nodes split every shortest path in two: the part from the start
// is read from the start side's parent links, the part to the end from the end side's links, restricted to nodes
// that actually reach a meeting node. Paths are then unwound from the end exactly as a one-sided search would, so
// the answer (which paths, in which order, up to the limit) does not depend on which side was expanded when; only
// the relationships on the returned paths are read in full.
public sealed partial class SqliteGraphStore
{
    private const int MaxPathAttempts = 3;

    private readonly int _pathTopologyLimit;
    private readonly SemaphoreSlim _topologyGate = new(1, 1);
    private volatile SqlitePathTopology? _topology;

    // The revision at which the graph was found to hold more relationships than the limit (-1: never).
    private long _topologyTooLargeAt = -1;

    /// <summary>The shape the path search walks now, if it is kept in memory; for tests.</summary>
    internal SqlitePathTopology? PathTopology => _topology;

    public async Task<IReadOnlyList<GraphPath>> FindShortestPathsAsync(PathQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.MaxHops <= 0 || query.Limit <= 0 || query.From == query.To)
        {
            return [];
        }

        await using var lease = await RentReadsAsync(cancellationToken);

        // A write that removes a relationship between the walk and the reading of the paths found makes a path of it
        // vanish: the search runs again on the graph as it is now, a few times at most, then answers what is left.
        for (var attempt = 1; ; attempt++)
        {
            var (paths, whole) = await SearchOnceAsync(lease.Statements, query, cancellationToken);
            if (whole || attempt == MaxPathAttempts)
            {
                return paths;
            }
        }
    }

    /// <summary>One search, and whether every relationship on the paths it found was still there to be read.</summary>
    private async Task<(IReadOnlyList<GraphPath> Paths, bool Whole)> SearchOnceAsync(SqliteStatements statements, PathQuery query, CancellationToken cancellationToken)
    {
        var topology = await CurrentPathTopologyAsync(statements, cancellationToken);
        var typesJson = topology is null ? TypesJson(query.Types) : null;
        var typeNames = topology is null || query.Types is null ? null : query.Types.Select(Vocabulary.ToWireName).ToHashSet(StringComparer.Ordinal);
        var start = new SearchSide(query.From.Value);
        var end = new SearchSide(query.To.Value);
        List<string> meeting = [];
        while (start.Level + end.Level < query.MaxHops && start.Frontier.Count > 0 && end.Frontier.Count > 0)
        {
            var (side, other) = end.Frontier.Count < start.Frontier.Count ? (end, start) : (start, end);
            if (topology is null)
            {
                ExpandInSql(statements, side, typesJson, cancellationToken);
            }
            else
            {
                Expand(topology, side, typeNames);
            }

            meeting = side.Frontier.Where(other.Depth.ContainsKey).ToList();
            if (meeting.Count > 0)
            {
                break;
            }
        }

        if (meeting.Count == 0)
        {
            return ([], true);
        }

        var parents = ParentsOnShortestPaths(start, end, meeting);
        var found = new List<List<Link>>();
        Unwind(query.To.Value, query.From.Value, parents, [], found, query.Limit);

        var relationships = new Dictionary<string, Relationship>(StringComparer.Ordinal);
        var keys = found.SelectMany(p => p).Select(l => l.Relationship).Distinct(StringComparer.Ordinal).ToList();
        using (var rows = statements.Read(SqliteSql.RelationshipsByKeys, cancellationToken, ("$keys", SqliteJson.WriteStrings(keys))))
        {
            while (rows.Next())
            {
                var relationship = SqliteRows.ReadRelationship(rows.Row);
                relationships[relationship.Key] = relationship;
            }
        }

        // A path whose relationship a write removed since its hop was read is no longer a path: it is left out.
        var paths = found
            .Where(p => p.TrueForAll(l => relationships.ContainsKey(l.Relationship)))
            .Select(p => new GraphPath(p.Select(l => new PathStep(new EntityKey(l.From), relationships[l.Relationship], new EntityKey(l.To))).ToList()))
            .OrderBy(p => string.Join('|', p.Steps.Select(s => s.Relationship.Key)), StringComparer.Ordinal)
            .ToList();
        return (paths, paths.Count == found.Count);
    }

    /// <summary>
    /// The graph's shape at the store's current revision, read now if the one kept is older; none when the store keeps
    /// none (<see cref="SqliteStoreOptions.PathTopologyLimit"/> is 0) or the graph has more relationships than that.
    /// </summary>
    private async Task<SqlitePathTopology?> CurrentPathTopologyAsync(SqliteStatements statements, CancellationToken cancellationToken)
    {
        if (_pathTopologyLimit == 0)
        {
            return null;
        }

        var revision = ScalarInt64(statements, SqliteSql.CurrentRevision, cancellationToken);
        if (IsKnownAt(revision, out var kept))
        {
            return kept;
        }

        // One reading at a time; the others wait for it rather than each read the same rows.
        await _topologyGate.WaitAsync(cancellationToken);
        try
        {
            if (IsKnownAt(revision, out var readMeanwhile))
            {
                return readMeanwhile;
            }

            if (ScalarInt64(statements, SqliteSql.RelationshipsBeyond, cancellationToken, ("$limit", _pathTopologyLimit)) != 0)
            {
                Interlocked.Exchange(ref _topologyTooLargeAt, revision);
                _topology = null;
                return null;
            }

            var rows = new List<(string, string, string, string)>();
            using (var read = statements.Read(SqliteSql.PathTopologyRows, cancellationToken))
            {
                while (read.Next())
                {
                    var row = read.Row;
                    rows.Add((row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3)));
                }
            }

            var topology = SqlitePathTopology.Of(revision, rows);
            _topology = topology;
            return topology;
        }
        finally
        {
            _topologyGate.Release();
        }
    }

    /// <summary>
    /// Whether what the search walks at <paramref name="revision"/> is known: the shape kept, if it was read then or
    /// later, or none, if the graph was too large then or later.
    /// </summary>
    private bool IsKnownAt(long revision, out SqlitePathTopology? topology)
    {
        topology = _topology;
        if (topology is not null && topology.Revision >= revision)
        {
            return true;
        }

        topology = null;
        return Interlocked.Read(ref _topologyTooLargeAt) >= revision;
    }

    private static long ScalarInt64(
        SqliteStatements statements, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var rows = statements.Read(sql, cancellationToken, parameters);
        return rows.Next() ? rows.Row.GetInt64(0) : 0;
    }

    /// <summary>Walks one more hop from every node of the side's frontier, in either direction of relationships, in SQL.</summary>
    private static void ExpandInSql(SqliteStatements statements, SearchSide side, string? types, CancellationToken cancellationToken)
    {
        var walk = side.Walk();
        using (var rows = statements.Read(SqliteSql.NeighbourhoodLinks, cancellationToken, ("$keys", SqliteJson.WriteStrings(side.Frontier)), ("$types", types)))
        {
            while (rows.Next())
            {
                var row = rows.Row;
                walk.Cross(row.GetString(0), row.GetString(1), row.GetString(2));
            }
        }

        walk.Finish();
    }

    /// <summary>The same hop, from the shape in memory: each frontier node's relationships, of the types asked for.</summary>
    private static void Expand(SqlitePathTopology topology, SearchSide side, HashSet<string>? types)
    {
        var walk = side.Walk();
        foreach (var node in side.Frontier)
        {
            foreach (var link in topology.LinksOf(node))
            {
                if (types is null || types.Contains(link.Type))
                {
                    walk.Cross(link.Key, link.From, link.To);
                }
            }
        }

        walk.Finish();
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

        /// <summary>Starts the next hop; cross every relationship at a frontier node, then finish it.</summary>
        public Hop Walk() => new(this, Frontier.ToHashSet(StringComparer.Ordinal), Level + 1, []);

        private void Reach(string from, string relationship, string to, int hop, List<string> next)
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

        /// <summary>One hop of a side, from the frontier it started with.</summary>
        public readonly struct Hop(SearchSide side, HashSet<string> frontier, int hop, List<string> next)
        {
            /// <summary>A relationship at the frontier reaches out from each of its ends that is in it.</summary>
            public void Cross(string relationship, string from, string to)
            {
                if (frontier.Contains(from))
                {
                    side.Reach(from, relationship, to, hop, next);
                }

                if (frontier.Contains(to))
                {
                    side.Reach(to, relationship, from, hop, next);
                }
            }

            public void Finish()
            {
                side.Level = hop;
                side.Frontier = next;
            }
        }
    }
}
