using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>
/// The <c>MONITOR</c> feed of a test's own redis-server: every command it runs, in the order it runs them, so a test
/// can count what an app really sends (commands run by a script show as <c>[0 lua]</c>).
/// </summary>
public sealed class RedisMonitor : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly int _port;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task _reading;

    private RedisMonitor(TcpClient client, StreamReader reader, int port)
    {
        _client = client;
        _port = port;
        _reading = ReadAsync(reader);
    }

    public static async Task<RedisMonitor> StartAsync(RedisServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync("MONITOR\r\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.ASCII);
        var answer = await reader.ReadLineAsync();
        if (answer != "+OK")
        {
            client.Dispose();
            throw new InvalidOperationException($"MONITOR answered {answer}");
        }

        return new RedisMonitor(client, reader, server.Port);
    }

    /// <summary>
    /// How many times <paramref name="command"/> ran on <paramref name="key"/> so far: an <c>ECHO</c> sent now and seen
    /// in the feed proves that every command run before this call has been read.
    /// </summary>
    public async Task<int> CountAsync(string command, string key)
    {
        var marker = Guid.NewGuid().ToString("N");
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, _port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"ECHO {marker}\r\n"));
            await stream.ReadExactlyAsync(new byte[1]);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!_lines.Any(line => line.Contains(marker, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the MONITOR feed did not show the marker");
            await Task.Delay(10);
        }

        var quoted = $"\"{command}\" \"{key}\"";
        return _lines.Count(line => line.Contains(quoted, StringComparison.OrdinalIgnoreCase));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _reading;
    }

    private async Task ReadAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                _lines.Enqueue(line);
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The server stopped or the monitor was disposed.
        }
        finally
        {
            reader.Dispose();
        }
    }
}
