using System.Text;
using KnowledgeGraph.Api.Http.WebSockets;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Live;

/// <summary>Over real sockets (Kestrel): closes the protocol must make are made, whatever the client sends or fails to read.</summary>
public sealed class SocketRobustnessTests
{
    public static TheoryData<string, int> Closing => new()
    {
        // The reason would name the long multibyte type: more than 123 bytes.
        { "{\"type\":\"" + string.Concat(Enumerable.Repeat("é", 200)) + "\"}", 4400 },
        { """{"id":"1","type":"subscribe","payload":{"variables":{}}}""", 4400 },
        { """{"id":"1","type":"subscribe","payload":{"query":"{ __typename }","variables":[1]}}""", 4400 },
    };

    [Theory]
    [MemberData(nameof(Closing))]
    public async Task A_close_with_a_long_reason_is_sent_within_123_bytes(string message, int code)
    {
        await using var app = new KnowledgeGraphApp();
        var address = app.StartKestrel();
        await using var client = await GraphQLWsClient.ConnectAsync(address);
        await client.InitAsync();
        await client.SendRawAsync(message);

        var (closedWith, reason) = await client.ClosedAsync();

        Assert.Equal(code, closedWith);
        Assert.InRange(Encoding.UTF8.GetByteCount(reason ?? ""), 1, 123);
    }

    [Fact]
    public async Task A_duplicate_long_multibyte_id_is_closed_with_4409_and_a_reason_within_123_bytes()
    {
        await using var app = new KnowledgeGraphApp();
        var address = app.StartKestrel();
        await using var client = await GraphQLWsClient.ConnectAsync(address);
        await client.InitAsync();
        var id = string.Concat(Enumerable.Repeat("日本", 60));
        const string subscription = """subscription { entityChanged(keys: ["nothing-here"]) { key } }""";
        await client.SubscribeAsync(id, subscription);
        await client.SubscribeAsync(id, subscription);

        var (code, reason) = await client.ClosedAsync();

        Assert.Equal(4409, code);
        Assert.InRange(Encoding.UTF8.GetByteCount(reason ?? ""), 1, 123);
        Assert.StartsWith("Subscriber for 日本", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_cut_off_and_the_others_are_served()
    {
        await using var app = new KnowledgeGraphApp
        {
            Settings = [("Live:SendTimeout", "00:00:01"), ("Live:MaxPendingMessages", "100000")],
        };
        var address = app.StartKestrel();
        var handler = app.Services.GetRequiredService<GraphQLWebSocketHandler>();

        // About 240 KB per answer (30 copies of every source's text); 200 answers are far more than the socket buffers hold.
        var query = "{ " + string.Concat(Enumerable.Range(0, 30).Select(i => $"s{i}: sources {{ text }} ")) + "}";
        await using (var silent = await GraphQLWsClient.ConnectAsync(address, receive: false))
        {
            await silent.SendAsync(new { type = "connection_init" });
            for (var i = 0; i < 200; i++)
            {
                await silent.SendAsync(new { id = $"q{i}", type = "subscribe", payload = new { query } });
            }

            // Bounded wait (not a timing assertion): the server aborts the socket once a send passes Live:SendTimeout.
            for (var waited = 0; handler.OpenConnections > 0 && waited < 300; waited++)
            {
                await Task.Delay(100);
            }

            Assert.Equal(0, handler.OpenConnections);
        }

        await using var reader = await GraphQLWsClient.ConnectAsync(address);
        await reader.InitAsync();
        await reader.SubscribeAsync("1", "{ __typename }");
        Assert.Equal("Query", (await reader.NextDataAsync("1")).GetProperty("__typename").GetString());
    }
}
