using System.Text.Json;
using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.IntegrationTests.Live;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace KnowledgeGraph.IntegrationTests.Caching;

/// <summary>
/// The graph revision kept in memory and announced over Redis pub/sub. Each test has its own redis-server, so that
/// counting its commands, restarting it or flushing it concerns nobody else. The re-read safety net is set to ten
/// minutes, so that only an announcement or a reconnection can explain what each test sees.
/// </summary>
public sealed class RevisionAnnouncementTests : IAsyncLifetime
{
    private const string Entity = """query Entity($key: String!) { entity(key: $key) { key name description(lang: EN) } }""";

    // Another document, so that the writer's reads do not fill the shared entries the other instance will look for.
    private const string WriterEntity = """query WriterEntity($key: String!) { entity(key: $key) { key description(lang: EN) } }""";

    private readonly string _prefix = $"kg-rev-{Guid.NewGuid():N}:";
    private RedisServer? _redis;

    private RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server has not started.");

    private string RevisionKey => _prefix + "graph-revision";

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_write_is_read_at_once_by_its_writer_and_by_another_instance_once_announced_with_no_revision_read()
    {
        using var data = new KnowledgeGraph.Testing.TemporaryDirectory("kg-rev-shared");
        var settings = Settings(("Sqlite:DataDirectory", data.Path));
        await using var a = new KnowledgeGraphApp { Settings = settings };
        await using var b = new KnowledgeGraphApp { Settings = settings };
        await a.WaitUntilServedLocallyAsync();
        await b.WaitUntilServedLocallyAsync();
        await GraphRevisionWaits.WaitForSameRevisionAsync(a, b);
        var partner = await a.PartnerAsync();
        await a.PostAsync(WriterEntity, new { key = "rev-briar" });
        Assert.Equal("HIT", (await a.PostAsync(WriterEntity, new { key = "rev-briar" })).Header("X-Cache"));
        Assert.Equal("MISS", (await b.PostAsync(Entity, new { key = "rev-briar" })).Header("X-Cache"));
        var cached = await b.PostAsync(Entity, new { key = "rev-briar" });
        Assert.Equal("HIT", cached.Header("X-Cache"));
        Assert.Equal(JsonValueKind.Null, cached.Data.GetProperty("entity").ValueKind);
        await using var monitor = await RedisMonitor.StartAsync(Redis);
        var readsBefore = await monitor.CountAsync("GET", RevisionKey);

        await a.UpsertEntityAsync(partner, LiveWrites.Entity("rev-briar", description: "Announced over pub/sub."));
        var written = await a.RevisionAsync();
        var onWriter = await a.PostAsync(WriterEntity, new { key = "rev-briar" });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        GraphQLResponse read;
        while ((read = await b.PostAsync(Entity, new { key = "rev-briar" })).Header("X-Cache") == "HIT")
        {
            // Until the announcement arrives, B answers from its cache what it answered before the write.
            Assert.Equal(cached.Body, read.Body);
            Assert.True(DateTime.UtcNow < deadline, "instance B never heard of the write");
            await Task.Delay(10);
        }

        // The writer's very next read, without waiting for anything.
        Assert.Equal("MISS", onWriter.Header("X-Cache"));
        Assert.Equal("Announced over pub/sub.", onWriter.Data.GetProperty("entity").GetProperty("description").GetString());
        Assert.Equal("MISS", read.Header("X-Cache"));
        Assert.Equal("Announced over pub/sub.", read.Data.GetProperty("entity").GetProperty("description").GetString());
        Assert.Equal(written, await b.RevisionAsync());
        Assert.True(b.Services.GetRequiredService<RedisGraphRevision>().IsServedLocally);
        // Neither instance read the revision from Redis: the writer set its own, the reader heard it announced.
        Assert.Equal(readsBefore, await monitor.CountAsync("GET", RevisionKey));
    }

    [Fact]
    public async Task Cached_reads_in_the_steady_state_make_no_redis_read_of_the_revision()
    {
        await using var monitor = await RedisMonitor.StartAsync(Redis);
        await using var app = new KnowledgeGraphApp { Settings = Settings() };
        await app.WaitUntilServedLocallyAsync();
        Assert.Equal("MISS", (await app.PostAsync(Entity, new { key = "whatsapp" })).Header("X-Cache"));
        var readsBefore = await monitor.CountAsync("GET", RevisionKey);

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("HIT", (await app.PostAsync(Entity, new { key = "whatsapp" })).Header("X-Cache"));
        }

        // The monitor does see this instance's reads: it read the revision once before trusting its own copy.
        Assert.True(readsBefore >= 1, $"{readsBefore} reads of the revision seen before the steady state");
        Assert.Equal(readsBefore, await monitor.CountAsync("GET", RevisionKey));
        Assert.True(app.Services.GetRequiredService<RedisGraphRevision>().IsServedLocally);
    }

    [Fact]
    public async Task After_a_redis_restart_an_instance_reads_the_revision_again_before_serving_it_from_memory()
    {
        await using var app = new KnowledgeGraphApp { Settings = Settings(("Redis:RetryAfter", "00:00:00.500")) };
        await app.WaitUntilServedLocallyAsync();
        var before = await app.RevisionAsync();

        await Redis.StopAsync();
        await app.WaitUntilServedLocallyAsync(locally: false);
        await Redis.StartAgainAsync();
        await app.WaitUntilServedLocallyAsync();

        // The restarted server started empty: only this instance's fresh read can have created the key, from the clock.
        await using var admin = await AdminAsync();
        var stored = await admin.GetDatabase().StringGetAsync(RevisionKey);
        Assert.False(stored.IsNull, "the instance trusts its revision without having read Redis again");
        Assert.Equal((long)stored, await app.RevisionAsync());
        Assert.True((long)stored > before, $"the revision went from {before} back to {stored}");
    }

    [Fact]
    public async Task A_bump_missed_while_connected_is_picked_up_when_the_subscription_reconnects()
    {
        await using var app = new KnowledgeGraphApp { Settings = Settings(("Redis:RetryAfter", "00:00:00.500")) };
        await app.WaitUntilServedLocallyAsync();
        var before = await app.RevisionAsync();
        await using var admin = await AdminAsync();

        // Moved without an announcement, as if the message had been lost.
        await admin.GetDatabase().StringSetAsync(RevisionKey, before + 1000);
        Assert.Equal(before, await app.RevisionAsync());
        await admin.GetServer(admin.GetEndPoints()[0]).ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");

        await app.WaitForRevisionAsync(before + 1000);
        await app.WaitUntilServedLocallyAsync();
        Assert.Equal(before + 1000, await app.RevisionAsync());
    }

    [Fact]
    public async Task A_flushed_redis_restarts_the_revision_from_the_clock_and_every_instance_follows()
    {
        using var data = new KnowledgeGraph.Testing.TemporaryDirectory("kg-rev-flush");
        var settings = Settings(("Sqlite:DataDirectory", data.Path));
        await using var a = new KnowledgeGraphApp { Settings = settings };
        await using var b = new KnowledgeGraphApp { Settings = settings };
        await a.WaitUntilServedLocallyAsync();
        await b.WaitUntilServedLocallyAsync();
        await GraphRevisionWaits.WaitForSameRevisionAsync(a, b);
        var before = await b.RevisionAsync();
        await using var admin = await AdminAsync();
        var flushedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await admin.GetServer(admin.GetEndPoints()[0]).FlushAllDatabasesAsync();

        var after = await a.Services.GetRequiredService<IGraphRevision>().BumpAsync(CancellationToken.None);
        await b.WaitForRevisionAsync(after);

        Assert.True(after > flushedAt, $"the revision restarted at {after}, before the flush at {flushedAt} ms");
        Assert.True(after > before, $"the revision went from {before} back to {after}");
        Assert.Equal(after, await b.RevisionAsync());
        Assert.Equal(after, (long)await admin.GetDatabase().StringGetAsync(RevisionKey));
    }

    private (string, string)[] Settings(params (string, string)[] more) =>
    [
        ("Redis:Configuration", Redis.Configuration),
        ("Redis:InstanceName", _prefix),
        ("Cache:RevisionRefresh", "00:10:00"),
        // Tests poll one instance until it hears of a write; that is not what the rate limit is for.
        ("Limits:RateLimit:Enabled", "false"),
        .. more,
    ];

    private async Task<ConnectionMultiplexer> AdminAsync() =>
        await ConnectionMultiplexer.ConnectAsync(Redis.Configuration + ",allowAdmin=true");
}
