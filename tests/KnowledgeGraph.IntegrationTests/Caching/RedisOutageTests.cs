using System.Diagnostics;
using System.Net;
using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KnowledgeGraph.IntegrationTests.Caching;

/// <summary>Redis stopped and started again under a running app (its own redis-server, so no other test notices).</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private const string Owner = """query Owner($key: String!) { entity(key: $key) { name ... on App { owner { name } } } }""";

    private RedisServer? _redis;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task Requests_succeed_from_the_store_while_redis_is_down_and_caching_resumes_when_it_returns()
    {
        var logs = new LogCollector();
        await using var app = new KnowledgeGraphApp
        {
            Settings = [("Redis:Configuration", _redis!.ServiceDefaultsConfiguration), ("Redis:InstanceName", "outage:"), ("Redis:RetryAfter", "00:00:00.500")],
            TestServices = services => services.AddSingleton<ILoggerProvider>(logs),
        };
        var expected = await app.PostAsync(Owner, new { key = "whatsapp" });
        Assert.Equal("HIT", (await app.PostAsync(Owner, new { key = "whatsapp" })).Header("X-Cache"));

        await _redis.StopAsync();
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var during = await app.PostAsync(Owner, new { key = "whatsapp" });
            slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, Stopwatch.GetElapsedTime(started).Ticks));

            Assert.Equal(HttpStatusCode.OK, during.Status);
            Assert.Equal(expected.Body, during.Body);
            // The in-process cache still serves: its key is the store's revision, which needs no Redis.
            Assert.Contains(during.Header("X-Cache"), new[] { "HIT", "MISS" });
        }

        // Bounded by the short Redis timeouts, not by StackExchange.Redis's default 5 s.
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"slowest request during the outage took {slowest}");
        await _redis.StartAgainAsync();
        // A second instance finds the entry in Redis again once the first one has stored it there anew.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await using var second = new KnowledgeGraphApp { Settings = app.Settings };
        string? cache = null;
        for (var i = 0; DateTime.UtcNow < deadline && cache != "HIT"; i++)
        {
            // A new entry each time (an unknown key answers null, and is cached): the first one tried may fall in the
            // moment before the first instance uses Redis again.
            await app.PostAsync(Owner, new { key = $"outage-{i}" });
            var after = await second.PostAsync(Owner, new { key = $"outage-{i}" });
            Assert.Equal(HttpStatusCode.OK, after.Status);
            cache = after.Header("X-Cache");
            if (cache != "HIT")
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal("HIT", cache);
        var messages = logs.Messages(nameof(RedisConnection));
        Assert.Single(messages, m => m.StartsWith("Redis is unavailable", StringComparison.Ordinal));
        Assert.Single(messages, m => m.StartsWith("Redis is available again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_app_starts_and_serves_when_redis_is_down_from_the_start()
    {
        await _redis!.StopAsync();
        await using var app = new KnowledgeGraphApp { Settings = [("Redis:Configuration", _redis.ServiceDefaultsConfiguration), ("Redis:InstanceName", "down:")] };

        var response = await app.PostAsync(Owner, new { key = "whatsapp" });
        var again = await app.PostAsync(Owner, new { key = "whatsapp" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("MISS", response.Header("X-Cache"));
        // From memory: the revision is the store's, and needs no Redis.
        Assert.Equal("HIT", again.Header("X-Cache"));
        Assert.Equal(response.Body, again.Body);
    }
}
