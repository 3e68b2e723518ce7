using KnowledgeGraph.Api.Exchange;
using KnowledgeGraph.Api.Explorer;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.Api.Http.WebSockets;
using KnowledgeGraph.Api.Ide;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Security;

namespace KnowledgeGraph.Api.Hosting;

public static class EndpointExtensions
{
    /// <summary>
    /// The API in one route group, so no endpoint of it can miss a policy: every request is rate limited, and the
    /// API-key gate stands before <c>/graphql</c> (HTTP), <c>/export</c> and <c>/import</c> (which needs a partner key).
    /// A WebSocket authenticates in its <c>connection_init</c>. Outside the group: the IDE, the explorer (a page that
    /// calls <c>/graphql</c> like any client) and the published SDL.
    /// </summary>
    public static IEndpointRouteBuilder MapKnowledgeGraphApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(string.Empty).RequireClientRateLimit();
        api.MapGraphQLWebSockets("/graphql");

        var gated = api.MapGroup(string.Empty).RequireApiKey();
        gated.MapExportApi();
        gated.MapImportApi();
        gated.MapGraphQLHttp("/graphql");

        endpoints.MapBananaCakePop("/graphql");
        endpoints.MapExplorer("/explore");
        return endpoints.MapGraphQLSchema("/graphql");
    }
}
