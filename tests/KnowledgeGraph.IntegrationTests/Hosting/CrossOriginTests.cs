using System.Net;
using System.Text;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.IntegrationTests.Hosting;

/// <summary>
/// Browser pages on other origins: a listed origin's preflight is granted with the headers a GraphQL client sends, and
/// its answers are readable; an unlisted origin gets nothing a browser would accept. (tests/browser checks the same in
/// Chromium.)
/// </summary>
public sealed class CrossOriginTests : IAsyncDisposable
{
    private const string Listed = "http://127.0.0.1:4100";
    private const string Unlisted = "http://127.0.0.1:4200";

    private readonly KnowledgeGraphApp _app = new() { Settings = [("Cors:AllowedOrigins:0", Listed)] };

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task A_listed_origin_is_granted_a_preflight_for_a_json_post_with_a_key_and_no_credentials()
    {
        using var response = await PreflightAsync(Listed, "content-type, authorization, x-api-key, graphql-require-preflight");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Listed, Header(response, "Access-Control-Allow-Origin"));
        var allowed = Header(response, "Access-Control-Allow-Headers")!.ToUpperInvariant();
        foreach (var header in new[] { "CONTENT-TYPE", "AUTHORIZATION", "X-API-KEY", "GRAPHQL-REQUIRE-PREFLIGHT" })
        {
            Assert.Contains(header, allowed, StringComparison.Ordinal);
        }

        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods")!, StringComparison.Ordinal);
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task An_unlisted_origin_is_granted_nothing()
    {
        using var preflight = await PreflightAsync(Unlisted, "content-type");
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));

        using var post = await PostFromAsync(Unlisted);
        Assert.Null(Header(post, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_listed_origins_answer_is_readable_with_the_cache_and_retry_headers_exposed()
    {
        using var response = await PostFromAsync(Listed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Listed, Header(response, "Access-Control-Allow-Origin"));
        var exposed = Header(response, "Access-Control-Expose-Headers")!;
        Assert.Contains("X-Cache", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Retry-After", exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("WhatsApp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_listed_origins_no_request_gets_cors_headers()
    {
        await using var closed = new KnowledgeGraphApp();
        using var client = closed.CreateUnbufferedClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", Listed);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await client.SendAsync(request);

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("http://127.0.0.1:4100/app")]
    [InlineData("127.0.0.1:4100")]
    [InlineData("ftp://example.test")]
    public async Task An_origin_that_is_not_one_stops_start_up_with_its_name(string origin)
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Cors:AllowedOrigins:0", origin)] };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            using var client = app.CreateClient();
            await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        });
        Assert.Contains($"'{origin}' is not an origin", failure.Message, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PreflightAsync(string origin, string headers)
    {
        using var client = _app.CreateUnbufferedClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", headers);
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostFromAsync(string origin)
    {
        using var client = _app.CreateUnbufferedClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ entity(key: \"whatsapp\") { name } }"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Accept", KnowledgeGraphApp.GraphQLAccept);
        return await client.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
