using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>
/// A <c>graphql-transport-ws</c> client over the test server's real WebSocket: it sends what it is told, exactly,
/// and keeps every message and the close code the server sends.
/// </summary>
public sealed class GraphQLWsClient : IAsyncDisposable
{
    public const string SubProtocol = "graphql-transport-ws";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly WebSocket _socket;
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<(int? Code, string? Reason)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiving;

    private GraphQLWsClient(WebSocket socket, bool receive = true)
    {
        _socket = socket;
        _receiving = receive ? Task.Run(ReceiveLoopAsync) : Task.CompletedTask;
    }

    /// <summary>The socket's state, as this side sees it.</summary>
    public WebSocketState State => _socket.State;

    /// <summary>Sends raw bytes as one text message, whether or not they are UTF-8.</summary>
    public Task SendBytesAsync(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The sub-protocol the server accepted.</summary>
    public string? AcceptedSubProtocol => _socket.SubProtocol;

    public static async Task<GraphQLWsClient> ConnectAsync(KnowledgeGraphApp app, string? subProtocol = SubProtocol, Action<HttpRequest>? configureRequest = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var client = app.Server.CreateWebSocketClient();
        if (subProtocol is not null)
        {
            client.SubProtocols.Add(subProtocol);
        }

        client.ConfigureRequest = configureRequest;
        var socket = await client.ConnectAsync(new Uri("ws://localhost/graphql"), CancellationToken.None);
        return new GraphQLWsClient(socket);
    }

    /// <summary>Connects over a real socket to <paramref name="server"/> (see <see cref="KnowledgeGraphApp.StartKestrel"/>).</summary>
    public static async Task<GraphQLWsClient> ConnectAsync(Uri server, bool receive = true)
    {
        ArgumentNullException.ThrowIfNull(server);
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(SubProtocol);
        await socket.ConnectAsync(new Uri($"ws://{server.Authority}/graphql"), CancellationToken.None);
        return new GraphQLWsClient(socket, receive);
    }

    /// <summary>Connects, sends <c>connection_init</c> with <paramref name="payload"/> and waits for the ack.</summary>
    public static async Task<GraphQLWsClient> ConnectAndInitAsync(KnowledgeGraphApp app, object? payload = null)
    {
        var client = await ConnectAsync(app);
        await client.InitAsync(payload);
        return client;
    }

    public async Task InitAsync(object? payload = null)
    {
        await SendAsync(new { type = "connection_init", payload });
        var ack = await ReceiveAsync();
        Assert.Equal("connection_ack", ack.GetProperty("type").GetString());
    }

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public Task SendRawAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public Task SubscribeAsync(string id, string query, object? variables = null) =>
        SendAsync(new { id, type = "subscribe", payload = new { query, variables } });

    /// <summary>The next message; fails when the server closes first or nothing comes within the timeout.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancellation = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _messages.Reader.ReadAsync(cancellation.Token);
        }
        catch (ChannelClosedException)
        {
            var (code, reason) = await _closed.Task;
            throw new InvalidOperationException($"The server closed the socket ({code}: {reason}) instead of sending a message.");
        }
    }

    /// <summary>The next message, which must be a <c>next</c> for <paramref name="id"/>; returns its payload's <c>data</c>.</summary>
    public async Task<JsonElement> NextDataAsync(string id, TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout);
        Assert.True(message.GetProperty("type").GetString() == "next" && message.GetProperty("id").GetString() == id, $"expected 'next' for {id}, got {message}");
        var payload = message.GetProperty("payload");
        Assert.False(payload.TryGetProperty("errors", out var errors), $"unexpected errors: {errors}");
        return payload.GetProperty("data");
    }

    /// <summary>The close code and reason the server closed with.</summary>
    public async Task<(int? Code, string? Reason)> ClosedAsync(TimeSpan? timeout = null) => await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // Already gone.
            }
        }

        await Task.WhenAny(_receiving, Task.Delay(DefaultTimeout));
        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(((int?)_socket.CloseStatus, _socket.CloseStatusDescription));
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    using var document = JsonDocument.Parse(message.ToArray());
                    _messages.Writer.TryWrite(document.RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult((null, exception.Message));
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }
}
