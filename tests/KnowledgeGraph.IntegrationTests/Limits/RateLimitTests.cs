using System.Net;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>Per API key and per address, over the limit a client gets 429 RATE_LIMITED with Retry-After; others are served.</summary>
public sealed class RateLimitTests : IAsyncDisposable
{
    // The test server has no remote address; this header sets one, for the address partitions.
    private const string AddressHeader = "X-Test-Remote-Address";

    private readonly KnowledgeGraphApp _app = new()
    {
        Settings =
        [
            ("Limits:RateLimit:PermitLimit", "3"),
            ("Limits:RateLimit:AddressPermitLimit", "5"),
            ("Limits:RateLimit:Window", "00:10:00"),
        ],
        TestServices = services => services.AddSingleton<IStartupFilter, RemoteAddressFromHeader>(),
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Over_the_limit_a_client_gets_429_RATE_LIMITED_with_retry_after()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(address: "203.0.113.1")).Status);
        }

        var refused = await SendAsync(address: "203.0.113.1");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("application/graphql-response+json", refused.MediaType);
        Assert.Equal(["RATE_LIMITED"], refused.ErrorCodes);
        Assert.InRange(int.Parse(refused.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        Assert.False(refused.HasData);
    }

    [Fact]
    public async Task Another_address_is_still_served()
    {
        for (var i = 0; i < 4; i++)
        {
            await SendAsync(address: "203.0.113.1");
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(address: "203.0.113.2")).Status);
    }

    [Fact]
    public async Task Each_api_key_has_its_own_limit()
    {
        var keyA = await IssueKeyAsync("a");
        var keyB = await IssueKeyAsync("b");
        var keyC = await IssueKeyAsync("c");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(address: "203.0.113.1", apiKey: keyA)).Status);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(address: "203.0.113.1", apiKey: keyA)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(address: "203.0.113.1", apiKey: keyB)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(address: "203.0.113.1", authorization: $"Bearer {keyC}")).Status);
    }

    [Fact]
    public async Task Guessing_keys_is_limited_by_address_whatever_key_each_guess_carries()
    {
        // Each guess is refused by the key gate (401), and still counts against its address.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(address: "203.0.113.1", apiKey: $"kg_guess-{i}")).Status);
        }

        var refused = await SendAsync(address: "203.0.113.1", apiKey: "kg_guess-5");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal(["RATE_LIMITED"], refused.ErrorCodes);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(address: "203.0.113.2")).Status);
    }

    [Fact]
    public async Task Get_requests_count_too_but_health_checks_do_not()
    {
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(address: "203.0.113.1", get: true);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(address: "203.0.113.1", get: true)).Status);
        using var health = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        health.Headers.Add(AddressHeader, "203.0.113.1");
        Assert.Equal(HttpStatusCode.OK, (await _app.SendAsync(health, accept: null)).Status);
    }

    [Theory]
    [InlineData("GET", "/export?format=entities-csv")]
    [InlineData("POST", "/import?format=entities-csv")]
    public async Task Exports_and_imports_count_too(string method, string path)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Add(AddressHeader, "203.0.113.1");
            statuses.Add((await _app.SendAsync(request, accept: null)).Status);
        }

        // Anonymous imports are refused (401) but still count, as guesses do.
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
    }

    [Fact]
    public async Task A_websocket_handshake_counts_as_a_request_and_is_refused_over_the_limit()
    {
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(address: "203.0.113.1");
        }

        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ConnectAsync("203.0.113.1"));

        Assert.Contains("429", refused.Message, StringComparison.Ordinal);
        await using var elsewhere = await ConnectAsync("203.0.113.2");
        await elsewhere.InitAsync();
    }

    [Fact]
    public async Task Each_operation_on_a_websocket_draws_on_the_same_budget_as_http_requests()
    {
        // The handshake takes the first of the three permits; two operations take the rest.
        await using var socket = await ConnectAsync("203.0.113.1");
        await socket.InitAsync();
        for (var i = 1; i <= 2; i++)
        {
            await socket.SubscribeAsync($"q{i}", "{ __typename }");
            Assert.Equal("Query", (await socket.NextDataAsync($"q{i}")).GetProperty("__typename").GetString());
            Assert.Equal("complete", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        }

        await socket.SubscribeAsync("q3", "{ __typename }");
        var refused = await socket.ReceiveAsync();

        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("q3", refused.GetProperty("id").GetString());
        var extensions = refused.GetProperty("payload")[0].GetProperty("extensions");
        Assert.Equal("RATE_LIMITED", extensions.GetProperty("code").GetString());
        Assert.InRange(extensions.GetProperty("retryAfter").GetInt32(), 1, 600);

        // The connection stays open, and HTTP from the same client is refused from the same budget.
        await socket.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await socket.ReceiveAsync()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(address: "203.0.113.1")).Status);
    }

    [Fact]
    public async Task A_websocket_with_an_api_key_draws_on_the_key_budget_and_its_address_budget()
    {
        var key = await IssueKeyAsync("socket");
        await using var socket = await ConnectAsync("203.0.113.1");
        await socket.InitAsync(new { Authorization = $"Bearer {key}" });
        for (var i = 1; i <= 3; i++)
        {
            await socket.SubscribeAsync($"q{i}", "{ __typename }");
            await socket.NextDataAsync($"q{i}");
            await socket.ReceiveAsync();
        }

        await socket.SubscribeAsync("q4", "{ __typename }");
        var refused = await socket.ReceiveAsync();

        Assert.Equal("RATE_LIMITED", refused.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        // The address has spent four of its five permits (the handshake and three operations), whatever key each used.
        var other = await IssueKeyAsync("other");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(address: "203.0.113.1", apiKey: other)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(address: "203.0.113.1", apiKey: other)).Status);
    }

    private Task<GraphQLWsClient> ConnectAsync(string address) =>
        GraphQLWsClient.ConnectAsync(_app, configureRequest: request => request.Headers[AddressHeader] = address);

    private async Task<string> IssueKeyAsync(string name)
    {
        var (_, secret) = await ApiKeySecrets.IssueAsync(_app.Services.GetRequiredService<IApiKeyStore>(), name, ApiRole.Reader, CancellationToken.None);
        return secret;
    }

    private async Task<GraphQLResponse> SendAsync(string address, string? apiKey = null, string? authorization = null, bool get = false)
    {
        using var request = get
            ? new HttpRequestMessage(HttpMethod.Get, "/graphql?query=%7B__typename%7D")
            : new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ __typename }"}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(AddressHeader, address);
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _app.SendAsync(request);
    }

    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
