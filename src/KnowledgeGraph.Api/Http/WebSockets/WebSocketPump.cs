using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace KnowledgeGraph.Api.Http.WebSockets;

/// <summary>
/// The socket I/O of one connection, and nothing else: one loop receives whole text messages (up to a size), one loop
/// sends queued messages in order (the only writer of the socket), each send with a deadline, so a client that stops
/// reading is cut off within <c>Live:SendTimeout</c> and what it held is freed. Any close goes through
/// <see cref="RequestClose"/>: the first reason wins, and the send loop closes the socket.
/// </summary>
internal sealed class WebSocketPump<TMessage> : IDisposable
    where TMessage : class
{
    private readonly WebSocket _socket;
    private readonly Func<TMessage, byte[]> _serialize;
    private readonly TimeSpan _sendTimeout;
    private readonly int _maxMessageBytes;
    private readonly Channel<TMessage> _outbox;
    private readonly CancellationTokenSource _closing = new();

    private int _closeRequested;
    private (WebSocketCloseStatus Status, string Reason) _close;

    public WebSocketPump(WebSocket socket, Func<TMessage, byte[]> serialize, int maxPendingMessages, int maxMessageBytes, TimeSpan sendTimeout)
    {
        _socket = socket;
        _serialize = serialize;
        _sendTimeout = sendTimeout;
        _maxMessageBytes = maxMessageBytes;
        Closing = _closing.Token;
        _outbox = Channel.CreateBounded<TMessage>(new BoundedChannelOptions(maxPendingMessages) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Cancelled once a close is requested.</summary>
    public CancellationToken Closing { get; }

    public bool IsClosing => Volatile.Read(ref _closeRequested) == 1;

    /// <summary>
    /// Whether the WebSocket layer ended the connection itself: a frame it refused (text that is not UTF-8, bad
    /// framing), answered with its own close frame (1007, 1002), or a client that went without closing.
    /// </summary>
    public bool FailedInTheWebSocketLayer { get; private set; }

    /// <summary>Called once, with the status and reason, when the first close is requested.</summary>
    public Action? Closed { get; set; }

    /// <summary>
    /// Receives until the client closes or goes, handing each whole text message to <paramref name="onMessage"/>
    /// (one at a time, in order), and sends meanwhile; returns when both loops have ended.
    /// </summary>
    public async Task RunAsync(Func<ReadOnlyMemory<byte>, Task> onMessage)
    {
        var sending = SendLoopAsync();
        try
        {
            await ReceiveLoopAsync(onMessage);
        }
        finally
        {
            RequestClose(WebSocketCloseStatus.NormalClosure, string.Empty);
            await sending;
            _outbox.Writer.TryComplete();

            // Nothing queued is sent now: let it go.
            while (_outbox.Reader.TryRead(out _))
            {
            }
        }
    }

    /// <summary>Queues a message; false (and the connection closed, 1008) when the client has too many waiting.</summary>
    public bool Send(TMessage message)
    {
        if (_outbox.Writer.TryWrite(message))
        {
            return true;
        }

        RequestClose(WebSocketCloseStatus.PolicyViolation, "Too many messages are waiting for this client");
        return false;
    }

    /// <summary>Asks for the socket to be closed with <paramref name="status"/>; the first request wins.</summary>
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
        {
            return;
        }

        _close = (status, CloseReasons.Fit(reason));
        Closed?.Invoke();
        _closing.Cancel();
    }

    public void Dispose() => _closing.Dispose();

    private async Task ReceiveLoopAsync(Func<ReadOnlyMemory<byte>, Task> onMessage)
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

                if (IsClosing)
                {
                    // Closing: whatever else arrives is ignored until the client answers the close.
                    continue;
                }

                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    RequestClose((WebSocketCloseStatus)GraphQLWsProtocol.BadRequest, "Invalid message received: binary messages are not part of the protocol");
                    continue;
                }

                if (message.WrittenCount + received.Count > _maxMessageBytes)
                {
                    RequestClose(WebSocketCloseStatus.MessageTooBig, $"Messages are limited to {_maxMessageBytes} bytes");
                    continue;
                }

                message.Write(buffer.AsSpan(0, received.Count));
                if (received.EndOfMessage)
                {
                    await onMessage(message.WrittenMemory);
                    message.ResetWrittenCount();
                }
            }
        }
        catch (WebSocketException)
        {
            // The client went away without closing, was cut off after a close it did not answer, or sent what the
            // WebSocket layer refuses, which then sent its own close frame.
            FailedInTheWebSocketLayer = true;
        }
        catch (OperationCanceledException)
        {
            // The socket was aborted (a send past its deadline).
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendLoopAsync()
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(Closing))
            {
                while (!IsClosing && reader.TryRead(out var message))
                {
                    var bytes = _serialize(message);
                    using var deadline = new CancellationTokenSource(_sendTimeout);
                    await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!IsClosing)
        {
            // A send past its deadline: the client stopped reading. The socket is aborted; nothing more can be sent.
            RequestClose(WebSocketCloseStatus.PolicyViolation, "The client stopped reading");
            _socket.Abort();
            return;
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
            using var timeout = new CancellationTokenSource(CloseHandshake.Timeout);
            await _socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
            return;
        }

        // The receive loop ends when the client answers the close; a client that never does is cut off.
        _ = Task.Delay(CloseHandshake.Timeout).ContinueWith(
            _ =>
            {
                if (_socket.State != WebSocketState.Closed)
                {
                    _socket.Abort();
                }
            },
            TaskScheduler.Default);
    }
}

/// <summary>How long a close handshake may take before the socket is cut off.</summary>
internal static class CloseHandshake
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
}

/// <summary>Close reasons as the WebSocket protocol allows them: at most 123 bytes of UTF-8.</summary>
public static class CloseReasons
{
    /// <summary>The most bytes a close reason may take (RFC 6455 §5.5: a control frame's 125 bytes less the code's two).</summary>
    public const int MaxBytes = 123;

    /// <summary>
    /// <paramref name="reason"/> cut to <see cref="MaxBytes"/> bytes of UTF-8 on a character boundary (never inside a
    /// surrogate pair), with "…" to show it was cut; lone surrogates become U+FFFD so the text encodes.
    /// </summary>
    public static string Fit(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return string.Empty;
        }

        var text = ToValidUtf16(reason);
        if (Encoding.UTF8.GetByteCount(text) <= MaxBytes)
        {
            return text;
        }

        const char ellipsis = '…';
        var budget = MaxBytes - Encoding.UTF8.GetByteCount([ellipsis]);
        var builder = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (used + rune.Utf8SequenceLength > budget)
            {
                break;
            }

            used += rune.Utf8SequenceLength;
            builder.Append(rune.ToString());
        }

        return builder.Append(ellipsis).ToString();
    }

    private static string ToValidUtf16(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\ud800', '\udfff'))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            // EnumerateRunes yields U+FFFD for a lone surrogate.
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
