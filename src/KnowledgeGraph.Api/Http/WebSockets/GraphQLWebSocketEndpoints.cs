using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KnowledgeGraph.Api.Http.WebSockets;

public static class GraphQLWebSocketEndpoints
{
    /// <summary>The WebSocket transport's services; <see cref="MapGraphQLWebSockets"/> needs them.</summary>
    public static IServiceCollection AddGraphQLWebSockets(this IServiceCollection services)
    {
        services.TryAddSingleton<GraphQLWebSocketHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GraphQLWebSocketMatcherPolicy>());
        return services;
    }

    /// <summary>
    /// Maps GraphQL over WebSocket at <paramref name="pattern"/>, ahead of every other endpoint at the same path but
    /// only for WebSocket handshakes (<see cref="IsWebSocketHandshake"/>); the app must <c>UseWebSockets()</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapGraphQLWebSockets(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        // GET opens an HTTP/1.1 WebSocket, CONNECT an HTTP/2 one; other methods keep their 405 at this path.
        endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Connect], (HttpContext context, GraphQLWebSocketHandler handler) => handler.HandleAsync(context))
            .WithName("GraphQLWebSocket")
            .WithMetadata(GraphQLWebSocketMatcherPolicy.Marker)
            .WithOrder(-2);
        return endpoints;
    }

    /// <summary>
    /// Whether a request opens a WebSocket: an HTTP/1.1 upgrade or an HTTP/2 extended CONNECT. Read from the request
    /// itself because routing runs before the WebSockets middleware.
    /// </summary>
    public static bool IsWebSocketHandshake(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.WebSockets.IsWebSocketRequest)
        {
            return true;
        }

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }

        return HttpMethods.IsGet(context.Request.Method)
            && context.Request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Drops the WebSocket endpoint from matching for anything but a WebSocket handshake.</summary>
internal sealed class GraphQLWebSocketMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public static readonly object Marker = new GraphQLWebSocketEndpointMetadata();

    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
        => endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<GraphQLWebSocketEndpointMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i)
                && candidates[i].Endpoint.Metadata.GetMetadata<GraphQLWebSocketEndpointMetadata>() is not null
                && !GraphQLWebSocketEndpoints.IsWebSocketHandshake(httpContext))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    private sealed class GraphQLWebSocketEndpointMetadata;
}
