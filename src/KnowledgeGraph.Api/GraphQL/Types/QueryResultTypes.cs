using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class SearchHitType : ObjectGraphType<SearchHit>
{
    public SearchHitType()
    {
        Name = "SearchHit";
        Description = "An entity that matched a search.";
        Field<NonNullGraphType<EntityInterface>>("entity").Description("The entity found.").Resolve(c => c.Source.Entity);
        Field<NonNullGraphType<FloatGraphType>>("score").Description("How well it matched; higher is better. Comparable only within one search.").Resolve(c => c.Source.Score);
    }
}

public sealed class PathType : ObjectGraphType<GraphPath>
{
    public PathType()
    {
        Name = "Path";
        Description = "A chain of relationships leading from one entity to another.";
        Field<NonNullGraphType<IntGraphType>>("length").Description("The number of relationships walked.").Resolve(c => c.Source.Length);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PathStepType>>>>("steps").Description("The relationships walked, in order.").Resolve(c => c.Source.Steps);
    }
}

public sealed class PathStepType : ObjectGraphType<PathStep>
{
    public PathStepType()
    {
        Name = "PathStep";
        Description = "One relationship of a path, walked from `from` to `to`; the relationship keeps its own direction.";
        Field<NonNullGraphType<EntityInterface>>("from").Description("The entity this step leaves.").Resolve(c => c.Loaders().Entities.LoadOrGet(c.Source.From));
        Field<NonNullGraphType<RelationshipGraphType>>("relationship").Description("The relationship walked.").Resolve(c => c.Source.Relationship);
        Field<NonNullGraphType<EntityInterface>>("to").Description("The entity this step reaches.").Resolve(c => c.Loaders().Entities.LoadOrGet(c.Source.To));
        Field<NonNullGraphType<BooleanGraphType>>("forward")
            .Description("True when the step follows the relationship's own direction (from its `from` to its `to`).")
            .Resolve(c => c.Source.Relationship.From == c.Source.From);
    }
}

/// <summary>A page of entities as a Relay connection; the total is counted only when a client asks for it.</summary>
public sealed record EntityConnection(IReadOnlyList<EntityEdge> Edges, PageInfo PageInfo, int? TotalCount, IReadOnlyList<KindCount>? CountsByKind = null);

public sealed record EntityEdge(Entity Node, string Cursor);

public sealed class EntityConnectionType : ObjectGraphType<EntityConnection>
{
    public EntityConnectionType()
    {
        Name = "EntityConnection";
        Description = "A page of entities.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EntityEdgeType>>>>("edges").Description("The entities of this page, each with its cursor.").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EntityInterface>>>>("nodes").Description("The entities of this page, without cursors.").Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Description("Where this page stands in the whole list.").Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description("How many entities match, across all pages; counted only when asked for.").Resolve(c => c.Source.TotalCount ?? 0);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindCountType>>>>("countsByKind")
            .Description("How many entities of each kind match, across all pages (kinds with none left out), ordered by kind; counted only when asked for, by the same store call as the page.")
            .Resolve(c => c.Source.CountsByKind ?? []);
    }
}

public sealed class EntityEdgeType : ObjectGraphType<EntityEdge>
{
    public EntityEdgeType()
    {
        Name = "EntityEdge";
        Description = "An entity and its cursor.";
        Field(e => e.Cursor).Description("An opaque cursor for `after` and `before`.");
        Field<NonNullGraphType<EntityInterface>>("node").Description("The entity.").Resolve(c => c.Source.Node);
    }
}

/// <summary>The <c>orderBy</c> argument of <c>entities</c>.</summary>
public sealed class EntityOrder
{
    public EntityOrderField Field { get; set; } = EntityOrderField.Key;

    public OrderDirection Direction { get; set; } = OrderDirection.Asc;
}

public sealed class EntityOrderInputType : InputObjectGraphType<EntityOrder>
{
    public EntityOrderInputType()
    {
        Name = "EntityOrder";
        Description = "One order of entities. `orderBy` takes a list: ties on the first are broken by the next, and the ties left by key, in the direction of the last.";
        Field<NonNullGraphType<EntityOrderFieldEnumType>>("field").Description("What to order by.").DefaultValue(EntityOrderField.Key);
        Field<NonNullGraphType<OrderDirectionEnumType>>("direction").Description("Smallest or largest first.").DefaultValue(OrderDirection.Asc);
    }
}

public sealed class KindCountType : ObjectGraphType<KindCount>
{
    public KindCountType()
    {
        Name = "KindCount";
        Description = "How many entities of one kind.";
        Field<NonNullGraphType<EntityKindEnumType>>("kind").Description("The kind.").Resolve(c => c.Source.Kind);
        Field(k => k.Count).Description("How many.");
    }
}

public sealed class TypeCountType : ObjectGraphType<TypeCount>
{
    public TypeCountType()
    {
        Name = "TypeCount";
        Description = "How many relationships of one type.";
        Field<NonNullGraphType<RelationshipTypeEnumType>>("type").Description("The type.").Resolve(c => c.Source.Type);
        Field(t => t.Count).Description("How many.");
    }
}
