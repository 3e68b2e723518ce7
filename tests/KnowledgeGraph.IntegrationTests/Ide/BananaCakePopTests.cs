using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Ide;

public sealed partial class BananaCakePopTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    [Fact]
    public async Task A_browser_opening_graphql_gets_the_ide_page_with_its_assets_under_graphql_ide()
    {
        var response = await GetAsync("/graphql", BrowserAccept);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Accept", response.Headers.Vary);
        var links = AssetLink().Matches(html).Select(m => m.Groups["path"].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith("/graphql/ide/", link, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_ide_scripts_are_served_with_a_long_cache_lifetime()
    {
        var html = await (await GetAsync("/graphql", BrowserAccept)).Content.ReadAsStringAsync();
        var main = MainScript().Match(html).Groups["path"].Value;

        var response = await GetAsync(main, "*/*");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ide_uses_this_service_as_its_endpoint_and_sends_no_telemetry()
    {
        var response = await GetAsync("/graphql/bcp-config.json", "*/*");
        using var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(config.RootElement.GetProperty("useBrowserUrlAsEndpoint").GetBoolean());
        Assert.True(config.RootElement.GetProperty("disableTelemetry").GetBoolean());
        Assert.False(config.RootElement.TryGetProperty("endpoint", out _));
        Assert.False(config.RootElement.TryGetProperty("gaTrackingId", out _));
    }

    [Theory]
    [InlineData("/graphql", "application/json")]
    [InlineData("/graphql", "application/graphql-response+json")]
    [InlineData("/graphql", "text/html, application/json")]
    [InlineData("/graphql?query=%7B__typename%7D", BrowserAccept)]
    public async Task A_graphql_get_is_answered_by_the_transport_not_the_ide(string url, string accept)
    {
        var response = await GetAsync(url, accept);

        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("text/html;q=0, */*")]
    public async Task A_get_that_names_neither_html_nor_graphql_json_is_not_found(string accept)
    {
        var response = await GetAsync("/graphql", accept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string accept)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [GeneratedRegex(@"\b(?:src|href)=""(?<path>[^""#][^""]*)""")]
    private static partial Regex AssetLink();

    [GeneratedRegex(@"src=""(?<path>[^""]*/main\.[^""]+\.js)""")]
    private static partial Regex MainScript();
}
