using KnowledgeGraph.Api.Exchange;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.Api.Ide;

namespace KnowledgeGraph.Api.Hosting;

public static class EndpointExtensions
{
    /// <summary>The GraphQL endpoint, the IDE and the published SDL, all under <c>/graphql</c>; exports under <c>/export</c>.</summary>
    public static IEndpointRouteBuilder MapKnowledgeGraphApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExportApi();
        endpoints.MapBananaCakePop("/graphql");
        return endpoints.MapGraphQLHttp("/graphql");
    }
}
