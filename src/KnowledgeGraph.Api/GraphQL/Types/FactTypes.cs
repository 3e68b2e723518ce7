using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class BasisEnumType : EnumerationGraphType<Basis>
{
    public BasisEnumType()
    {
        Name = "Basis";
        Description = "How the source knows a fact.";
        Values["STATED"]!.Description = "The source asserts it in its own voice.";
        Values["REPORTED"]!.Description = "The source relays someone's statement (\"selon Pavel Durov\"): see `reportedBy`.";
        Values["INFERRED"]!.Description = "The source implies it without saying it: see `rationale`.";
    }
}

public sealed class DateBasisEnumType : EnumerationGraphType<DateBasis>
{
    public DateBasisEnumType()
    {
        Name = "DateBasis";
        Description = "How a fact's date is known.";
        Values["STATED"]!.Description = "The source gives the date itself.";
        Values["RELATIVE_TO_SOURCE"]!.Description = "The source dates it only relative to its own publication (\"cette semaine\"): the date is derived from the source's `publishedOn`, not stated.";
    }
}

/// <summary>The fields of a fact's provenance, declared once for the <c>Fact</c> interface and each type implementing it.</summary>
internal static class FactFields
{
    public const string BasisDescription = "How the source knows it: STATED in its own voice, REPORTED from someone (`reportedBy`), or INFERRED (`rationale`).";

#pragma warning disable GQL012 // as EntityFields: the interface ignores resolvers, the object types use them.
    public static void AddTo<T>(ComplexGraphType<T> type, Func<T, FactProvenance> provenance)
    {
        type.Field<NonNullGraphType<BasisEnumType>>("basis").Description(BasisDescription).Resolve(c => provenance(c.Source).Basis);
        type.Field<EntityInterface>("reportedBy")
            .Description("For a REPORTED fact: whose statement the source relays. Null otherwise.")
            .Resolve(c => provenance(c.Source).ReportedBy is { } reporter ? c.Loaders().Entities.Load(reporter) : null);
        type.Field<StringGraphType>("rationale")
            .Description("For an INFERRED fact: one sentence on why the inference holds. Null otherwise.")
            .Argument<LanguageEnumType>("lang", EntityFields.LangDescription)
            .Resolve(c => provenance(c.Source).Rationale?.In(c.Language()));
        type.Field<StringGraphType>("hedge")
            .Description("The source's hedging words (\"apparemment\"), verbatim from one of the citations' excerpts, when it hedges.")
            .Resolve(c => provenance(c.Source).Hedge);
    }
#pragma warning restore GQL012
}

public sealed class FactInterface : InterfaceGraphType<object>
{
    public FactInterface()
    {
        Name = "Fact";
        Description = "A relationship, figure or claim, with how the source knows it.";
        Interface<NodeInterface>();
        Field<NonNullGraphType<IdGraphType>>("id").Description("A globally unique, opaque id.");
        Field<NonNullGraphType<StringGraphType>>("key").Description("The fact's stable key.");
        FactFields.AddTo<object>(this, _ => FactProvenance.Stated);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationType>>>>("citations").Description("The excerpts that state the fact.");

        // An interface only declares; each fact's object type resolves.
        foreach (var field in Fields)
        {
            field.Resolver = null;
        }
    }
}

public sealed class ClaimType : ObjectGraphType<Claim>
{
    public ClaimType()
    {
        Name = "Claim";
        Description = "A statement of the source that no typed relationship or figure can hold: a reading of the figures, a scenario, an opinion.";
        Interface<NodeInterface>();
        Interface<FactInterface>();
        Field<NonNullGraphType<IdGraphType>>("id").Description("A globally unique, opaque id.").Resolve(c => GlobalId.Encode(Name, c.Source.Key));
        Field(c => c.Key).Description("The claim's stable key.");
        Field<NonNullGraphType<StringGraphType>>("text")
            .Description("What the source says, in the requested language.")
            .Argument<LanguageEnumType>("lang", EntityFields.LangDescription)
            .Resolve(c => c.Source.Text.In(c.Language()));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EntityInterface>>>>("about")
            .Description("The entities the claim is about.")
            .Resolve(c => DataLoaderResult.All(c.Source.About.Select(k => c.Loaders().Entities.Load(k)).ToList())
                .Select(entities => entities.Where(e => e is not null).ToList()));
        FactFields.AddTo(this, c => c.Provenance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationType>>>>("citations")
            .Description("The excerpts that state the claim.")
            .Resolve(c => c.Source.Citations);
    }
}

/// <summary>A page of nodes keyed by a cursor, with Relay's page info: claims and facts.</summary>
public sealed record NodePage(IReadOnlyList<(object Node, string Cursor)> Edges, bool HasPreviousPage, bool HasNextPage, int? TotalCount);

public sealed record NodeEdge(object Node, string Cursor);

/// <summary>A connection of <typeparamref name="TNode"/>: edges, nodes, pageInfo (and totalCount when known).</summary>
public abstract class NodeConnectionType<TNode> : ObjectGraphType<NodePage>
    where TNode : IGraphType
{
    protected NodeConnectionType(string name, string what)
    {
        Name = name + "Connection";
        Description = $"A page of {what}.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NodeEdgeType<TNode>>>>>("edges")
            .Description($"The {what} of this page, each with its cursor.")
            .Resolve(c => c.Source.Edges.Select(e => new NodeEdge(e.Node, e.Cursor)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNode>>>>("nodes")
            .Description($"The {what} of this page, without cursors.")
            .Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoType>>("pageInfo")
            .Description("Where this page stands in the whole list.")
            .Resolve(c => new PageInfo(
                c.Source.HasNextPage,
                c.Source.HasPreviousPage,
                c.Source.Edges.Count > 0 ? c.Source.Edges[0].Cursor : null,
                c.Source.Edges.Count > 0 ? c.Source.Edges[^1].Cursor : null));
    }
}

public sealed class NodeEdgeType<TNode> : ObjectGraphType<NodeEdge>
    where TNode : IGraphType
{
    public NodeEdgeType()
    {
        var node = typeof(TNode) == typeof(ClaimType) ? "Claim" : "Fact";
        Name = node + "Edge";
        Description = $"A {node.ToLowerInvariant()} and its cursor.";
        Field(e => e.Cursor).Description("An opaque cursor for `after`.");
        Field<NonNullGraphType<TNode>>("node").Description($"The {node.ToLowerInvariant()}.").Resolve(c => c.Source.Node);
    }
}

public sealed class ClaimConnectionType : NodeConnectionType<ClaimType>
{
    public ClaimConnectionType()
        : base("Claim", "claims") =>
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("How many claims match, across all pages.")
            .Resolve(c => c.Source.TotalCount ?? 0);
}

public sealed class FactConnectionType : NodeConnectionType<FactInterface>
{
    public FactConnectionType()
        : base("Fact", "facts")
    {
    }
}

/// <summary>The root fields of facts and claims.</summary>
internal static class FactQueries
{
    public static void AddTo(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ClaimConnectionType>>("claims")
            .Description("Claims, ordered by key: all, or those about any of the given entities.")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("about", "Only claims about any of the entities with these keys.")
            .Argument<IntGraphType>("first", $"At most this many claims after `after` (at most {ResolveContextExtensions.MaxPageSize}).")
            .Argument<StringGraphType>("after", "A cursor from a previous page: return the claims after it.")
            .ResolveAsync(async c =>
            {
                var about = c.GetArgument<List<string>?>("about");
                var claims = await c.Loaders().Store.QueryClaimsAsync(about?.Select(k => new EntityKey(k)).ToList(), c.CancellationToken);
                var first = c.PageSize("first") ?? ResolveContextExtensions.MaxPageSize;
                var after = c.GetArgument<string?>("after") is { } cursor ? Cursor.DecodeKey(cursor) : null;
                var rest = claims.Where(claim => after is null || string.CompareOrdinal(claim.Key, after) > 0).ToList();
                var page = rest.Take(first).Select(claim => ((object)claim, Cursor.EncodeKey(claim.Key))).ToList();
                return new NodePage(page, rest.Count < claims.Count, rest.Count > first, claims.Count);
            });
        query.Field<NonNullGraphType<FactConnectionType>>("facts")
            .Description("Every relationship, figure and claim whose basis is one of `basis` (all when omitted), ordered by key: a researcher lists every INFERRED or REPORTED fact in one query.")
            .Argument<ListGraphType<NonNullGraphType<BasisEnumType>>>("basis", "Only facts of these bases.")
            .Argument<IntGraphType>("first", $"At most this many facts after `after` (at most {FactQuery.MaxFirst}).")
            .Argument<StringGraphType>("after", "A cursor from a previous page: return the facts after it.")
            .ResolveAsync(async c =>
            {
                var after = c.GetArgument<string?>("after") is { } cursor ? DecodeFactCursor(cursor) : null;
                var first = Math.Min(c.PageSize("first") ?? FactQuery.MaxFirst, FactQuery.MaxFirst);
                var page = await c.Loaders().Store.ListFactsAsync(new FactQuery(c.GetArgument<List<Basis>?>("basis"), first, after), c.CancellationToken);
                return new NodePage([.. page.Facts.Select(f => (f, EncodeFactCursor(FactCursor.Of(f))))], after is not null, page.HasNextPage, null);
            });
    }

    private static string EncodeFactCursor(FactCursor cursor) => Cursor.EncodeKey($"{cursor.Type}:{cursor.Key}");

    private static FactCursor DecodeFactCursor(string cursor)
    {
        var text = Cursor.DecodeKey(cursor);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && Enum.TryParse<RecordType>(text[..colon], out var type) && type is RecordType.Relationship or RecordType.Observation or RecordType.Claim
            ? new FactCursor(text[(colon + 1)..], type)
            : throw GraphErrors.BadInput($"'{cursor}' is not a cursor of `facts`.");
    }
}
