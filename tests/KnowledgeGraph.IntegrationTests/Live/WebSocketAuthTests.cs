using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;

namespace KnowledgeGraph.IntegrationTests.Live;

/// <summary>An app without anonymous reads: the key comes in connection_init (or the handshake's headers).</summary>
public sealed class KeyedApp : IAsyncLifetime
{
    public KnowledgeGraphApp App { get; } = new() { Settings = [("Auth:AllowAnonymousReads", "false")] };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class WebSocketAuthTests(KeyedApp fixture) : IClassFixture<KeyedApp>
{
    private KnowledgeGraphApp App => fixture.App;

    [Fact]
    public async Task Without_a_key_the_connection_is_refused_with_4403()
    {
        await using var client = await GraphQLWsClient.ConnectAsync(App);
        await client.SendAsync(new { type = "connection_init" });

        Assert.Equal(4403, (await client.ClosedAsync()).Code);
    }

    [Fact]
    public async Task A_key_that_is_not_valid_is_refused_with_4403_and_not_echoed()
    {
        await using var client = await GraphQLWsClient.ConnectAsync(App);
        await client.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer kg_not-a-real-key" } });

        var (code, reason) = await client.ClosedAsync();
        Assert.Equal(4403, code);
        Assert.DoesNotContain("kg_not-a-real-key", reason ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("apiKey")]
    [InlineData("headers")]
    public async Task A_valid_key_in_connection_init_is_acknowledged_and_can_read(string form)
    {
        var key = await App.IssueKeyAsync(ApiRole.Reader);
        object payload = form switch
        {
            "Authorization" => new { Authorization = $"Bearer {key}" },
            "apiKey" => new { apiKey = key },
            _ => new { headers = new Dictionary<string, string> { ["X-Api-Key"] = key } },
        };
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App, payload);
        await client.SubscribeAsync("q", """{ entity(key: "signal") { key } }""");

        Assert.Equal("signal", (await client.NextDataAsync("q")).GetProperty("entity").GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_key_in_the_handshake_headers_is_enough()
    {
        var key = await App.IssueKeyAsync(ApiRole.Reader);
        await using var client = await GraphQLWsClient.ConnectAsync(App, configureRequest: r => r.Headers.Authorization = $"Bearer {key}");

        await client.InitAsync();
    }

    [Fact]
    public async Task A_reader_key_may_not_run_a_mutation_over_the_socket()
    {
        var key = await App.IssueKeyAsync(ApiRole.Reader);
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(App, new { apiKey = key });
        await client.SubscribeAsync("m", LiveWrites.UpsertEntity, new { input = LiveWrites.Entity("live-refused") });
        var refused = await client.ReceiveAsync();

        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("FORBIDDEN", refused.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
    }
}
