using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class LinkType : ObjectGraphType<Link>
{
    public LinkType()
    {
        Name = "Link";
        Description = "An entity directly related to every entity a `linking` question names, with the relationships that tie it to each.";
        Field<NonNullGraphType<EntityInterface>>("entity").Description("The entity that links them.").Resolve(c => c.Loaders().Entities.Load(c.Source.Entity));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RelationshipGraphType>>>>("relationships")
            .Description("The relationships between the entity and the entities named, at least one per entity named, ordered by key; each carries its citations.")
            .Resolve(c => c.Source.Relationships);
    }
}

public sealed class ObservationSummaryType : ObjectGraphType<ObservationSummary>
{
    public ObservationSummaryType()
    {
        Name = "ObservationSummary";
        Description = "Figures summed up, all in one unit.";
        Field(s => s.Count).Description("How many figures match.");
        Field<FloatGraphType>("min").Description("The smallest value; null when none match.").Resolve(c => (double?)c.Source.Min);
        Field<FloatGraphType>("max").Description("The largest value; null when none match.").Resolve(c => (double?)c.Source.Max);
        Field<NonNullGraphType<FloatGraphType>>("sum").Description("The values added up (0 when none match); a sum means something only for figures that add up, such as new users per region.").Resolve(c => (double)c.Source.Sum);
        Field<StringGraphType>("unit").Description("The unit of every figure; null when none match.").Resolve(c => c.Source.Unit);
    }
}
