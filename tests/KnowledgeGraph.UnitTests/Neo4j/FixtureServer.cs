using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>
/// A real HTTP server on 127.0.0.1 and a free port (HttpListener) that answers each request with the next queued
/// response, and records what it was sent. Used to test the Query API transport end to end.
/// </summary>
internal sealed class FixtureServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<Canned> _replies = new();
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    public FixtureServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Uri => new($"http://127.0.0.1:{Port}");

    public List<Received> Requests { get; } = [];

    public FixtureServer Reply(int status, string body, TimeSpan delay = default, IDictionary<string, string>? headers = null)
    {
        lock (_replies)
        {
            _replies.Enqueue(new Canned(status, body, delay, headers));
        }

        return this;
    }

    public FixtureServer ReplyFixture(int status, string fixture, IDictionary<string, string>? headers = null) =>
        Reply(status, RepoPaths.Fixture(fixture), headers: headers);

    /// <summary>A port nothing listens on: bound, read, released.</summary>
    public static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
            .ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        lock (Requests)
        {
            Requests.Add(new Received(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body));
        }

        Canned reply;
        lock (_replies)
        {
            reply = _replies.Count > 0 ? _replies.Dequeue() : new Canned(500, "{\"errors\":[{\"code\":\"Test.NoReplyQueued\",\"message\":\"no reply queued\"}]}", default, null);
        }

        try
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, _stop.Token);
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
            context.Response.Close();
        }
        catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client gave up (a timeout test) or the server is stopping.
        }
    }

    private sealed record Canned(int Status, string Body, TimeSpan Delay, IDictionary<string, string>? Headers);

    public sealed record Received(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);
}
