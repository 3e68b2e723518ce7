using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;

namespace KnowledgeGraph.IntegrationTests.Live;

/// <summary>
/// Subscribers hear partners' writes over a real WebSocket (graphql-transport-ws). The app is shared; each test
/// writes keys of its own and subscribes only to them.
/// </summary>
public sealed class SubscriptionTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Fact]
    public async Task A_subscriber_hears_a_partner_create_then_update_an_entity_with_the_entity_as_it_now_stands()
    {
        var partner = await app.PartnerAsync();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(app);
        await client.SubscribeAsync("1", LiveWrites.EntityChanged, new { keys = new[] { "live-threema" } });
        await app.WaitForSubscribersAsync(1);

        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-threema"));
        var created = (await client.NextDataAsync("1")).GetProperty("entityChanged");
        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-threema", description: "A Swiss rival of WhatsApp."));
        var updated = (await client.NextDataAsync("1")).GetProperty("entityChanged");

        Assert.Equal("CREATED", created.GetProperty("outcome").GetString());
        Assert.Equal("live-threema", created.GetProperty("key").GetString());
        Assert.Equal("APP", created.GetProperty("kind").GetString());
        Assert.Equal("live-threema", created.GetProperty("entity").GetProperty("name").GetString());
        Assert.Equal("UPDATED", updated.GetProperty("outcome").GetString());
        Assert.True(long.Parse(updated.GetProperty("revision").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(created.GetProperty("revision").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Filters_by_key_and_by_kind_let_through_only_the_entities_asked_for()
    {
        var partner = await app.PartnerAsync();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(app);
        await client.SubscribeAsync("by-key", LiveWrites.EntityChanged, new { keys = new[] { "live-wire" } });
        await client.SubscribeAsync("by-kind", LiveWrites.EntityChanged, new { keys = new[] { "live-wire", "live-viber", "live-rakuten" }, kinds = new[] { "COMPANY" } });
        await app.WaitForSubscribersAsync(2);

        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-viber"));
        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-wire"));
        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-rakuten", kind: "COMPANY"));
        var first = await client.ReceiveAsync();
        var second = await client.ReceiveAsync();
        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-wire", description: "Wire, a rival of WhatsApp."));
        var third = await client.ReceiveAsync();

        // live-viber matches neither; live-wire only the key filter (it is an app); live-rakuten only the kind filter.
        var heard = new[] { first, second }
            .Select(m => (m.GetProperty("id").GetString(), m.GetProperty("payload").GetProperty("data").GetProperty("entityChanged").GetProperty("key").GetString()))
            .OrderBy(h => h.Item1, StringComparer.Ordinal)
            .ToList();
        Assert.Equal([("by-key", "live-wire"), ("by-kind", "live-rakuten")], heard);
        Assert.Equal("by-key", third.GetProperty("id").GetString());
        Assert.Equal("UPDATED", third.GetProperty("payload").GetProperty("data").GetProperty("entityChanged").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_retracted_entity_arrives_as_RETRACTED_with_a_null_record_and_its_relationships_with_it()
    {
        var partner = await app.PartnerAsync();
        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-session"));
        await app.UpsertRelationshipAsync(partner, LiveWrites.Competes("live-session", "whatsapp"));
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(app);
        await client.SubscribeAsync("entity", LiveWrites.EntityChanged, new { kinds = new[] { "APP" }, keys = new[] { "live-session" } });
        await client.SubscribeAsync("relationships", LiveWrites.RelationshipChanged, new { entityKeys = new[] { "live-session" }, types = new[] { "COMPETES_WITH" } });
        await app.WaitForSubscribersAsync(2);

        await app.RetractAsync(partner, "ENTITY", "live-session");
        var messages = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() }.ToDictionary(m => m.GetProperty("id").GetString()!);
        var entity = messages["entity"].GetProperty("payload").GetProperty("data").GetProperty("entityChanged");
        var relationship = messages["relationships"].GetProperty("payload").GetProperty("data").GetProperty("relationshipChanged");

        Assert.Equal("RETRACTED", entity.GetProperty("outcome").GetString());
        Assert.Equal("APP", entity.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, entity.GetProperty("entity").ValueKind);
        Assert.Equal("RETRACTED", relationship.GetProperty("outcome").GetString());
        Assert.Equal("live-session-competes-with-whatsapp", relationship.GetProperty("key").GetString());
        Assert.Equal(("COMPETES_WITH", "live-session", "whatsapp"), (relationship.GetProperty("type").GetString(), relationship.GetProperty("fromKey").GetString(), relationship.GetProperty("toKey").GetString()));
        Assert.Equal(JsonValueKind.Null, relationship.GetProperty("relationship").ValueKind);
    }

    [Fact]
    public async Task A_relationship_subscriber_hears_a_new_relationship_with_its_ends_resolved_and_not_others()
    {
        var partner = await app.PartnerAsync();
        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-line"));
        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-kakao"));
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(app);
        await client.SubscribeAsync("r", LiveWrites.RelationshipChanged, new { entityKeys = new[] { "live-line" } });
        await app.WaitForSubscribersAsync(1);

        await app.UpsertRelationshipAsync(partner, LiveWrites.Competes("live-kakao", "whatsapp"));
        await app.UpsertRelationshipAsync(partner, LiveWrites.Competes("live-line", "whatsapp"));
        var change = (await client.NextDataAsync("r")).GetProperty("relationshipChanged");

        Assert.Equal("CREATED", change.GetProperty("outcome").GetString());
        Assert.Equal("live-line-competes-with-whatsapp", change.GetProperty("key").GetString());
        Assert.Equal("live-line", change.GetProperty("relationship").GetProperty("from").GetProperty("key").GetString());
        Assert.Equal("whatsapp", change.GetProperty("relationship").GetProperty("to").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Queries_and_mutations_over_the_socket_run_once_and_complete_and_subscribers_hear_the_mutation()
    {
        var partner = await app.PartnerAsync();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(app, new { Authorization = $"Bearer {partner}" });
        await client.SubscribeAsync("query", """{ entity(key: "whatsapp") { name ... on App { owner { key } } } }""");
        var query = await client.NextDataAsync("query");
        var queryDone = await client.ReceiveAsync();
        await client.SubscribeAsync("sub", LiveWrites.EntityChanged, new { keys = new[] { "live-olvid" } });
        await app.WaitForSubscribersAsync(1);
        await client.SubscribeAsync("mutation", LiveWrites.UpsertEntity, new { input = LiveWrites.Entity("live-olvid") });
        var messages = new[] { await client.ReceiveAsync(), await client.ReceiveAsync(), await client.ReceiveAsync() };

        Assert.Equal("WhatsApp", query.GetProperty("entity").GetProperty("name").GetString());
        Assert.Equal(("complete", "query"), (queryDone.GetProperty("type").GetString(), queryDone.GetProperty("id").GetString()));
        var mutation = messages.Where(m => m.GetProperty("id").GetString() == "mutation").Select(m => m.GetProperty("type").GetString()).ToList();
        Assert.Equal(["next", "complete"], mutation);
        var mutationResult = messages.First(m => m.GetProperty("id").GetString() == "mutation").GetProperty("payload").GetProperty("data");
        Assert.True(mutationResult.GetProperty("upsertEntity").GetProperty("changed").GetBoolean());
        var heard = Assert.Single(messages, m => m.GetProperty("id").GetString() == "sub");
        Assert.Equal("live-olvid", heard.GetProperty("payload").GetProperty("data").GetProperty("entityChanged").GetProperty("key").GetString());
    }

    [Fact]
    public async Task The_actor_is_for_admin_keys_only()
    {
        const string WithActor = """subscription { entityChanged(keys: ["live-actor"]) { key actor } }""";
        var partner = await app.PartnerAsync();
        var admin = await app.IssueKeyAsync(ApiRole.Admin);
        await using var anonymous = await GraphQLWsClient.ConnectAndInitAsync(app);
        await using var asAdmin = await GraphQLWsClient.ConnectAndInitAsync(app, new { apiKey = admin });

        await anonymous.SubscribeAsync("a", WithActor);
        var refused = await anonymous.ReceiveAsync();
        await asAdmin.SubscribeAsync("a", WithActor);
        await app.WaitForSubscribersAsync(1);
        await app.UpsertEntityAsync(partner, LiveWrites.Entity("live-actor"));
        var heard = (await asAdmin.NextDataAsync("a")).GetProperty("entityChanged");

        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("UNAUTHENTICATED", refused.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.StartsWith("key_", heard.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }
}
