using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Live;

/// <summary>An app with a short connection_init timeout, room for two operations per connection and a short execution timeout.</summary>
public sealed class ProtocolApp : IAsyncLifetime
{
    public KnowledgeGraphApp App { get; } = new()
    {
        Settings = [("Live:ConnectionInitTimeout", "00:00:00.300"), ("Live:MaxOperationsPerConnection", "2"), ("Limits:ExecutionTimeout", "00:00:00.500")],
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The graphql-transport-ws protocol's rules, each broken once, with the close code the protocol gives it.</summary>
public sealed class WebSocketProtocolTests(ProtocolApp fixture) : IClassFixture<ProtocolApp>
{
    private const string Subscription = """subscription { entityChanged(keys: ["nothing-here"]) { key } }""";

    private KnowledgeGraphApp App => fixture.App;

    [Fact]
    public async Task The_server_accepts_graphql_transport_ws_and_answers_a_ping_with_a_pong()
    {
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App);
        await client.SendAsync(new { type = "ping" });

        Assert.Equal("graphql-transport-ws", client.AcceptedSubProtocol);
        Assert.Equal("pong", (await client.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_client_that_never_sends_connection_init_is_closed_with_4408()
    {
        await using var client = await GraphQLWsClient.ConnectAsync(App);

        Assert.Equal(4408, (await client.ClosedAsync()).Code);
    }

    [Fact]
    public async Task A_subscribe_before_the_ack_is_closed_with_4401()
    {
        await using var client = await GraphQLWsClient.ConnectAsync(App);
        await client.SubscribeAsync("1", Subscription);

        Assert.Equal(4401, (await client.ClosedAsync()).Code);
    }

    [Fact]
    public async Task A_second_connection_init_is_closed_with_4429()
    {
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App);
        await client.SendAsync(new { type = "connection_init" });

        Assert.Equal(4429, (await client.ClosedAsync()).Code);
    }

    [Fact]
    public async Task A_second_subscribe_with_a_running_id_is_closed_with_4409()
    {
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App);
        await client.SubscribeAsync("same", Subscription);
        await client.SubscribeAsync("same", Subscription);

        var (code, reason) = await client.ClosedAsync();
        Assert.Equal(4409, code);
        Assert.Equal("Subscriber for same already exists", reason);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""["connection_init"]""")]
    [InlineData("""{ "type": "subscribe-me" }""")]
    [InlineData("""{ "type": "next", "id": "1", "payload": {} }""")]
    [InlineData("""{ "type": "subscribe", "id": "1", "payload": { "variables": {} } }""")]
    [InlineData("""{ "type": "subscribe", "id": "", "payload": { "query": "{ __typename }" } }""")]
    [InlineData("""{ "type": "subscribe", "id": "1", "payload": { "query": "{ __typename }", "variables": [1] } }""")]
    public async Task An_invalid_message_is_closed_with_4400(string message)
    {
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App);
        await client.SendRawAsync(message);

        Assert.Equal(4400, (await client.ClosedAsync()).Code);
    }

    [Fact]
    public async Task A_client_that_does_not_speak_graphql_transport_ws_is_closed_with_4406()
    {
        await using var client = await GraphQLWsClient.ConnectAsync(App, subProtocol: "graphql-ws");

        Assert.Equal(4406, (await client.ClosedAsync()).Code);
    }

    [Fact]
    public async Task An_operation_that_does_not_validate_gets_an_error_message_and_the_connection_stays_open()
    {
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App);
        await client.SubscribeAsync("bad", "subscription { entityChanged { nope } }");
        var error = await client.ReceiveAsync();
        await client.SubscribeAsync("bad", "{ __typename }");
        var reused = await client.NextDataAsync("bad");

        Assert.Equal(("error", "bad"), (error.GetProperty("type").GetString(), error.GetProperty("id").GetString()));
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", error.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("Query", reused.GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task Operations_over_the_cap_are_refused_with_an_error_until_one_completes()
    {
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App);
        await client.SubscribeAsync("1", Subscription);
        await client.SubscribeAsync("2", Subscription);
        await client.SubscribeAsync("3", Subscription);
        var refused = await client.ReceiveAsync();
        await client.SendAsync(new { type = "complete", id = "1" });
        await client.SubscribeAsync("3", "{ __typename }");
        var accepted = await client.NextDataAsync("3");

        Assert.Equal(("error", "3"), (refused.GetProperty("type").GetString(), refused.GetProperty("id").GetString()));
        Assert.Equal("TOO_MANY_OPERATIONS", refused.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("Query", accepted.GetProperty("__typename").GetString());
    }

    [Fact]
    public async Task A_completed_subscription_stops_listening_and_an_unknown_id_is_ignored()
    {
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App);
        await client.SubscribeAsync("1", Subscription);
        await App.WaitForSubscribersAsync(1);
        await client.SendAsync(new { type = "complete", id = "1" });
        await client.SendAsync(new { type = "complete", id = "never-was" });
        await App.WaitForSubscribersAsync(0);
        await client.SendAsync(new { type = "ping" });

        Assert.Equal("pong", (await client.ReceiveAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_subscription_outlives_the_execution_timeout_which_bounds_only_its_start()
    {
        var partner = await App.PartnerAsync();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App);
        await client.SubscribeAsync("1", LiveWrites.EntityChanged, new { keys = new[] { "live-patient" } });
        await App.WaitForSubscribersAsync(1);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await App.UpsertEntityAsync(partner, LiveWrites.Entity("live-patient"));

        Assert.Equal("live-patient", (await client.NextDataAsync("1")).GetProperty("entityChanged").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Stopping_the_server_closes_open_connections_with_1001()
    {
        var app = new KnowledgeGraphApp();
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(app);
        await client.SubscribeAsync("1", Subscription);
        await app.WaitForSubscribersAsync(1);

        var stopping = app.DisposeAsync().AsTask();
        var (code, _) = await client.ClosedAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1001, code);
    }
}
