using KnowledgeGraph.Api.Exchange;
using KnowledgeGraph.Api.Explorer;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.Api.Http.WebSockets;
using KnowledgeGraph.Api.Ide;

namespace KnowledgeGraph.Api.Hosting;

public static class EndpointExtensions
{
    /// <summary>The GraphQL endpoint (HTTP and WebSocket), the IDE and the published SDL under <c>/graphql</c>; the explorer under <c>/explore</c>; exports under <c>/export</c>, bulk imports under <c>/import</c>.</summary>
    public static IEndpointRouteBuilder MapKnowledgeGraphApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExportApi();
        endpoints.MapImportApi();
        endpoints.MapBananaCakePop("/graphql");
        endpoints.MapExplorer("/explore");
        endpoints.MapGraphQLWebSockets("/graphql");
        return endpoints.MapGraphQLHttp("/graphql");
    }
}
