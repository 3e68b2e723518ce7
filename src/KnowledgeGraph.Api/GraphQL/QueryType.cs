using GraphQL.Types;

namespace KnowledgeGraph.Api.GraphQL;

public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";
        Description = "The entry points for reading the graph.";
        Field<NonNullGraphType<StringGraphType>>("version")
            .Description("The version of the service.")
            .Resolve(_ => typeof(QueryType).Assembly.GetName().Version?.ToString() ?? "0.0.0");
    }
}
