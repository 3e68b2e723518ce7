using System.Net;
using System.Net.Sockets;
using System.Text;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Hosting;

/// <summary>
/// Idle sockets against the real Kestrel, past small test limits: the ones past the limit are refused, other clients
/// are still served, and once the idle sockets close, service resumes by itself and the process is still there.
/// </summary>
public sealed class ConnectionLimitTests
{
    private const string Health = "/health/live";

    [Fact]
    public async Task Idle_sockets_past_the_per_address_limit_get_503_others_are_served_and_service_resumes_when_they_close()
    {
        await using var app = StartKestrel(("Connections:MaxPerAddress", "4"), ("Connections:MaxTotal", "100"));
        var port = Port(app);
        var flood = IPAddress.Parse("127.0.0.2");
        var idle = new List<Socket>();
        try
        {
            // Each is served once and stays open (keep-alive), so the server has counted it before the next connects:
            // a connect returns at the handshake, and Kestrel runs each connection's middleware on its own, in any order.
            for (var i = 0; i < 4; i++)
            {
                var socket = await ConnectAsync(flood, port);
                idle.Add(socket);
                Assert.StartsWith("HTTP/1.1 200", await ServedOnceAsync(socket), StringComparison.Ordinal);
            }

            // Every further connection from that address is answered 503 at once and closed, without a request.
            for (var i = 0; i < 6; i++)
            {
                using var refused = await ConnectAsync(flood, port);
                var answer = await ReadAllAsync(refused);
                Assert.StartsWith("HTTP/1.1 503", answer, StringComparison.Ordinal);
                Assert.Contains("Retry-After: 1", answer, StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusFromAsync(flood, port));
            // Another address is served all along.
            Assert.Equal(HttpStatusCode.OK, await StatusFromAsync(IPAddress.Loopback, port));
        }
        finally
        {
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
        }

        Assert.Equal(HttpStatusCode.OK, await EventuallyOkAsync(flood, port));
    }

    [Fact]
    public async Task Idle_sockets_past_the_total_limit_are_closed_and_service_resumes_when_they_close()
    {
        await using var app = StartKestrel(("Connections:MaxPerAddress", "100"), ("Connections:MaxTotal", "6"));
        var port = Port(app);
        var idle = new List<Socket>();
        try
        {
            // Served once each and kept open, so Kestrel has counted every one before the next connects (as above).
            for (var i = 0; i < 6; i++)
            {
                var socket = await ConnectAsync(IPAddress.Parse($"127.0.0.{10 + i}"), port);
                idle.Add(socket);
                Assert.StartsWith("HTTP/1.1 200", await ServedOnceAsync(socket), StringComparison.Ordinal);
            }

            // Kestrel closes a connection past its table at once: the client reads the end of the stream (or a reset).
            for (var i = 0; i < 4; i++)
            {
                using var refused = await ConnectAsync(IPAddress.Parse("127.0.0.30"), port);
                await refused.SendAsync(Encoding.ASCII.GetBytes($"GET {Health} HTTP/1.1\r\nHost: x\r\n\r\n"));
                var answer = await ReadAllAsync(refused);
                Assert.DoesNotContain("200 OK", answer, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
        }

        Assert.Equal(HttpStatusCode.OK, await EventuallyOkAsync(IPAddress.Parse("127.0.0.30"), port));
    }

    private static KnowledgeGraphApp StartKestrel(params (string, string)[] settings)
    {
        var app = new KnowledgeGraphApp { Settings = [.. settings, ("Limits:RateLimit:Enabled", "false")] };
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }

    private static int Port(KnowledgeGraphApp app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address).Port;
    }

    private static async Task<Socket> ConnectAsync(IPAddress from, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static async Task<string> ReadAllAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var text = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (SocketException)
        {
            // Reset by the server: what was read is the answer.
        }

        return text.ToString();
    }

    // One request on a kept-alive connection: its answer's head and body, to its Content-Length or its last chunk.
    private static async Task<string> ServedOnceAsync(Socket socket)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {Health} HTTP/1.1\r\nHost: x\r\n\r\n"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var text = new StringBuilder();
        var buffer = new byte[1024];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            var answer = text.ToString();
            var end = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var length = System.Text.RegularExpressions.Regex.Match(answer, "(?im)^content-length: *([0-9]+)");
            var complete = length.Success
                ? answer.Length - end - 4 >= int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
                : answer.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && complete)
            {
                return answer;
            }
        }
    }

    private static async Task<HttpStatusCode> StatusFromAsync(IPAddress from, int port)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            using var response = await client.GetAsync(Health);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    // The count goes down as the server notices each close: ask until it has.
    private static async Task<HttpStatusCode> EventuallyOkAsync(IPAddress from, int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        while ((status = await StatusFromAsync(from, port)) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return status;
    }
}
