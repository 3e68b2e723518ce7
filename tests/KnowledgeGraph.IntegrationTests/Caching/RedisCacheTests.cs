using KnowledgeGraph.IntegrationTests.Live;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Caching;

/// <summary>The response cache with a real redis-server as its second level and its revision announcements.</summary>
[Collection(RedisGroup.Name)]
public sealed class RedisCacheTests(RedisFixture redis)
{
    private const string Owner = """query Owner($key: String!) { entity(key: $key) { name ... on App { owner { name } } } }""";

    [Fact]
    public async Task A_repeated_query_is_a_miss_then_a_hit_and_a_second_instance_hits_from_redis()
    {
        var prefix = Prefix();
        await using var first = new KnowledgeGraphApp { Settings = redis.SettingsFor(prefix) };
        await using var second = new KnowledgeGraphApp { Settings = redis.SettingsFor(prefix) };
        await GraphRevisionWaits.WaitForSameRevisionAsync(first, second);

        var miss = await first.PostAsync(Owner, new { key = "whatsapp" });
        var hit = await first.PostAsync(Owner, new { key = "whatsapp" });
        var fromRedis = await second.PostAsync(Owner, new { key = "whatsapp" });

        Assert.Equal("MISS", miss.Header("X-Cache"));
        Assert.Equal("HIT", hit.Header("X-Cache"));
        Assert.Equal("HIT", fromRedis.Header("X-Cache"));
        Assert.Equal(miss.Body, fromRedis.Body);
    }

    [Fact]
    public async Task A_write_on_one_instance_invalidates_the_entries_of_every_instance()
    {
        var prefix = Prefix();
        using var data = new KnowledgeGraph.Testing.TemporaryDirectory("kg-redis-shared");
        (string, string)[] settings = [.. redis.SettingsFor(prefix), ("Sqlite:DataDirectory", data.Path)];
        await using var first = new KnowledgeGraphApp { Settings = settings };
        await using var second = new KnowledgeGraphApp { Settings = settings };
        await GraphRevisionWaits.WaitForSameRevisionAsync(first, second);
        await first.PostAsync(Owner, new { key = "signal" });
        Assert.Equal("HIT", (await second.PostAsync(Owner, new { key = "signal" })).Header("X-Cache"));

        var before = await second.RevisionAsync();
        await first.UpsertEntityAsync(await first.PartnerAsync(), LiveWrites.Entity("redis-briar"));
        var after = await first.RevisionAsync();

        Assert.Equal(before + 1, after);
        await second.WaitForRevisionAsync(after);
        Assert.Equal("MISS", (await second.PostAsync(Owner, new { key = "signal" })).Header("X-Cache"));
        Assert.Equal("HIT", (await first.PostAsync(Owner, new { key = "signal" })).Header("X-Cache"));
    }

    [Fact]
    public async Task Errors_are_not_cached_in_redis_either()
    {
        await using var app = new KnowledgeGraphApp { Settings = redis.SettingsFor(Prefix()) };
        const string Bad = "{ path(from: \"no-such-entity\", to: \"whatsapp\") { length } }";

        Assert.Equal("BYPASS", (await app.PostAsync(Bad)).Header("X-Cache"));
        Assert.Equal("BYPASS", (await app.PostAsync(Bad)).Header("X-Cache"));
    }

    private static string Prefix() => $"t{Guid.NewGuid():N}:";
}
