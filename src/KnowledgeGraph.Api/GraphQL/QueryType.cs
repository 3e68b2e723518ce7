using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Api.GraphQL.Types;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Security;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL;

public sealed class QueryType : ObjectGraphType
{
    public const int MaxPathHops = 6;
    public const int MaxSearchResults = 50;
    public const int MaxNodes = 100;
    public const int DefaultLinks = 20;

    public QueryType()
    {
        Name = "Query";
        Description = "The entry points for reading the graph.";

        Field<NodeInterface>("node")
            .Description("Anything with a global id: an entity, relationship, observation, quote or source.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The global id.")
            .Resolve(c => ResolveNode(c, c.GetArgument<string>("id")));
        Field<NonNullGraphType<ListGraphType<NodeInterface>>>("nodes")
            .Description($"Several nodes by global id, in the order asked; null where an id matches nothing (at most {MaxNodes}).")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("ids", "The global ids.")
            .Resolve(ResolveNodes);
        Field<EntityInterface>("entity")
            .Description("An entity by its key, such as `whatsapp`; null when no entity has that key.")
            .Argument<NonNullGraphType<StringGraphType>>("key", "The entity's key.")
            .Resolve(c => c.Loaders().Entities.Load(new EntityKey(c.GetArgument<string>("key"))));
        Field<NonNullGraphType<EntityConnectionType>>("entities")
            .Description("Entities, filtered and ordered, as a cursor-paginated connection. Page forwards with `first`/`after`, backwards with `last`/`before`.")
            .Argument<ListGraphType<NonNullGraphType<EntityKindEnumType>>>("kinds", "Only entities of these kinds; all kinds when omitted.")
            .Argument<EntityFilterInputType>("where", "Conditions on the entities, combined with AND/OR/NOT, on their key, kind, name, relationships (`related`) and figures (`observation`); see `EntityFilter`.")
            .Argument<ListGraphType<NonNullGraphType<EntityOrderInputType>>>("orderBy", "The order: ties on the first are broken by the next, then by key. By key, ascending, when omitted. `[{field: DEGREE, direction: DESC}]` lists the most connected first.")
            .Argument<LanguageEnumType>("lang", "The language names are ordered in; defaults to the request's Accept-Language, then English.")
            .Argument<IntGraphType>("first", $"At most this many entities after `after` ({ResolveContextExtensions.DefaultPageSize} by default, at most {ResolveContextExtensions.MaxPageSize}).")
            .Argument<StringGraphType>("after", "A cursor from a previous page: return the entities after it.")
            .Argument<IntGraphType>("last", $"At most this many entities before `before` (at most {ResolveContextExtensions.MaxPageSize}).")
            .Argument<StringGraphType>("before", "A cursor from a previous page: return the entities before it.")
            .ResolveAsync(ResolveEntitiesAsync);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LinkType>>>>("linking")
            .Description($"What connects all of these entities directly: the entities with a relationship to every one of `keys` (optionally only of `kinds`, over relationships of `types`), ordered by key, each with the relationships that tie it to each key and their citations. At most {Linking.MaxKeys} keys.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("keys", "The keys of the entities to link, such as `[\"telegram\", \"whatsapp\"]`.")
            .Argument<ListGraphType<NonNullGraphType<EntityKindEnumType>>>("kinds", "Only linking entities of these kinds; all kinds when omitted.")
            .Argument<ListGraphType<NonNullGraphType<RelationshipTypeEnumType>>>("types", "Only over relationships of these types; all types when omitted.")
            .Argument<IntGraphType>("first", $"At most this many links ({DefaultLinks} by default, at most {ResolveContextExtensions.MaxPageSize}).")
            .ResolveAsync(ResolveLinkingAsync);
        Field<RelationshipGraphType>("relationship")
            .Description("A relationship by its key; null when none has that key.")
            .Argument<NonNullGraphType<StringGraphType>>("key", "The relationship's key, such as `facebook-owns-whatsapp`.")
            .Resolve(c => c.Loaders().Relationships.Load(c.GetArgument<string>("key")));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SearchHitType>>>>("search")
            .Description($"Full-text search over names, aliases and descriptions in English and French, ignoring case and accents (\"telegramme\" finds Telegram); best match first. Every word must match: the last as the start of a word (it may still be being typed), the others as whole words; only the first {SearchTerms.MaxWords} words count. An entity named exactly what was typed comes first.")
            .Argument<NonNullGraphType<StringGraphType>>("text", "The words to look for.")
            .Argument<ListGraphType<NonNullGraphType<EntityKindEnumType>>>("kinds", "Only entities of these kinds.")
            .Argument<IntGraphType>("first", $"At most this many hits (10 by default, at most {MaxSearchResults}).", a => a.DefaultValue = 10)
            .ResolveAsync(ResolveSearchAsync);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PathType>>>>("path")
            .Description("The shortest paths between two entities, following relationships in either direction; empty when none is within `maxHops`.")
            .Argument<NonNullGraphType<StringGraphType>>("from", "The key of the entity to start from.")
            .Argument<NonNullGraphType<StringGraphType>>("to", "The key of the entity to reach.")
            .Argument<IntGraphType>("maxHops", $"The longest path to consider (4 by default, 1 to {MaxPathHops}).", a => a.DefaultValue = 4)
            .Argument<ListGraphType<NonNullGraphType<RelationshipTypeEnumType>>>("types", "Only walk relationships of these types.")
            .ResolveAsync(ResolvePathAsync);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ObservationType>>>>("observations")
            .Description("Figures, filtered by subject, metric, region and value; ordered by key.")
            .Argument<StringGraphType>("subject", "Only figures about the entity with this key.")
            .Argument<StringGraphType>("metric", "Only figures of this metric, such as NEW_USERS.")
            .Argument<StringGraphType>("region", "Only figures about the region with this key, such as `asia`.")
            .Argument<FloatFilterInputType>("value", "Only figures whose value meets these bounds, such as `{gt: 20}`.")
            .ResolveAsync(async c => await c.Loaders().Store.QueryObservationsAsync(ObservationQueryOf(c), c.CancellationToken));
        Field<NonNullGraphType<ObservationSummaryType>>("observationSummary")
            .Description("`count min max sum` over the figures `observations` would return for the same arguments, all in one unit: figures in several units are refused (narrow them by `metric`).")
            .Argument<StringGraphType>("subject", "Only figures about the entity with this key.")
            .Argument<StringGraphType>("metric", "Only figures of this metric, such as NEW_USERS_SHARE.")
            .Argument<StringGraphType>("region", "Only figures about the region with this key, such as `asia`.")
            .Argument<FloatFilterInputType>("value", "Only figures whose value meets these bounds.")
            .ResolveAsync(ResolveObservationSummaryAsync);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<QuoteType>>>>("quotes")
            .Description("Quotes, all or those of one speaker; ordered by key.")
            .Argument<StringGraphType>("speaker", "Only quotes of the person with this key, such as `pavel-durov`.")
            .ResolveAsync(async c => await c.Loaders().Store.QueryQuotesAsync(OptionalKey(c, "speaker"), c.CancellationToken));
        FactQueries.AddTo(this);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceType>>>>("sources")
            .Description("Every source the graph cites, ordered by key.")
            .ResolveAsync(async c => (await c.Loaders().Store.GetSourcesAsync(null, c.CancellationToken)).Values.OrderBy(s => s.Key, StringComparer.Ordinal).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<HistoryEntryType>>>>("history")
            .Description("Every change to one record, oldest first, with who made it and when, including retracted records. Admin keys only.")
            .Argument<NonNullGraphType<RecordTypeEnumType>>("type", "What kind of record.")
            .Argument<NonNullGraphType<StringGraphType>>("key", "The record's key.")
            .RequiresRole(ApiRole.Admin)
            .ResolveAsync(async c => await c.Loaders().Store.GetHistoryAsync(c.GetArgument<RecordType>("type"), c.GetArgument<string>("key"), c.CancellationToken));
        Field<SourceType>("source")
            .Description("A source by its key; null when none has that key.")
            .Argument<NonNullGraphType<StringGraphType>>("key", "The source's key.")
            .Resolve(c => c.Loaders().Sources.Load(c.GetArgument<string>("key")));
    }

    private static ObservationQuery ObservationQueryOf(IResolveFieldContext context) =>
        new(OptionalKey(context, "subject"), context.GetArgument<string?>("metric"), OptionalKey(context, "region"), context.GetArgument<NumberRange?>("value") is { IsAny: false } value ? value : null);

    private static async Task<object?> ResolveObservationSummaryAsync(IResolveFieldContext context)
    {
        var observations = await context.Loaders().Store.QueryObservationsAsync(ObservationQueryOf(context), context.CancellationToken);
        try
        {
            return ObservationSummary.Of(observations);
        }
        catch (InvalidFilterException exception)
        {
            throw GraphErrors.BadInput(exception.Message);
        }
    }

    private static async Task<object?> ResolveLinkingAsync(IResolveFieldContext context)
    {
        var keys = context.GetArgument<List<string>>("keys").Distinct(StringComparer.Ordinal).Select(k => new EntityKey(k)).ToList();
        if (keys.Count is 0 or > Linking.MaxKeys)
        {
            throw GraphErrors.BadInput($"'keys' must name between 1 and {Linking.MaxKeys} entities.");
        }

        var first = context.PageSize("first") ?? DefaultLinks;
        var kinds = context.GetArgument<List<EntityKind>?>("kinds");
        var types = context.GetArgument<List<RelationshipType>?>("types");
        // One store call: the relationships of the named entities whose other end is of the kinds asked for.
        var node = kinds is { Count: > 0 } ? new KindIn(kinds.Distinct().Order().ToList()) : null;
        var relationships = await context.Loaders().Store.GetRelationshipsOfAsync(
            keys, new RelationshipFilter(RelationshipDirection.Both, types is { Count: > 0 } ? types : null, node), context.CancellationToken);
        return Linking.Find(keys, relationships, first);
    }

    private static EntityKey? OptionalKey(IResolveFieldContext context, string argument) =>
        context.GetArgument<string?>(argument) is { } key ? new EntityKey(key) : null;

    private static object? ResolveNode(IResolveFieldContext context, string id)
    {
        if (!GlobalId.TryDecode(id, out var type, out var key))
        {
            throw GraphErrors.BadInput($"'{id}' is not a global id this API issued.");
        }

        var loaders = context.Loaders();
        return type switch
        {
            "Entity" => loaders.Entities.Load(new EntityKey(key)),
            "Relationship" => loaders.Relationships.Load(key),
            "Observation" => loaders.Observations.Load(key),
            "Quote" => loaders.Quotes.Load(key),
            "Claim" => loaders.Claims.Load(key),
            "Source" => loaders.Sources.Load(key),
            _ => throw GraphErrors.BadInput($"'{id}' is not a global id this API issued."),
        };
    }

    private static object? ResolveNodes(IResolveFieldContext context)
    {
        var ids = context.GetArgument<List<string>>("ids");
        if (ids.Count > MaxNodes)
        {
            throw GraphErrors.BadInput($"At most {MaxNodes} ids can be asked for at once.");
        }

        var results = ids.Select(id => ResolveNode(context, id) switch
        {
            global::GraphQL.DataLoader.IDataLoaderResult pending => pending,
            var other => DataLoaderResult.FromValue(other),
        }).ToList();
        return new NodesResult(results);
    }

    private static async Task<object?> ResolveEntitiesAsync(IResolveFieldContext context)
    {
        var first = context.PageSize("first");
        var last = context.PageSize("last");
        var after = context.GetArgument<string?>("after");
        var before = context.GetArgument<string?>("before");
        if ((first is not null || after is not null) && (last is not null || before is not null))
        {
            throw GraphErrors.BadInput("Page forwards with 'first'/'after' or backwards with 'last'/'before', not both.");
        }

        var orders = context.GetArgument<List<EntityOrder>?>("orderBy") is { Count: > 0 } given ? given : [new EntityOrder()];
        var language = context.Language();
        var sorts = orders.Select(o => new EntitySort(o.Field, o.Direction == OrderDirection.Desc)).ToList();
        var where = FilterInputs.Condition(context.GetArgument<EntityFilterSpec?>("where"));
        var kinds = context.GetArgument<List<EntityKind>?>("kinds");
        var backward = last is not null || before is not null;
        var shape = new EntityQuery(OrderBy: sorts[0].Field, Descending: sorts[0].Descending, Language: language, ThenBy: sorts.Skip(1).ToList());
        var ordering = Cursor.Ordering(shape.Sorts(), language);
        var query = Normalised(() => new EntityQuery(
            Kinds: kinds,
            OrderBy: shape.OrderBy,
            Descending: shape.Descending,
            Language: language,
            First: backward ? null : first ?? ResolveContextExtensions.DefaultPageSize,
            After: after is null ? null : Cursor.DecodeEntity(ordering, after),
            Last: backward ? last ?? ResolveContextExtensions.DefaultPageSize : null,
            Before: before is null ? null : Cursor.DecodeEntity(ordering, before),
            IncludeTotalCount: context.Selects("totalCount"),
            Where: where,
            ThenBy: shape.ThenBy,
            IncludeCountsByKind: context.Selects("countsByKind")));
        var page = await context.Loaders().Store.ListEntitiesAsync(query, context.CancellationToken);
        var edges = page.Items.Select(i => new EntityEdge(i.Entity, Cursor.EncodeEntity(ordering, i.Cursor))).ToList();
        var pageInfo = new PageInfo(page.HasNextPage, page.HasPreviousPage, edges.Count > 0 ? edges[0].Cursor : null, edges.Count > 0 ? edges[^1].Cursor : null);
        return new EntityConnection(edges, pageInfo, page.TotalCount, page.CountsByKind);
    }

    // Core refuses a query no store should run (a filter text beyond its bounds); the caller hears it as bad input.
    private static T Normalised<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (InvalidQueryException exception)
        {
            throw GraphErrors.BadInput(exception.Message);
        }
    }

    private static async Task<object?> ResolveSearchAsync(IResolveFieldContext context)
    {
        var text = context.GetArgument<string>("text");
        var first = context.GetArgument("first", 10);
        if (first is < 1 or > MaxSearchResults)
        {
            throw GraphErrors.BadInput($"'first' must be between 1 and {MaxSearchResults}.");
        }

        if (string.IsNullOrWhiteSpace(text) || text.Length > 200)
        {
            throw GraphErrors.BadInput("'text' must hold between 1 and 200 characters.");
        }

        return await context.Loaders().Store.SearchAsync(
            new SearchQuery(text, context.GetArgument<List<EntityKind>?>("kinds"), first),
            context.CancellationToken);
    }

    private static async Task<object?> ResolvePathAsync(IResolveFieldContext context)
    {
        var maxHops = context.GetArgument("maxHops", 4);
        if (maxHops is < 1 or > MaxPathHops)
        {
            throw GraphErrors.BadInput($"'maxHops' must be between 1 and {MaxPathHops}.");
        }

        var from = new EntityKey(context.GetArgument<string>("from"));
        var to = new EntityKey(context.GetArgument<string>("to"));
        var loaders = context.Loaders();
        var ends = await loaders.Store.GetEntitiesAsync([from, to], context.CancellationToken);
        foreach (var key in new[] { from, to }.Where(k => !ends.ContainsKey(k)))
        {
            throw GraphErrors.Missing($"No entity has the key '{key}'.");
        }

        return await loaders.Store.FindShortestPathsAsync(
            new PathQuery(from, to, maxHops, context.GetArgument<List<RelationshipType>?>("types")),
            context.CancellationToken);
    }

    // The values of several pending loads, each possibly from a different loader, once all are in.
    private sealed class NodesResult(IReadOnlyList<global::GraphQL.DataLoader.IDataLoaderResult> results) : global::GraphQL.DataLoader.IDataLoaderResult
    {
        public async Task<object?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var values = new List<object?>(results.Count);
            foreach (var result in results)
            {
                values.Add(await result.GetResultAsync(cancellationToken));
            }

            return values;
        }
    }
}
