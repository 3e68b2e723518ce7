using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

/// <summary>An excerpt of a source and the record that cites it.</summary>
public sealed record SourceCitation(Citation Citation, object Record);

public sealed class SourceCitationType : ObjectGraphType<SourceCitation>
{
    public SourceCitationType()
    {
        Name = "SourceCitation";
        Description = "An excerpt of a source and the record (entity, relationship, observation, quote or claim) that cites it.";
        Field("excerpt", c => c.Citation.Excerpt).Description("The source's own words, exactly as they stand at `start`..`end`.");
        Field("start", c => c.Citation.Start).Description("Where the excerpt starts, in Unicode code points from the start of the source text.");
        Field("end", c => c.Citation.End).Description("Where the excerpt ends (exclusive), in Unicode code points.");
        Field<NonNullGraphType<NodeInterface>>("record")
            .Description("The record the excerpt supports: an entity, a relationship, an observation, a quote or a claim.")
            .Resolve(c => c.Source.Record);
    }
}

/// <summary>
/// Which records cite a source. The store port answers citations per record, not per source, so this walks the graph
/// through the port's existing reads: every entity page by page, the relationships leaving each page, every
/// observation, quote and claim. That is a few store calls per thousand entities and fine for the graphs this serves;
/// above <see cref="MaxScannedEntities"/> entities it refuses rather than run for minutes. The response cache keeps
/// the answer until the graph's revision changes.
/// </summary>
public static class SourceCitations
{
    public const int MaxScannedEntities = 50_000;

    private const int PageSize = 500;

    public static async Task<object?> ResolveCitationsAsync(IResolveFieldContext<Source> context) =>
        await CollectOnceAsync(context);

    public static async Task<object?> ResolveUncitedPassagesAsync(IResolveFieldContext<Source> context)
    {
        var cited = await CollectOnceAsync(context);
        return UncitedPassages(context.Source, cited.Select(c => c.Citation));
    }

    // `citations` and `uncitedPassages` of the same source in one request share one walk of the graph.
    private static Task<IReadOnlyList<SourceCitation>> CollectOnceAsync(IResolveFieldContext<Source> context)
    {
        var key = $"{typeof(SourceCitations).FullName}:{context.Source.Key}";
        lock (context.UserContext)
        {
            if (context.UserContext.TryGetValue(key, out var pending) && pending is Task<IReadOnlyList<SourceCitation>> walk)
            {
                return walk;
            }

            var started = CollectAsync(context.Loaders().Store, context.Source.Key, context.CancellationToken);
            context.UserContext[key] = started;
            return started;
        }
    }

    /// <summary>The sentences of <paramref name="source"/> that no citation overlaps, as citations of the source.</summary>
    public static IReadOnlyList<Citation> UncitedPassages(Source source, IEnumerable<Citation> citations)
    {
        ArgumentNullException.ThrowIfNull(source);
        var spans = citations.Select(c => (c.Start, c.End)).ToList();
        return SourceSentences.Split(source.Text)
            .Where(sentence => !spans.Any(span => span.Start < sentence.End && sentence.Start < span.End))
            .Select(sentence => new Citation(source.Key, SourceSentences.Slice(source.Text, sentence.Start, sentence.End), sentence.Start, sentence.End))
            .ToList();
    }

    private static async Task<IReadOnlyList<SourceCitation>> CollectAsync(IGraphStore store, string sourceKey, CancellationToken cancellationToken)
    {
        var found = new List<SourceCitation>();
        void Add(object record, IReadOnlyList<Citation> citations)
        {
            foreach (var citation in citations)
            {
                if (string.Equals(citation.Source, sourceKey, StringComparison.Ordinal))
                {
                    found.Add(new SourceCitation(citation, record));
                }
            }
        }

        EntityCursor? after = null;
        var scanned = 0;
        while (true)
        {
            var page = await store.ListEntitiesAsync(new EntityQuery(First: PageSize, After: after), cancellationToken);
            scanned += page.Items.Count;
            if (scanned > MaxScannedEntities)
            {
                throw GraphErrors.TooLarge($"The graph holds more than {MaxScannedEntities} entities: the records citing a source are not listed for a graph this large.");
            }

            foreach (var (entity, _) in page.Items)
            {
                Add(entity, entity.Citations);
            }

            if (page.Items.Count > 0)
            {
                // Outgoing only: every relationship leaves exactly one entity, so each is seen once.
                var relationships = await store.GetRelationshipsOfAsync(
                    page.Items.Select(i => i.Entity.Key).ToList(),
                    new RelationshipFilter(RelationshipDirection.Outgoing, null),
                    cancellationToken);
                foreach (var relationship in relationships.Values.SelectMany(r => r))
                {
                    Add(relationship, relationship.Citations);
                }
            }

            if (!page.HasNextPage || page.Items.Count == 0)
            {
                break;
            }

            after = page.Items[^1].Cursor;
        }

        foreach (var observation in await store.QueryObservationsAsync(new ObservationQuery(), cancellationToken))
        {
            Add(observation, observation.Citations);
        }

        foreach (var quote in await store.QueryQuotesAsync(null, cancellationToken))
        {
            Add(quote, quote.Citations);
        }

        foreach (var claim in await store.QueryClaimsAsync(null, cancellationToken))
        {
            Add(claim, claim.Citations);
        }

        return found.OrderBy(c => c.Citation.Start).ThenBy(c => c.Citation.End).ToList();
    }
}
