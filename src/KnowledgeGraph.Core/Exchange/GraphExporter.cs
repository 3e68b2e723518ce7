using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Exchange;

/// <summary>
/// What to export: the whole graph, the entities of some kinds, or the neighbourhood of one entity up to a depth
/// (relationships followed both ways), optionally kept to some kinds. The start entity is always included.
/// </summary>
public sealed record ExportScope(EntityKey? Around = null, int Depth = 1, IReadOnlyCollection<EntityKind>? Kinds = null)
{
    public const int MaxDepth = 6;

    public static readonly ExportScope Everything = new();

    public bool IsWholeGraph => Around is null && (Kinds is null || Kinds.Count == 0);
}

/// <summary>
/// Reads a graph or a subgraph out of the store with its batch methods only: entities page by page, relationships
/// one call per page or per level of the walk (never per entity), then the observations, quotes and cited sources of
/// the entities kept. Observations bring the region they are about (unless kinds leave regions out), so that the
/// export re-imports on its own.
/// </summary>
public static class GraphExporter
{
    /// <summary>How many keys one store call takes.</summary>
    public const int BatchSize = 500;

    /// <summary>The subgraph, or null when <see cref="ExportScope.Around"/> names no entity.</summary>
    public static async Task<GraphSnapshot?> CollectAsync(IGraphStore store, ExportScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(scope);
        var kinds = scope.Kinds is { Count: > 0 } ? scope.Kinds.ToHashSet() : null;
        var entities = new Dictionary<EntityKey, Entity>();
        var relationships = new Dictionary<string, Relationship>(StringComparer.Ordinal);
        if (scope.Around is { } around)
        {
            if (!await WalkAsync(store, around, Math.Clamp(scope.Depth, 0, ExportScope.MaxDepth), kinds, entities, relationships, cancellationToken))
            {
                return null;
            }
        }
        else
        {
            await ListAsync(store, kinds, entities, relationships, cancellationToken);
        }

        var observations = new List<Observation>();
        var quotes = new List<Quote>();
        foreach (var chunk in entities.Keys.Chunk(BatchSize))
        {
            observations.AddRange((await store.GetObservationsOfAsync(chunk, null, cancellationToken)).Values.SelectMany(o => o));
            quotes.AddRange((await store.GetQuotesOfAsync(chunk, cancellationToken)).Values.SelectMany(q => q));
        }

        // A share brings the figure it is a share of (one level: that figure's own base is not followed), which then
        // brings its subject below, as a figure brings its region.
        var held = observations.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var bases = observations.Select(o => o.ShareOf).OfType<string>().Where(b => !held.Contains(b)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in bases.Chunk(BatchSize))
        {
            observations.AddRange((await store.GetObservationsAsync(chunk, cancellationToken)).Values);
        }

        // An observation brings the region it is about, so that the export re-imports on its own; unless the export
        // is kept to kinds that leave regions out, and then such observations are left out too.
        if (kinds is not null && !kinds.Contains(EntityKind.Region))
        {
            observations.RemoveAll(o => o.Region is { } r && !entities.ContainsKey(r));
        }

        var claims = new List<Claim>();
        foreach (var chunk in entities.Keys.Chunk(BatchSize))
        {
            claims.AddRange(await store.QueryClaimsAsync(chunk, cancellationToken));
        }

        // A claim goes only with all it is about; a reported fact brings its reporter, as a figure its region.
        claims.RemoveAll(c => c.About.Any(k => !entities.ContainsKey(k)));
        var reporters = relationships.Values.Select(r => r.Provenance).Concat(observations.Select(o => o.Provenance)).Concat(claims.Select(c => c.Provenance))
            .Where(p => p.ReportedBy is not null).Select(p => p.ReportedBy!.Value);
        var brought = observations.Where(o => o.Region is { } r && !entities.ContainsKey(r)).Select(o => o.Region!.Value)
            .Concat(observations.Select(o => o.Subject).Where(s => !entities.ContainsKey(s)))
            .Concat(reporters.Where(r => !entities.ContainsKey(r))).Distinct().ToList();
        foreach (var chunk in brought.Chunk(BatchSize))
        {
            foreach (var (key, entity) in await store.GetEntitiesAsync(chunk, cancellationToken))
            {
                if (kinds is null || kinds.Contains(entity.Kind))
                {
                    entities[key] = entity;
                }
            }
        }

        // Kinds that leave a reporter out leave out what it reported too, as they do a region's figures: the export
        // holds only what re-imports on its own.
        if (kinds is not null)
        {
            bool Dangles(FactProvenance p) => p.ReportedBy is { } by && !entities.ContainsKey(by);
            foreach (var key in relationships.Where(r => Dangles(r.Value.Provenance)).Select(r => r.Key).ToList())
            {
                relationships.Remove(key);
            }

            observations.RemoveAll(o => Dangles(o.Provenance));
            claims.RemoveAll(c => Dangles(c.Provenance));
        }

        // A base figure whose subject the kinds leave out goes; so does a share whose base is not held (left out, or
        // a base of a base, which is not followed), until every share held has its base.
        observations.RemoveAll(o => !entities.ContainsKey(o.Subject));
        int dropped;
        do
        {
            var kept = observations.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
            dropped = observations.RemoveAll(o => o.ShareOf is { } b && !kept.Contains(b));
        }
        while (dropped > 0);

        var sortedEntities = entities.Values.OrderBy(e => e.Key.Value, StringComparer.Ordinal).ToList();
        var sortedRelationships = relationships.Values.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var sortedObservations = observations.DistinctBy(o => o.Key).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var sortedQuotes = quotes.DistinctBy(q => q.Key).OrderBy(q => q.Key, StringComparer.Ordinal).ToList();
        var sortedClaims = claims.DistinctBy(c => c.Key).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var cited = sortedEntities.SelectMany(e => e.Citations)
            .Concat(sortedClaims.SelectMany(c => c.Citations))
            .Concat(sortedRelationships.SelectMany(r => r.Citations))
            .Concat(sortedObservations.SelectMany(o => o.Citations))
            .Concat(sortedQuotes.SelectMany(q => q.Citations))
            .Select(c => c.Source)
            .ToHashSet(StringComparer.Ordinal);
        var sources = scope.IsWholeGraph
            ? await store.GetSourcesAsync(null, cancellationToken)
            : cited.Count == 0 ? new Dictionary<string, Source>() : await store.GetSourcesAsync(cited, cancellationToken);
        return new GraphSnapshot(
            [.. sources.Values.OrderBy(s => s.Key, StringComparer.Ordinal)],
            sortedEntities,
            sortedRelationships,
            sortedObservations,
            sortedQuotes)
        {
            Claims = sortedClaims,
        };
    }

    private static async Task<bool> WalkAsync(
        IGraphStore store,
        EntityKey around,
        int depth,
        HashSet<EntityKind>? kinds,
        Dictionary<EntityKey, Entity> entities,
        Dictionary<string, Relationship> relationships,
        CancellationToken cancellationToken)
    {
        var start = await store.GetEntitiesAsync([around], cancellationToken);
        if (!start.TryGetValue(around, out var first))
        {
            return false;
        }

        entities[around] = first;
        var frontier = new List<EntityKey> { around };
        // One pass per level; the last pass (depth + 1) adds no entity and only picks up the relationships between
        // entities of the outermost level.
        for (var level = 1; level <= depth + 1 && frontier.Count > 0; level++)
        {
            var found = new List<Relationship>();
            foreach (var chunk in frontier.Chunk(BatchSize))
            {
                found.AddRange((await store.GetRelationshipsOfAsync(chunk, RelationshipFilter.All, cancellationToken)).Values.SelectMany(r => r));
            }

            var next = new List<EntityKey>();
            if (level <= depth)
            {
                var unseen = found.SelectMany(r => new[] { r.From, r.To }).Where(k => !entities.ContainsKey(k)).Distinct().ToList();
                foreach (var chunk in unseen.Chunk(BatchSize))
                {
                    foreach (var (key, entity) in await store.GetEntitiesAsync(chunk, cancellationToken))
                    {
                        if (kinds is null || kinds.Contains(entity.Kind))
                        {
                            entities[key] = entity;
                            next.Add(key);
                        }
                    }
                }
            }

            foreach (var relationship in found)
            {
                if (entities.ContainsKey(relationship.From) && entities.ContainsKey(relationship.To))
                {
                    relationships.TryAdd(relationship.Key, relationship);
                }
            }

            frontier = next;
        }

        return true;
    }

    private static async Task ListAsync(
        IGraphStore store,
        HashSet<EntityKind>? kinds,
        Dictionary<EntityKey, Entity> entities,
        Dictionary<string, Relationship> relationships,
        CancellationToken cancellationToken)
    {
        EntityCursor? after = null;
        while (true)
        {
            var page = await store.ListEntitiesAsync(new EntityQuery(Kinds: kinds, First: BatchSize, After: after), cancellationToken);
            foreach (var (entity, _) in page.Items)
            {
                entities[entity.Key] = entity;
            }

            if (!page.HasNextPage || page.Items.Count == 0)
            {
                break;
            }

            after = page.Items[^1].Cursor;
        }

        // Each relationship is read once, from the entity it starts at, and kept when it ends inside the export.
        foreach (var chunk in entities.Keys.Chunk(BatchSize))
        {
            var outgoing = await store.GetRelationshipsOfAsync(chunk, new RelationshipFilter(RelationshipDirection.Outgoing, null), cancellationToken);
            foreach (var relationship in outgoing.Values.SelectMany(r => r))
            {
                if (entities.ContainsKey(relationship.To))
                {
                    relationships.TryAdd(relationship.Key, relationship);
                }
            }
        }
    }
}
