using System.Security.Claims;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Live;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Http.WebSockets;

/// <summary>
/// GraphQL over WebSocket at the same path as GraphQL over HTTP, with the <c>graphql-transport-ws</c> protocol:
/// subscriptions, and queries and mutations executed once. Operations run exactly as over HTTP: the same executer,
/// validation rules (roles included), error shapes and request context; the API key comes with the handshake's
/// headers or, for browsers, in the <c>connection_init</c> payload.
/// </summary>
public sealed partial class GraphQLWebSocketHandler(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    IServiceScopeFactory scopes,
    IApiKeyStore keys,
    IMemoryCache cache,
    IOptionsMonitor<AuthOptions> auth,
    IOptions<LiveOptions> options,
    ClientRateLimiter rateLimiter,
    IHostApplicationLifetime lifetime,
    ILogger<GraphQLWebSocketHandler> logger)
{
    internal bool AllowAnonymousReads => auth.CurrentValue.AllowAnonymousReads;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var supported = context.WebSockets.WebSocketRequestedProtocols.Contains(GraphQLWsProtocol.SubProtocol, StringComparer.OrdinalIgnoreCase);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(supported ? GraphQLWsProtocol.SubProtocol : null);
        if (!supported)
        {
            await socket.CloseOutputAsync(
                (System.Net.WebSockets.WebSocketCloseStatus)GraphQLWsProtocol.SubprotocolNotAcceptable,
                $"Subprotocol not acceptable: use {GraphQLWsProtocol.SubProtocol}",
                context.RequestAborted);
            return;
        }

        using var connection = new GraphQLWsConnection(
            socket,
            this,
            options.Value,
            ApiKeyAuthenticationHandler.ReadKey(context.Request),
            context.Connection.RemoteIpAddress,
            GraphRequestContext.FromAcceptLanguage(context.Request.Headers.AcceptLanguage));
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        ConnectionOpened(logger, context.Connection.Id);
        await connection.RunAsync(stopping.Token);
        ConnectionClosed(logger, context.Connection.Id);
    }

    internal Task<ClaimsPrincipal?> PrincipalOfAsync(string key, CancellationToken cancellationToken) =>
        ApiKeyAuthenticationHandler.PrincipalOfAsync(key, keys, cache, cancellationToken);

    /// <summary>Takes a permit for one operation from the client's request budget, the one HTTP requests draw on.</summary>
    internal bool TryStartOperation(RateLimitedClient client, out TimeSpan retryAfter) => rateLimiter.TryAcquire(client, out retryAfter);

    internal byte[] Serialize(GraphQLWsConnection.Outgoing message) =>
        Encoding.UTF8.GetBytes(serializer.Serialize(new OperationMessage { Type = message.Type, Id = message.Id, Payload = message.Payload }));

    /// <summary>The request in a <c>subscribe</c> payload; null when it is not well-formed.</summary>
    internal GraphQLRequest? ReadRequest(JsonElement payload)
    {
        if (!payload.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(query.GetString()))
        {
            return null;
        }

        string? operationName = null;
        if (payload.TryGetProperty("operationName", out var name) && name.ValueKind != JsonValueKind.Null)
        {
            if (name.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            operationName = name.GetString() is { Length: > 0 } given ? given : null;
        }

        if (!TryReadMap(payload, "variables", out var variables) || !TryReadMap(payload, "extensions", out var extensions))
        {
            return null;
        }

        return new GraphQLRequest { Query = query.GetString(), OperationName = operationName, Variables = variables, Extensions = extensions };
    }

    internal async Task<ExecutionResult> ExecuteAsync(GraphQLRequest request, ClaimsPrincipal user, Language language, CancellationToken cancellationToken)
    {
        // A scope per operation, as an HTTP request has: its own loaders. Each subscription event gets a further scope
        // of its own from the scoped subscription strategy, so this one may end with the initial execution.
        await using var scope = scopes.CreateAsyncScope();
        return await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            RequestServices = scope.ServiceProvider,
            User = user,
            CancellationToken = cancellationToken,
            UserContext = new GraphRequestContext(language),
            UnhandledExceptionDelegate = context => ResolverErrorLogging.LogAsync(logger, context, "WebSocket"),
        });
    }

    private bool TryReadMap(JsonElement payload, string property, out Inputs? map)
    {
        map = null;
        if (!payload.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        map = serializer.ReadNode<Inputs>(value) ?? Inputs.Empty;
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket connection {Connection} opened")]
    private static partial void ConnectionOpened(ILogger logger, string connection);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket connection {Connection} closed")]
    private static partial void ConnectionClosed(ILogger logger, string connection);
}
