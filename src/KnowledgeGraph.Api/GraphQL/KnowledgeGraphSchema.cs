using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>The public GraphQL contract. Its SDL is published at <c>/graphql/schema.graphql</c> and kept in <c>schema/schema.graphql</c>.</summary>
public sealed class KnowledgeGraphSchema : Schema
{
    public KnowledgeGraphSchema(IServiceProvider services, QueryType query, MutationType mutation, SubscriptionType subscription)
        : base(services)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        // What current tools (graphql-codegen, GraphiQL, Apollo) ask introspection for: isRepeatable on directives and
        // includeDeprecated on args and inputFields (with isDeprecated and deprecationReason on input values).
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;
        Description = "A knowledge graph of the messaging-platform world, every fact citing the sentence it comes from.";
    }

    /// <summary>The published SDL: descriptions included, as kept in <c>schema/schema.graphql</c>.</summary>
    public static string Print(ISchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true });
    }
}
