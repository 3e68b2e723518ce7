using KnowledgeGraph.Api.Live;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KnowledgeGraph.IntegrationTests.Live;

/// <summary>
/// Several instances, as in production: one store (one SQLite file here) and one real redis-server, each test on a
/// pub/sub channel of its own.
/// </summary>
[Collection(RedisGroup.Name)]
public sealed class RedisLiveUpdatesTests(RedisFixture redis)
{
    [Fact]
    public async Task A_write_on_one_instance_reaches_a_subscriber_on_another()
    {
        using var data = new KnowledgeGraph.Testing.TemporaryDirectory("kg-live");
        var settings = SharedSettings(redis.Server, data.Path);
        await using var a = new KnowledgeGraphApp { Settings = settings };
        await using var b = new KnowledgeGraphApp { Settings = settings };
        await WaitUntilSubscribedAsync(a);
        await WaitUntilSubscribedAsync(b);
        var partner = await a.PartnerAsync();
        await using var onB = await GraphQLWsClient.ConnectAndInitAsync(b);
        await onB.SubscribeAsync("1", LiveWrites.EntityChanged, new { keys = new[] { "live-briar" } });
        await b.WaitForSubscribersAsync(1);

        await a.UpsertEntityAsync(partner, LiveWrites.Entity("live-briar"));
        var heard = (await onB.NextDataAsync("1")).GetProperty("entityChanged");

        Assert.Equal("CREATED", heard.GetProperty("outcome").GetString());
        Assert.Equal("APP", heard.GetProperty("kind").GetString());
        // Read on instance B, from the store both share.
        Assert.Equal("live-briar", heard.GetProperty("entity").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Writes_succeed_while_redis_is_down_local_subscribers_still_hear_them_and_other_instances_hear_again_once_it_returns()
    {
        await using var server = await RedisServer.StartAsync();
        using var data = new KnowledgeGraph.Testing.TemporaryDirectory("kg-live-outage");
        var settings = SharedSettings(server, data.Path);
        var logs = new LogCollector();
        await using var a = new KnowledgeGraphApp { Settings = settings, TestServices = s => s.AddSingleton<ILoggerProvider>(logs) };
        await using var b = new KnowledgeGraphApp { Settings = settings };
        await WaitUntilSubscribedAsync(a);
        await WaitUntilSubscribedAsync(b);
        var partner = await a.PartnerAsync();
        await using var onA = await GraphQLWsClient.ConnectAndInitAsync(a);
        await using var onB = await GraphQLWsClient.ConnectAndInitAsync(b);
        await onA.SubscribeAsync("1", LiveWrites.EntityChanged, new { keys = new[] { "live-jami" } });
        await onB.SubscribeAsync("1", LiveWrites.EntityChanged, new { keys = new[] { "live-jami" } });
        await a.WaitForSubscribersAsync(1);
        await b.WaitForSubscribersAsync(1);

        await server.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            await a.UpsertEntityAsync(partner, LiveWrites.Entity("live-jami", description: $"A rival of WhatsApp ({i})."));
            await onA.NextDataAsync("1");
        }

        await server.StartAgainAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? heardOnB = null;
        for (var i = 3; heardOnB is null && DateTime.UtcNow < deadline; i++)
        {
            await a.UpsertEntityAsync(partner, LiveWrites.Entity("live-jami", description: $"A rival of WhatsApp ({i})."));
            await onA.NextDataAsync("1");
            try
            {
                var message = await onB.ReceiveAsync(TimeSpan.FromMilliseconds(500));
                heardOnB = message.GetProperty("payload").GetProperty("data").GetProperty("entityChanged").GetProperty("outcome").GetString();
            }
            catch (OperationCanceledException)
            {
                // Not yet reconnected.
            }
        }

        Assert.Equal("UPDATED", heardOnB);
        // Instance A logs the recovery when its publish is acknowledged, which may come after B has delivered it.
        var warnings = await logs.WaitForMessageAsync(
            nameof(RedisGraphEventBus), m => m.Contains("Redis answers again", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Single(warnings, m => m.Contains("Redis is unavailable", StringComparison.Ordinal));
        Assert.Single(warnings, m => m.Contains("Redis answers again", StringComparison.Ordinal));
    }

    private static (string, string)[] SharedSettings(RedisServer server, string dataDirectory) =>
    [
        ("Redis:Configuration", server.Configuration),
        ("Redis:InstanceName", $"kg-live-{Guid.NewGuid():N}:"),
        ("Live:RedisChannel", $"kg-live-{Guid.NewGuid():N}"),
        ("Sqlite:DataDirectory", dataDirectory),
    ];

    private static async Task WaitUntilSubscribedAsync(KnowledgeGraphApp app)
    {
        var bus = app.Services.GetRequiredService<RedisGraphEventBus>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!bus.IsSubscribed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the instance did not subscribe to the Redis channel");
            await Task.Delay(20);
        }
    }
}
