using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class RelationshipGraphType : ObjectGraphType<Relationship>
{
    public RelationshipGraphType()
    {
        Name = "Relationship";
        Description = "A directed, typed relationship between two entities, read as `from type to` (Facebook OWNS WhatsApp).";
        Interface<NodeInterface>();
        Interface<FactInterface>();
        Field<NonNullGraphType<IdGraphType>>("id").Description("A globally unique, opaque id.").Resolve(c => GlobalId.Encode(Name, c.Source.Key));
        Field(r => r.Key).Description("The relationship's stable key.");
        Field<NonNullGraphType<RelationshipTypeEnumType>>("type").Description("What the relationship says.").Resolve(c => c.Source.Type);
        Field<NonNullGraphType<EntityInterface>>("from")
            .Description("The entity the relationship starts at.")
            .Resolve(c => c.Loaders().Entities.LoadOrGet(c.Source.From));
        Field<NonNullGraphType<EntityInterface>>("to")
            .Description("The entity the relationship ends at.")
            .Resolve(c => c.Loaders().Entities.LoadOrGet(c.Source.To));
        Field<StringGraphType>("role")
            .Description("For LEADS: the role the person holds (CEO, director).")
            .Argument<LanguageEnumType>("lang", EntityFields.LangDescription)
            .Resolve(c => c.Source.Properties.Role?.In(c.Language()));
        Field<StringGraphType>("chart")
            .Description("For TOPPED_CHART and DISPLACED: the chart concerned, such as `downloads`.")
            .Resolve(c => c.Source.Properties.Chart);
        Field<StringGraphType>("occurredOn")
            .Description("When it happened, as precisely as the source says: YYYY, YYYY-MM or YYYY-MM-DD.")
            .Resolve(c => c.Source.Properties.OccurredOn);
        Field<StringGraphType>("note")
            .Description("What else the source says that qualifies the relationship.")
            .Argument<LanguageEnumType>("lang", EntityFields.LangDescription)
            .Resolve(c => c.Source.Properties.Note?.In(c.Language()));
        Field(r => r.PeriodStart, nullable: true).Description("When the relationship started to hold or happened (YYYY, YYYY-MM or YYYY-MM-DD), as precisely as the source allows; see `dateBasis`.");
        Field(r => r.PeriodEnd, nullable: true).Description("When it stopped holding, or the end of the span it happened in.");
        Field<DateBasisEnumType>("dateBasis")
            .Description("How the period is known: STATED, or RELATIVE_TO_SOURCE when derived from the source's publication date. Null when the fact carries no date.")
            .Resolve(c => c.Source.DateBasis);
        FactFields.AddTo(this, r => r.Provenance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationType>>>>("citations")
            .Description("The excerpts that state the relationship.")
            .Resolve(c => c.Source.Citations);
    }
}

/// <summary>
/// A page of a key-ordered list of relationships, with the flags of a Relay connection. The cursors and the counts by
/// type are worked out when a client selects them: most queries ask for neither, on every entity of an answer.
/// </summary>
public sealed class RelationshipConnection
{
    private readonly IReadOnlyList<Relationship> _all;
    private IReadOnlyList<TypeCount>? _countsByType;

    private RelationshipConnection(IReadOnlyList<Relationship> all, Relationship[] nodes, bool hasPreviousPage, bool hasNextPage)
    {
        _all = all;
        Nodes = nodes;
        HasPreviousPage = hasPreviousPage;
        HasNextPage = hasNextPage;
    }

    /// <summary>The relationships of the page, in key order.</summary>
    public IReadOnlyList<Relationship> Nodes { get; }

    public bool HasPreviousPage { get; }

    public bool HasNextPage { get; }

    /// <summary>How many relationships the whole list holds, across all pages.</summary>
    public int TotalCount => _all.Count;

    /// <summary>How many relationships of each type the whole list holds, ordered by type; types with none left out.</summary>
    public IReadOnlyList<TypeCount> CountsByType => _countsByType ??= CountByType(_all);

    /// <summary>Pages a key-ordered list; cursors are the relationship keys, encoded.</summary>
    public static RelationshipConnection Page(IReadOnlyList<Relationship> all, int? first, string? after, int? last, string? before)
    {
        ArgumentNullException.ThrowIfNull(all);
        if (first is not null && last is not null)
        {
            throw GraphErrors.BadInput("Use either 'first' (with 'after') or 'last' (with 'before'), not both.");
        }

        var start = 0;
        var end = all.Count;
        if (after is not null)
        {
            var afterKey = Cursor.DecodeKey(after);
            start = CountUpTo(all, afterKey, inclusive: true);
        }

        if (before is not null)
        {
            var beforeKey = Cursor.DecodeKey(before);
            end = Math.Max(start, CountUpTo(all, beforeKey, inclusive: false));
        }

        var hasPrevious = start > 0;
        var hasNext = end < all.Count;
        if (first is { } f && end - start > f)
        {
            end = start + f;
            hasNext = true;
        }

        if (last is { } l && end - start > l)
        {
            start = end - l;
            hasPrevious = true;
        }

        var nodes = new Relationship[end - start];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = all[start + i];
        }

        return new RelationshipConnection(all, nodes, hasPrevious, hasNext);
    }

    private static int CountUpTo(IReadOnlyList<Relationship> all, string key, bool inclusive) =>
        all.Count(r => inclusive ? string.CompareOrdinal(r.Key, key) <= 0 : string.CompareOrdinal(r.Key, key) < 0);

    private static TypeCount[] CountByType(IReadOnlyList<Relationship> all)
    {
        var counts = new SortedDictionary<RelationshipType, int>();
        foreach (var relationship in all)
        {
            counts[relationship.Type] = counts.GetValueOrDefault(relationship.Type) + 1;
        }

        return [.. counts.Select(pair => new TypeCount(pair.Key, pair.Value))];
    }
}

public sealed class RelationshipConnectionType : ObjectGraphType<RelationshipConnection>
{
    public RelationshipConnectionType()
    {
        Name = "RelationshipConnection";
        Description = "A page of relationships.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RelationshipEdgeType>>>>("edges")
            .Description("The relationships of this page, each with its cursor.")
            .Resolve(c => c.Source.Nodes.Select(node => new RelationshipEdge(node)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RelationshipGraphType>>>>("nodes")
            .Description("The relationships of this page, without cursors.")
            .Resolve(c => c.Source.Nodes);
        Field<NonNullGraphType<PageInfoType>>("pageInfo")
            .Description("Where this page stands in the whole list.")
            .Resolve(c => new PageInfo(
                c.Source.HasNextPage,
                c.Source.HasPreviousPage,
                c.Source.Nodes.Count > 0 ? Cursor.EncodeKey(c.Source.Nodes[0].Key) : null,
                c.Source.Nodes.Count > 0 ? Cursor.EncodeKey(c.Source.Nodes[^1].Key) : null));
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("How many relationships match, across all pages.")
            .Resolve(c => c.Source.TotalCount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TypeCountType>>>>("countsByType")
            .Description("How many relationships of each type match, across all pages (types with none left out), ordered by type; from the same store call as the page.")
            .Resolve(c => c.Source.CountsByType);
    }
}

/// <summary>A relationship of a page; its cursor is encoded when a client asks for it.</summary>
public sealed record RelationshipEdge(Relationship Node)
{
    public string Cursor => GraphQL.Cursor.EncodeKey(Node.Key);
}

public sealed class RelationshipEdgeType : ObjectGraphType<RelationshipEdge>
{
    public RelationshipEdgeType()
    {
        Name = "RelationshipEdge";
        Description = "A relationship and its cursor.";
        Field(e => e.Cursor).Description("An opaque cursor for `after` and `before`.");
        Field<NonNullGraphType<RelationshipGraphType>>("node").Description("The relationship.").Resolve(c => c.Source.Node);
    }
}

/// <summary>Where a page stands in a list, as Relay's cursor connections specify.</summary>
public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Where a page stands in a list.";
        Field(p => p.HasNextPage).Description("Whether more items follow this page.");
        Field(p => p.HasPreviousPage).Description("Whether items come before this page.");
        Field(p => p.StartCursor, nullable: true).Description("The cursor of the first item of the page; null when the page is empty.");
        Field(p => p.EndCursor, nullable: true).Description("The cursor of the last item of the page; null when the page is empty.");
    }
}
