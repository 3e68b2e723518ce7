using System.Buffers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
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
/// subscriptions, and queries and mutations executed once. Operations run through <see cref="GraphQLPipeline"/>, as HTTP
/// requests do: trusted documents, the response cache, limits, rate limits, roles, error shapes and request context; the API key comes with the handshake's
/// headers or, for browsers, in the <c>connection_init</c> payload.
/// </summary>
public sealed partial class GraphQLWebSocketHandler(
    GraphQLPipeline pipeline,
    GraphQLRequestReader reader,
    IGraphQLTextSerializer serializer,
    IServiceScopeFactory scopes,
    ApiKeyCallers callers,
    IOptions<LiveOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<GraphQLWebSocketHandler> logger)
{
    private int _openConnections;

    /// <summary>How many WebSocket connections this instance serves now.</summary>
    public int OpenConnections => Volatile.Read(ref _openConnections);

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
            callers,
            options.Value,
            ApiKeyAuthentication.ReadKey(context.Request),
            context.Connection.RemoteIpAddress,
            GraphRequestContext.FromAcceptLanguage(context.Request.Headers.AcceptLanguage));
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        ConnectionOpened(logger, context.Connection.Id);
        Interlocked.Increment(ref _openConnections);
        try
        {
            await connection.RunAsync(stopping.Token);
            if (connection.FailedInTheWebSocketLayer)
            {
                // Its close frame may still be on its way: ending the request now could end the connection before it
                // is sent. The client answers it and goes, or the handshake's time runs out.
                await LingerAsync(context.RequestAborted);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _openConnections);
        }

        ConnectionClosed(logger, context.Connection.Id);
    }

    private static async Task LingerAsync(CancellationToken clientGone)
    {
        try
        {
            await Task.Delay(CloseHandshake.Timeout, clientGone);
        }
        catch (OperationCanceledException)
        {
            // The client has gone: nothing is left to send.
        }
    }

    internal byte[] Serialize(GraphQLWsConnection.Outgoing message)
    {
        if (message.Payload is not CachedResponse cached)
        {
            return Encoding.UTF8.GetBytes(serializer.Serialize(new OperationMessage { Type = message.Type, Id = message.Id, Payload = message.Payload }));
        }

        // A response the cache kept, already serialised: sent as it is.
        var buffer = new ArrayBufferWriter<byte>(cached.Body.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", message.Type);
            writer.WriteString("id", message.Id);
            writer.WritePropertyName("payload");
            writer.WriteRawValue(cached.Body, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The request in a <c>subscribe</c> payload, or the error that says why it is not well-formed.</summary>
    internal (GraphQLRequest? Request, GraphQLRequestError? Error) ReadRequest(JsonElement payload) => reader.ReadObject(payload);

    /// <summary>Runs one operation through the pipeline HTTP requests go through, charging it to <paramref name="client"/>.</summary>
    internal async Task<GraphQLPipelineResult> ExecuteAsync(GraphQLRequest request, ClaimsPrincipal user, Language language, RateLimitedClient client, CancellationToken cancellationToken)
    {
        // A scope per operation, as an HTTP request has: its own loaders. Each subscription event gets a further scope
        // of its own from the scoped subscription strategy, so this one may end with the initial execution.
        await using var scope = scopes.CreateAsyncScope();
        return await pipeline.ExecuteAsync(
            new GraphQLPipelineRequest(request, GraphQLTransport.WebSocket, user, language, GraphQLResponseMediaType.GraphQLResponseJson, client, scope.ServiceProvider),
            cancellationToken);
    }

    /// <summary>A response body the cache served, sent as the payload of a <c>next</c> message.</summary>
    internal sealed record CachedResponse(byte[] Body);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket connection {Connection} opened")]
    private static partial void ConnectionOpened(ILogger logger, string connection);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket connection {Connection} closed")]
    private static partial void ConnectionClosed(ILogger logger, string connection);
}
