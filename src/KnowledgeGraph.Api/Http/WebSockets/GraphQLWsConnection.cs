using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Live;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.Http.WebSockets;

/// <summary>
/// The <c>graphql-transport-ws</c> protocol on one connection: it reads each message, answers <c>connection_init</c>,
/// <c>ping</c>, <c>subscribe</c> and <c>complete</c>, and closes with the protocol's codes. Socket I/O is
/// <see cref="WebSocketPump{TMessage}"/>'s; running operations is <see cref="GraphQLWsOperations"/>'s; executing one is
/// <see cref="GraphQLPipeline"/>'s, as for HTTP.
/// </summary>
internal sealed partial class GraphQLWsConnection : IDisposable
{
    private readonly GraphQLWebSocketHandler _handler;
    private readonly ApiKeyCallers _callers;
    private readonly LiveOptions _options;
    private readonly string? _headerKey;
    private readonly IPAddress? _address;
    private readonly WebSocketPump<Outgoing> _pump;
    private readonly GraphQLWsOperations _operations;

    // 0: waiting for connection_init, 1: connection_init received, 2: acknowledged.
    private int _initState;
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private RateLimitedClient _client;
    private Language _language;

    public GraphQLWsConnection(WebSocket socket, GraphQLWebSocketHandler handler, ApiKeyCallers callers, LiveOptions options, string? headerKey, IPAddress? address, Language headerLanguage)
    {
        _handler = handler;
        _callers = callers;
        _options = options;
        _headerKey = headerKey;
        _address = address;
        _language = headerLanguage;
        _pump = new WebSocketPump<Outgoing>(socket, handler.Serialize, options.MaxPendingMessages, options.MaxMessageBytes, options.SendTimeout);
        _operations = new GraphQLWsOperations(options.MaxOperationsPerConnection, _pump.Send);
        _pump.Closed = _operations.StopAll;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var registration = stopping.Register(() => _pump.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down"));
        var waitingForInit = CloseUnlessInitialisedAsync();
        await _pump.RunAsync(HandleMessageAsync);
        await waitingForInit;
    }

    /// <inheritdoc cref="WebSocketPump{TMessage}.FailedInTheWebSocketLayer"/>
    public bool FailedInTheWebSocketLayer => _pump.FailedInTheWebSocketLayer;

    public void Dispose() => _pump.Dispose();

    private void Close(int code, string reason) => _pump.RequestClose((WebSocketCloseStatus)code, reason);

    private async Task CloseUnlessInitialisedAsync()
    {
        try
        {
            await Task.Delay(_options.ConnectionInitTimeout, _pump.Closing);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Volatile.Read(ref _initState) == 0)
        {
            Close(GraphQLWsProtocol.ConnectionInitTimeout, "Connection initialisation timeout");
        }
    }

    private async Task HandleMessageAsync(ReadOnlyMemory<byte> text)
    {
        // The same rules as an HTTP body: UTF-8, JSON, no name twice, valid Unicode strings, finite numbers.
        var (document, invalid) = GraphQLRequestReader.Parse(text, "The message");
        if (document is null)
        {
            Close(GraphQLWsProtocol.BadRequest, $"Invalid message received: {invalid!.Message}");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var typeElement)
                || typeElement.ValueKind != JsonValueKind.String)
            {
                Close(GraphQLWsProtocol.BadRequest, "Invalid message received: a message is an object with a string 'type'");
                return;
            }

            var type = typeElement.GetString();
            switch (type)
            {
                case GraphQLWsProtocol.ConnectionInit:
                    await OnConnectionInitAsync(root);
                    break;
                case GraphQLWsProtocol.Ping:
                    if (HasObjectPayloadOrNone(root))
                    {
                        _pump.Send(new Outgoing(GraphQLWsProtocol.Pong));
                    }

                    break;
                case GraphQLWsProtocol.Pong:
                    HasObjectPayloadOrNone(root);
                    break;
                case GraphQLWsProtocol.Subscribe:
                    OnSubscribe(root);
                    break;
                case GraphQLWsProtocol.Complete:
                    if (IdOf(root) is { } id)
                    {
                        _operations.Complete(id);
                    }

                    break;
                default:
                    Close(GraphQLWsProtocol.BadRequest, $"Invalid message received: unexpected message type '{type}'");
                    break;
            }
        }
    }

    private bool HasObjectPayloadOrNone(JsonElement root)
    {
        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind is JsonValueKind.Object or JsonValueKind.Null)
        {
            return true;
        }

        Close(GraphQLWsProtocol.BadRequest, "Invalid message received: 'payload' must be an object");
        return false;
    }

    private string? IdOf(JsonElement root)
    {
        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value)
        {
            return value;
        }

        Close(GraphQLWsProtocol.BadRequest, "Invalid message received: 'id' must be a non-empty string");
        return null;
    }

    private async Task OnConnectionInitAsync(JsonElement root)
    {
        if (Interlocked.CompareExchange(ref _initState, 1, 0) != 0)
        {
            Close(GraphQLWsProtocol.TooManyInitialisationRequests, "Too many initialisation requests");
            return;
        }

        if (!HasObjectPayloadOrNone(root))
        {
            return;
        }

        var payload = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var key = ConnectionParameters.ApiKeyOf(payload) ?? _headerKey;
        if (ConnectionParameters.AcceptLanguageOf(payload) is { } acceptLanguage)
        {
            _language = GraphRequestContext.FromAcceptLanguage(acceptLanguage);
        }

        if (key is not null)
        {
            var principal = await _callers.PrincipalOfAsync(key, _pump.Closing);
            if (principal is null)
            {
                Close(GraphQLWsProtocol.Forbidden, "Forbidden: the API key is not valid");
                return;
            }

            _user = principal;
        }
        else if (!_callers.AllowAnonymousReads)
        {
            Close(GraphQLWsProtocol.Forbidden, "Forbidden: this service needs an API key; send it in connection_init as {\"Authorization\": \"Bearer <key>\"}");
            return;
        }

        _client = RateLimitedClient.Of(key, _address);
        Volatile.Write(ref _initState, 2);
        _pump.Send(new Outgoing(GraphQLWsProtocol.ConnectionAck));
        if (key is not null)
        {
            _ = CloseWhenRevokedAsync(key);
        }
    }

    private async Task CloseWhenRevokedAsync(string key)
    {
        try
        {
            await _callers.WaitUntilRevokedAsync(key, _pump.Closing);
            Close(GraphQLWsProtocol.Forbidden, "Forbidden: the API key was revoked");
        }
        catch (OperationCanceledException)
        {
            // The connection closed.
        }
    }

    private void OnSubscribe(JsonElement root)
    {
        if (IdOf(root) is not { } id)
        {
            return;
        }

        if (!root.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            Close(GraphQLWsProtocol.BadRequest, "Invalid message received: 'subscribe' needs a 'payload' object");
            return;
        }

        var (request, error) = _handler.ReadRequest(payload);
        if (request is null)
        {
            Close(GraphQLWsProtocol.BadRequest, $"Invalid message received: {error!.Message}");
            return;
        }

        if (Volatile.Read(ref _initState) != 2)
        {
            Close(GraphQLWsProtocol.Unauthorized, "Unauthorized");
            return;
        }

        var (user, language, client) = (_user, _language, _client);
        var outcome = _operations.TryStart(id, token => _handler.ExecuteAsync(request, user, language, client, token), _pump.Closing);
        if (outcome == GraphQLWsOperations.StartOutcome.DuplicateId)
        {
            Close(GraphQLWsProtocol.SubscriberAlreadyExists, $"Subscriber for {id} already exists");
        }
    }

    /// <summary>A message to the client: its type, the operation id and the payload (an execution result or errors).</summary>
    internal sealed record Outgoing(string Type, string? Id = null, object? Payload = null);
}
