using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using System.Threading.Channels;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQLParser.AST;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Live;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.Http.WebSockets;

/// <summary>
/// One <c>graphql-transport-ws</c> connection. One loop receives and dispatches messages, one loop sends (the only
/// writer of the socket, so messages keep their order), and each operation runs on its own. Any close is requested
/// through <c>RequestClose</c>: the first reason wins, every operation is stopped, and the send loop closes
/// the socket.
/// </summary>
internal sealed partial class GraphQLWsConnection : IDisposable
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly GraphQLWebSocketHandler _handler;
    private readonly LiveOptions _options;
    private readonly string? _headerKey;
    private readonly IPAddress? _address;
    private readonly Channel<Outgoing> _outbox;
    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationToken _closingToken;

    private int _closeRequested;
    private (WebSocketCloseStatus Status, string Reason) _close;

    // 0: waiting for connection_init, 1: connection_init received, 2: acknowledged.
    private int _initState;
    private ClaimsPrincipal _user = new(new ClaimsIdentity());
    private string? _key;
    private RateLimitedClient _client;
    private Language _language;

    public GraphQLWsConnection(WebSocket socket, GraphQLWebSocketHandler handler, LiveOptions options, string? headerKey, IPAddress? address, Language headerLanguage)
    {
        _socket = socket;
        _handler = handler;
        _options = options;
        _headerKey = headerKey;
        _address = address;
        _language = headerLanguage;
        _closingToken = _closing.Token;
        _outbox = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.MaxPendingMessages) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var registration = stopping.Register(() => RequestClose(WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down"));
        var sending = SendLoopAsync();
        var waitingForInit = CloseUnlessInitialisedAsync();
        try
        {
            await ReceiveLoopAsync();
        }
        finally
        {
            RequestClose(WebSocketCloseStatus.NormalClosure, string.Empty);
            await sending;
            await waitingForInit;
        }
    }

    public void Dispose() => _closing.Dispose();

    /// <summary>Asks for the socket to be closed with <paramref name="status"/>; the first request wins.</summary>
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
        {
            return;
        }

        _close = (status, reason);
        foreach (var id in _operations.Keys)
        {
            if (_operations.TryRemove(id, out var operation))
            {
                operation.Stop();
            }
        }

        _closing.Cancel();
    }

    private void RequestClose(int code, string reason) => RequestClose((WebSocketCloseStatus)code, reason);

    private bool Send(Outgoing message)
    {
        if (_outbox.Writer.TryWrite(message))
        {
            return true;
        }

        if (Volatile.Read(ref _closeRequested) == 0)
        {
            RequestClose(WebSocketCloseStatus.PolicyViolation, "Too many messages are waiting for this client");
        }

        return false;
    }

    private async Task SendLoopAsync()
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_closingToken))
            {
                while (!_closing.IsCancellationRequested && reader.TryRead(out var message))
                {
                    var bytes = _handler.Serialize(message);
                    await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // A close was requested.
        }
        catch (WebSocketException)
        {
            // The client has gone.
            RequestClose(WebSocketCloseStatus.EndpointUnavailable, string.Empty);
        }

        await CloseSocketAsync();
    }

    private async Task CloseSocketAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        var (status, reason) = _close;
        try
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            await _socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
            return;
        }

        // The receive loop ends when the client answers the close; a client that never does is cut off.
        _ = Task.Delay(CloseHandshakeTimeout).ContinueWith(
            _ =>
            {
                if (_socket.State != WebSocketState.Closed)
                {
                    _socket.Abort();
                }
            },
            TaskScheduler.Default);
    }

    private async Task CloseUnlessInitialisedAsync()
    {
        try
        {
            await Task.Delay(_options.ConnectionInitTimeout, _closingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (Volatile.Read(ref _initState) == 0)
        {
            RequestClose(GraphQLWsProtocol.ConnectionInitTimeout, "Connection initialisation timeout");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>();
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var received = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    RequestClose(WebSocketCloseStatus.NormalClosure, string.Empty);
                    return;
                }

                if (Volatile.Read(ref _closeRequested) == 1)
                {
                    // Closing: whatever else arrives is ignored until the client answers the close.
                    continue;
                }

                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: binary messages are not part of the protocol");
                    continue;
                }

                if (message.WrittenCount + received.Count > _options.MaxMessageBytes)
                {
                    RequestClose(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {_options.MaxMessageBytes} bytes");
                    continue;
                }

                message.Write(buffer.AsSpan(0, received.Count));
                if (received.EndOfMessage)
                {
                    await HandleMessageAsync(message.WrittenMemory);
                    message.ResetWrittenCount();
                }
            }
        }
        catch (WebSocketException)
        {
            // The client went away without closing, or was cut off after a close it did not answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleMessageAsync(ReadOnlyMemory<byte> text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: not JSON");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var typeElement)
                || typeElement.ValueKind != JsonValueKind.String)
            {
                RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: a message is an object with a string 'type'");
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
                        Send(new Outgoing(GraphQLWsProtocol.Pong));
                    }

                    break;
                case GraphQLWsProtocol.Pong:
                    HasObjectPayloadOrNone(root);
                    break;
                case GraphQLWsProtocol.Subscribe:
                    OnSubscribe(root);
                    break;
                case GraphQLWsProtocol.Complete:
                    if (IdOf(root) is { } id && _operations.TryRemove(id, out var operation))
                    {
                        // The client stopped listening: no further message is sent for this id.
                        operation.Stop();
                    }

                    break;
                default:
                    RequestClose(GraphQLWsProtocol.BadRequest, $"Invalid message received: unexpected message type '{Truncate(type)}'");
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

        RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: 'payload' must be an object");
        return false;
    }

    private string? IdOf(JsonElement root)
    {
        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value)
        {
            return value;
        }

        RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: 'id' must be a non-empty string");
        return null;
    }

    private async Task OnConnectionInitAsync(JsonElement root)
    {
        if (Interlocked.CompareExchange(ref _initState, 1, 0) != 0)
        {
            RequestClose(GraphQLWsProtocol.TooManyInitialisationRequests, "Too many initialisation requests");
            return;
        }

        if (!HasObjectPayloadOrNone(root))
        {
            return;
        }

        var payload = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        _key = ConnectionParameters.ApiKeyOf(payload) ?? _headerKey;
        if (ConnectionParameters.AcceptLanguageOf(payload) is { } acceptLanguage)
        {
            _language = GraphRequestContext.FromAcceptLanguage(acceptLanguage);
        }

        if (_key is not null)
        {
            var principal = await _handler.PrincipalOfAsync(_key, _closingToken);
            if (principal is null)
            {
                RequestClose(GraphQLWsProtocol.Forbidden, "Forbidden: the API key is not valid");
                return;
            }

            _user = principal;
        }
        else if (!_handler.AllowAnonymousReads)
        {
            RequestClose(GraphQLWsProtocol.Forbidden, "Forbidden: this service needs an API key; send it in connection_init as {\"Authorization\": \"Bearer <key>\"}");
            return;
        }

        _client = RateLimitedClient.Of(_key, _address);
        Volatile.Write(ref _initState, 2);
        Send(new Outgoing(GraphQLWsProtocol.ConnectionAck));
        if (_key is not null)
        {
            _ = CloseWhenKeyRevokedAsync(_key);
        }
    }

    // Keys are looked up again as often as the HTTP transport's cache expires, so a revoked key loses its live
    // connections as soon as it would lose its requests.
    private async Task CloseWhenKeyRevokedAsync(string key)
    {
        try
        {
            while (true)
            {
                await Task.Delay(ApiKeyAuthenticationHandler.LookupCacheDuration, _closingToken);
                if (await _handler.PrincipalOfAsync(key, _closingToken) is null)
                {
                    RequestClose(GraphQLWsProtocol.Forbidden, "Forbidden: the API key was revoked");
                    return;
                }
            }
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
            RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: 'subscribe' needs a 'payload' object");
            return;
        }

        if (_handler.ReadRequest(payload) is not { Request: { } request })
        {
            RequestClose(GraphQLWsProtocol.BadRequest, "Invalid message received: the payload needs a string 'query'; 'operationName' is a string, 'variables' and 'extensions' are objects");
            return;
        }

        if (Volatile.Read(ref _initState) != 2)
        {
            RequestClose(GraphQLWsProtocol.Unauthorized, "Unauthorized");
            return;
        }

        var operation = new Operation(id, _closingToken);
        if (!_operations.TryAdd(id, operation))
        {
            operation.Stop();
            RequestClose(GraphQLWsProtocol.SubscriberAlreadyExists, $"Subscriber for {Truncate(id)} already exists");
            return;
        }

        if (_operations.Count > _options.MaxOperationsPerConnection)
        {
            _operations.TryRemove(new KeyValuePair<string, Operation>(id, operation));
            operation.Stop();
            Send(new Outgoing(GraphQLWsProtocol.Error, id, new[]
            {
                new ExecutionError($"This connection already runs {_options.MaxOperationsPerConnection} operations, the most it may; complete one first.")
                {
                    Code = GraphQLWsProtocol.TooManyOperationsCode,
                },
            }));
            return;
        }

        _ = RunOperationAsync(operation, request);
    }

    private async Task RunOperationAsync(Operation operation, GraphQLRequest request)
    {
        var streaming = false;
        try
        {
            var answer = await _handler.ExecuteAsync(request, _user, _language, _client, operation.Token);
            if (!operation.IsActive)
            {
                return;
            }

            if (answer.Body is { } body)
            {
                // Served by (or just stored in) the response cache, already serialised.
                if (Send(new Outgoing(GraphQLWsProtocol.Next, operation.Id, new GraphQLWebSocketHandler.CachedResponse(body))))
                {
                    Finish(operation, new Outgoing(GraphQLWsProtocol.Complete, operation.Id));
                }

                return;
            }

            var result = answer.Result;

            if (result.Streams is { Count: > 0 } streams)
            {
                streaming = true;
                operation.Attach(streams.Values.First().Subscribe(new OperationObserver(this, operation)));
                return;
            }

            var isSubscription = result.Operation?.Operation == OperationType.Subscription;
            if (!result.Executed || (isSubscription && result.Data is null))
            {
                // Refused before any result (validation, roles, a stream that could not start): an error, no complete.
                Finish(operation, new Outgoing(GraphQLWsProtocol.Error, operation.Id, (result.Errors ?? []).ToArray()));
                return;
            }

            if (Send(new Outgoing(GraphQLWsProtocol.Next, operation.Id, result)))
            {
                Finish(operation, new Outgoing(GraphQLWsProtocol.Complete, operation.Id));
            }
        }
        catch (OperationCanceledException) when (operation.Token.IsCancellationRequested)
        {
            // Completed by the client, or the connection closed.
        }
        finally
        {
            if (!streaming)
            {
                _operations.TryRemove(new KeyValuePair<string, Operation>(operation.Id, operation));
            }
        }
    }

    // Sends the operation's last message unless the client completed it first, and frees its id.
    private void Finish(Operation operation, Outgoing last)
    {
        if (_operations.TryRemove(new KeyValuePair<string, Operation>(operation.Id, operation)))
        {
            Send(last);
            operation.Stop();
        }
    }

    private static string Truncate(string? text) => text is { Length: > 64 } ? text[..64] : text ?? string.Empty;

    /// <summary>A message to the client: its type, the operation id and the payload (an execution result or errors).</summary>
    internal sealed record Outgoing(string Type, string? Id = null, object? Payload = null);

    private sealed class Operation
    {
        private readonly CancellationTokenSource _cancellation;
        private IDisposable? _subscription;
        private int _stopped;

        public Operation(string id, CancellationToken connectionClosing)
        {
            Id = id;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(connectionClosing);
            Token = _cancellation.Token;
        }

        public string Id { get; }

        // Read once: the source is disposed when the operation stops, the token stays readable.
        public CancellationToken Token { get; }

        public bool IsActive => Volatile.Read(ref _stopped) == 0;

        public void Attach(IDisposable subscription)
        {
            Interlocked.Exchange(ref _subscription, subscription);
            if (!IsActive)
            {
                Interlocked.Exchange(ref _subscription, null)?.Dispose();
            }
        }

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 1)
            {
                return;
            }

            Interlocked.Exchange(ref _subscription, null)?.Dispose();
            try
            {
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The connection's own token source is gone: everything has stopped already.
            }

            _cancellation.Dispose();
        }
    }

    private sealed class OperationObserver(GraphQLWsConnection connection, Operation operation) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            if (operation.IsActive)
            {
                connection.Send(new Outgoing(GraphQLWsProtocol.Next, operation.Id, value));
            }
        }

        public void OnError(Exception error)
        {
            var executionError = error as ExecutionError ?? new ExecutionError("The event stream failed.", error);
            connection.Finish(operation, new Outgoing(GraphQLWsProtocol.Error, operation.Id, new[] { executionError }));
        }

        public void OnCompleted() => connection.Finish(operation, new Outgoing(GraphQLWsProtocol.Complete, operation.Id));
    }
}
