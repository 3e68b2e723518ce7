using System.Text.Json;
using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.IntegrationTests.Live;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace KnowledgeGraph.IntegrationTests.Caching;

/// <summary>
/// Once a write is acknowledged, no instance serves a response cached before it for longer than
/// <c>Cache:RevisionRefresh</c> (one second here), whatever Redis does: killed, restarted with its append-only file
/// (the entries cached before the write come back), restarted empty, or cut off from the writer by a partition that
/// later heals; and an instance started afterwards is not stale either. Two or three instances share one SQLite file
/// and one redis-server of each test's own. The waits below are the documented bound itself, not a guess: a value
/// older than the bound is never used, whatever the timing.
/// </summary>
public sealed class StaleAfterFaultTests
{
    private const string Entity = """query Entity($key: String!) { entity(key: $key) { key description(lang: EN) } }""";
    private const string Key = "stale-briar";
    private const string Before = "Written before the fault.";
    private const string After = "Written during the fault.";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    private readonly string _prefix = $"kg-stale-{Guid.NewGuid():N}:";

    [Fact]
    public async Task After_a_redis_kill_and_a_restart_with_its_data_no_instance_serves_what_was_cached_before_the_write()
    {
        await using var redis = await RedisServer.StartAsync(appendOnly: true);
        using var data = new TemporaryDirectory("kg-stale-aof");
        var settings = Settings(redis.ServiceDefaultsConfiguration, data.Path);
        await using var writer = new KnowledgeGraphApp { Settings = settings };
        await using var reader = new KnowledgeGraphApp { Settings = settings };
        var partner = await CachedBeforeTheFaultAsync(writer, reader);
        await using (var admin = await AdminAsync(redis))
        {
            Assert.NotEmpty(ResponseKeys(admin));
        }

        await redis.StopAsync();
        await writer.UpsertEntityAsync(partner, LiveWrites.Entity(Key, description: After));
        await AssertFreshAsync(writer);
        await Task.Delay(Bound);
        await AssertFreshAsync(reader);

        await redis.StartAgainAsync();
        // The entries cached before the write are back in Redis, under the revision they were made at.
        await using (var admin = await AdminAsync(redis))
        {
            Assert.NotEmpty(ResponseKeys(admin));
        }

        await AssertFreshAsync(writer);
        await AssertFreshAsync(reader);
        await using var later = new KnowledgeGraphApp { Settings = settings };
        await AssertFreshAsync(later);
        await AssertFreshAsync(later);
    }

    [Fact]
    public async Task After_a_redis_kill_and_a_restart_without_data_no_instance_serves_what_was_cached_before_the_write()
    {
        await using var redis = await RedisServer.StartAsync();
        using var data = new TemporaryDirectory("kg-stale-empty");
        var settings = Settings(redis.ServiceDefaultsConfiguration, data.Path);
        await using var writer = new KnowledgeGraphApp { Settings = settings };
        await using var reader = new KnowledgeGraphApp { Settings = settings };
        var partner = await CachedBeforeTheFaultAsync(writer, reader);

        await redis.StopAsync();
        await writer.UpsertEntityAsync(partner, LiveWrites.Entity(Key, description: After));
        await AssertFreshAsync(writer);
        await redis.StartAgainAsync();
        await Task.Delay(Bound);

        await AssertFreshAsync(writer);
        await AssertFreshAsync(reader);
        await using var later = new KnowledgeGraphApp { Settings = settings };
        await AssertFreshAsync(later);
    }

    [Fact]
    public async Task A_write_made_while_the_writer_is_partitioned_from_redis_is_read_everywhere_within_the_bound_and_after_healing()
    {
        await using var redis = await RedisServer.StartAsync(appendOnly: true);
        await using var proxy = SwallowingProxy.To(redis.Port);
        using var data = new TemporaryDirectory("kg-stale-partition");
        var direct = Settings(redis.ServiceDefaultsConfiguration, data.Path);
        var throughProxy = Settings($"127.0.0.1:{proxy.Port},abortConnect=false", data.Path);
        await using var writer = new KnowledgeGraphApp { Settings = throughProxy };
        await using var reader = new KnowledgeGraphApp { Settings = direct };
        var partner = await CachedBeforeTheFaultAsync(writer, reader);

        proxy.Swallow();
        await writer.UpsertEntityAsync(partner, LiveWrites.Entity(Key, description: After));
        // The writer reads its own write at once; the reader never hears of it over Redis, yet reads it within the bound.
        await AssertFreshAsync(writer);
        await Task.Delay(Bound);
        await AssertFreshAsync(reader);
        await AssertFreshAsync(reader);

        proxy.Heal();
        await AssertFreshAsync(writer);
        await AssertFreshAsync(reader);
        await using var later = new KnowledgeGraphApp { Settings = direct };
        await AssertFreshAsync(later);
    }

    [Fact]
    public async Task With_redis_up_another_instance_hears_of_a_write_before_its_own_next_read_of_the_store()
    {
        await using var redis = await RedisServer.StartAsync();
        using var data = new TemporaryDirectory("kg-stale-announced");
        // Re-reads ten minutes apart: only the announcement can explain what the reader sees.
        (string, string)[] settings = [.. Settings(redis.Configuration, data.Path), ("Cache:RevisionRefresh", "00:10:00")];
        await using var writer = new KnowledgeGraphApp { Settings = settings };
        await using var reader = new KnowledgeGraphApp { Settings = settings };
        var partner = await CachedBeforeTheFaultAsync(writer, reader);

        await writer.UpsertEntityAsync(partner, LiveWrites.Entity(Key, description: After));
        await AssertFreshAsync(writer);
        await reader.WaitForRevisionAsync(await writer.RevisionAsync());

        await AssertFreshAsync(reader);
    }

    [Fact]
    public async Task A_write_made_by_another_process_without_redis_is_read_within_the_bound()
    {
        using var data = new TemporaryDirectory("kg-stale-noredis");
        (string, string)[] settings = [("Sqlite:DataDirectory", data.Path), ("Cache:RevisionRefresh", "00:00:01"), ("Limits:RateLimit:Enabled", "false")];
        await using var writer = new KnowledgeGraphApp { Settings = settings };
        await using var reader = new KnowledgeGraphApp { Settings = settings };
        var partner = await CachedBeforeTheFaultAsync(writer, reader);

        await writer.UpsertEntityAsync(partner, LiveWrites.Entity(Key, description: After));
        await Task.Delay(Bound);

        await AssertFreshAsync(reader);
    }

    // The entity written, then cached on both instances (the second one's read a HIT from memory).
    private static async Task<string> CachedBeforeTheFaultAsync(KnowledgeGraphApp writer, KnowledgeGraphApp reader)
    {
        var partner = await writer.PartnerAsync();
        await writer.UpsertEntityAsync(partner, LiveWrites.Entity(Key, description: Before));
        await reader.WaitForRevisionAsync(await writer.RevisionAsync());
        foreach (var app in new[] { writer, reader })
        {
            Assert.Equal(Before, Description(await app.PostAsync(Entity, new { key = Key })));
            var cached = await app.PostAsync(Entity, new { key = Key });
            Assert.Equal("HIT", cached.Header("X-Cache"));
            Assert.Equal(Before, Description(cached));
        }

        return partner;
    }

    private static async Task AssertFreshAsync(KnowledgeGraphApp app)
    {
        var response = await app.PostAsync(Entity, new { key = Key });
        Assert.True(After == Description(response), $"X-Cache {response.Header("X-Cache")}: {response.Body}");
    }

    private static string? Description(GraphQLResponse response) =>
        response.Data.GetProperty("entity") is { ValueKind: JsonValueKind.Object } entity ? entity.GetProperty("description").GetString() : null;

    private (string, string)[] Settings(string redis, string dataDirectory) =>
    [
        ("Redis:Configuration", redis),
        ("Redis:InstanceName", _prefix),
        ("Redis:RetryAfter", "00:00:00.500"),
        ("Sqlite:DataDirectory", dataDirectory),
        ("Cache:RevisionRefresh", "00:00:01"),
        // Tests read again and again; that is not what the rate limit is for.
        ("Limits:RateLimit:Enabled", "false"),
    ];

    private List<RedisKey> ResponseKeys(ConnectionMultiplexer admin) =>
        admin.GetServer(admin.GetEndPoints()[0]).Keys(pattern: _prefix + "resp:*").ToList();

    private static async Task<ConnectionMultiplexer> AdminAsync(RedisServer redis) =>
        await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
}
