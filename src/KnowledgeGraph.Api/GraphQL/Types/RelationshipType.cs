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
            .Resolve(c => c.Loaders().Entities.Load(c.Source.From));
        Field<NonNullGraphType<EntityInterface>>("to")
            .Description("The entity the relationship ends at.")
            .Resolve(c => c.Loaders().Entities.Load(c.Source.To));
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

/// <summary>A page of relationships, with the cursors and flags of a Relay connection.</summary>
public sealed record RelationshipConnection(
    IReadOnlyList<(Relationship Node, string Cursor)> Edges,
    bool HasPreviousPage,
    bool HasNextPage,
    int TotalCount,
    IReadOnlyList<TypeCount>? CountsByType = null)
{
    /// <summary>Pages a key-ordered list; cursors are the relationship keys, encoded.</summary>
    public static RelationshipConnection Page(IReadOnlyList<Relationship> all, int? first, string? after, int? last, string? before)
    {
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

        var window = all.Skip(start).Take(end - start).ToList();
        var hasPrevious = start > 0;
        var hasNext = end < all.Count;
        if (first is { } f && window.Count > f)
        {
            window = window.Take(f).ToList();
            hasNext = true;
        }

        if (last is { } l && window.Count > l)
        {
            window = window.Skip(window.Count - l).ToList();
            hasPrevious = true;
        }

        var countsByType = all.GroupBy(r => r.Type).OrderBy(g => g.Key).Select(g => new TypeCount(g.Key, g.Count())).ToList();
        return new RelationshipConnection(window.Select(r => (r, Cursor.EncodeKey(r.Key))).ToList(), hasPrevious, hasNext, all.Count, countsByType);
    }

    private static int CountUpTo(IReadOnlyList<Relationship> all, string key, bool inclusive) =>
        all.Count(r => inclusive ? string.CompareOrdinal(r.Key, key) <= 0 : string.CompareOrdinal(r.Key, key) < 0);
}

public sealed class RelationshipConnectionType : ObjectGraphType<RelationshipConnection>
{
    public RelationshipConnectionType()
    {
        Name = "RelationshipConnection";
        Description = "A page of relationships.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RelationshipEdgeType>>>>("edges")
            .Description("The relationships of this page, each with its cursor.")
            .Resolve(c => c.Source.Edges.Select(e => new RelationshipEdge(e.Node, e.Cursor)));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RelationshipGraphType>>>>("nodes")
            .Description("The relationships of this page, without cursors.")
            .Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoType>>("pageInfo")
            .Description("Where this page stands in the whole list.")
            .Resolve(c => new PageInfo(
                c.Source.HasNextPage,
                c.Source.HasPreviousPage,
                c.Source.Edges.Count > 0 ? c.Source.Edges[0].Cursor : null,
                c.Source.Edges.Count > 0 ? c.Source.Edges[^1].Cursor : null));
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("How many relationships match, across all pages.")
            .Resolve(c => c.Source.TotalCount);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TypeCountType>>>>("countsByType")
            .Description("How many relationships of each type match, across all pages (types with none left out), ordered by type; from the same store call as the page.")
            .Resolve(c => c.Source.CountsByType ?? []);
    }
}

public sealed record RelationshipEdge(Relationship Node, string Cursor);

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
