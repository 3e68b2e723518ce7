namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// The shape of the graph at one revision, for the path search: every relationship's key, type and two ends, listed
/// at each end. A search that walks it reads no row per hop; only the relationships on the paths it returns are then
/// read in full. The store keeps one, made again when the revision it was read at is no longer the store's (every
/// committed write and seed moves the revision on), and only while the graph has at most
/// <see cref="SqliteStoreOptions.PathTopologyLimit"/> relationships; past that the search reads its hops from SQLite.
/// </summary>
internal sealed class SqlitePathTopology
{
    private static readonly TopologyLink[] NoLinks = [];

    private readonly Dictionary<string, TopologyLink[]> _links;

    private SqlitePathTopology(long revision, Dictionary<string, TopologyLink[]> links, int relationships)
    {
        Revision = revision;
        _links = links;
        Relationships = relationships;
    }

    /// <summary>The store's revision read before the rows were, so a write that slipped in between only makes it be read again.</summary>
    public long Revision { get; }

    public int Relationships { get; }

    /// <summary>The relationships at either end of <paramref name="entity"/>, in no particular order.</summary>
    public TopologyLink[] LinksOf(string entity) => _links.GetValueOrDefault(entity, NoLinks);

    /// <summary>
    /// Builds the lists from rows of (key, type, from, to); each entity's key is kept once, whatever the number of its
    /// relationships. A relationship from an entity to itself is listed once at it.
    /// </summary>
    public static SqlitePathTopology Of(long revision, IEnumerable<(string Key, string Type, string From, string To)> rows)
    {
        var nodes = new Dictionary<string, (string Key, List<TopologyLink> Links)>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (key, type, from, to) in rows)
        {
            var start = NodeOf(nodes, from);
            var end = NodeOf(nodes, to);
            if (!types.TryGetValue(type, out var sharedType))
            {
                types[type] = sharedType = type;
            }

            var link = new TopologyLink(key, sharedType, start.Key, end.Key);
            start.Links.Add(link);
            if (!ReferenceEquals(start.Links, end.Links))
            {
                end.Links.Add(link);
            }

            count++;
        }

        var links = new Dictionary<string, TopologyLink[]>(nodes.Count, StringComparer.Ordinal);
        foreach (var (key, list) in nodes.Values)
        {
            links[key] = [.. list];
        }

        return new SqlitePathTopology(revision, links, count);
    }

    private static (string Key, List<TopologyLink> Links) NodeOf(Dictionary<string, (string Key, List<TopologyLink> Links)> nodes, string entity)
    {
        if (!nodes.TryGetValue(entity, out var node))
        {
            nodes[entity] = node = (entity, []);
        }

        return node;
    }
}

/// <summary>One relationship as the path search sees it.</summary>
internal sealed record TopologyLink(string Key, string Type, string From, string To);
