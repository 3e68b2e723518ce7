using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;

namespace KnowledgeGraph.IntegrationTests.Caching;

/// <summary>A write makes the next read a miss with fresh data, on every instance sharing the Redis.</summary>
[Collection(RedisGroup.Name)]
public sealed class WriteInvalidationTests(RedisFixture redis)
{
    private const string Tesla = """{ entity(key: "tesla") { description(lang: EN) citations { source { key } excerpt start end } } }""";

    [Fact]
    public async Task A_partner_write_on_one_instance_makes_the_next_read_on_another_a_miss_with_the_new_data()
    {
        // Two instances of the service, as in production: one store (here one SQLite file) and one Redis.
        var prefix = $"kg-test-{Guid.NewGuid():N}:";
        using var data = new KnowledgeGraph.Testing.TemporaryDirectory("kg-shared");
        (string, string)[] settings = [.. redis.SettingsFor(prefix), ("Sqlite:DataDirectory", data.Path)];
        await using var writer = new KnowledgeGraphApp { Settings = settings };
        await using var reader = new KnowledgeGraphApp { Settings = settings };
        await GraphRevisionWaits.WaitForSameRevisionAsync(writer, reader);

        var before = await reader.PostAsync(Tesla);
        Assert.Equal("HIT", (await reader.PostAsync(Tesla)).Header("X-Cache"));
        var citation = before.Data.GetProperty("entity").GetProperty("citations")[0];
        var key = await writer.IssueKeyAsync(ApiRole.Partner);
        var write = await writer.PostWithKeyAsync(key, """
            mutation($input: EntityInput!) { upsertEntity(input: $input) { changed } }
            """, new
        {
            input = new
            {
                key = "tesla",
                kind = "COMPANY",
                name = new { en = "Tesla", fr = "Tesla" },
                description = new { en = "Elon Musk is its CEO (edited).", fr = "Elon Musk en est le PDG (modifié)." },
                citations = new[]
                {
                    new
                    {
                        source = citation.GetProperty("source").GetProperty("key").GetString(),
                        excerpt = citation.GetProperty("excerpt").GetString(),
                        start = citation.GetProperty("start").GetInt32(),
                        end = citation.GetProperty("end").GetInt32(),
                    },
                },
            },
        });
        // The reader hears of the write when the revision's announcement arrives over pub/sub.
        await reader.WaitForRevisionAsync(await writer.RevisionAsync());
        var after = await reader.PostAsync(Tesla);

        Assert.True(write.Data.GetProperty("upsertEntity").GetProperty("changed").GetBoolean(), write.ToString());
        Assert.Equal("MISS", after.Header("X-Cache"));
        Assert.Equal("Elon Musk is its CEO (edited).", after.Data.GetProperty("entity").GetProperty("description").GetString());
        Assert.NotEqual(before.Data.GetProperty("entity").GetProperty("description").GetString(), after.Data.GetProperty("entity").GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_key_holders_answers_are_cached_apart_from_anonymous_ones()
    {
        await using var app = new KnowledgeGraphApp { Settings = redis.SettingsFor($"kg-test-{Guid.NewGuid():N}:") };
        var admin = await app.IssueKeyAsync(ApiRole.Admin);

        var anonymous = await app.PostAsync(Tesla);
        var asAdmin = await app.PostWithKeyAsync(admin, Tesla);
        var adminAgain = await app.PostWithKeyAsync(admin, Tesla);

        Assert.Equal("MISS", anonymous.Header("X-Cache"));
        Assert.Equal("MISS", asAdmin.Header("X-Cache"));
        Assert.Equal("HIT", adminAgain.Header("X-Cache"));
        Assert.Equal(JsonValueKind.Object, asAdmin.Data.ValueKind);
    }
}
