using System.Net;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Explorer;

public sealed class ExplorerEndpointTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Theory]
    [InlineData("/explore", null, "en", "/explore/assets/explorer.js")]
    [InlineData("/explore?key=whatsapp", "fr-FR,fr;q=0.9,en;q=0.5", "fr", "/explore/assets/explorer.js")]
    [InlineData("/explore?key=whatsapp&lang=en", "fr", "en", "/explore/assets/explorer.js")]
    [InlineData("/explore/sources/whatsapp-privacy-exodus-2021", "de, fr;q=0.8", "fr", "/explore/assets/reader.js")]
    [InlineData("/explore/sources", null, "en", "/explore/assets/reader.js")]
    public async Task The_pages_are_html_in_the_chosen_language_loading_their_script(string url, string? acceptLanguage, string lang, string script)
    {
        var response = await GetAsync(url, acceptLanguage: acceptLanguage);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
        Assert.Contains($"src=\"{script}\"", html, StringComparison.Ordinal);
        Assert.Contains("Accept-Language", response.Headers.Vary);
        Assert.StartsWith("default-src 'self';", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pages_need_no_key_even_when_anonymous_reads_are_off()
    {
        await using var closed = new KnowledgeGraphApp { Settings = [("Auth:AllowAnonymousReads", "false")] };
        using var client = closed.CreateClient();

        var page = await client.GetAsync(new Uri("/explore?key=whatsapp", UriKind.Relative));
        var graphql = await closed.PostAsync("{ entity(key: \"whatsapp\") { name } }");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, graphql.Status);
    }

    [Theory]
    [InlineData("br", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData(null, null)]
    public async Task The_scripts_are_sent_precompressed_to_a_browser_that_accepts_it(string? acceptEncoding, string? expected)
    {
        var response = await GetAsync("/explore/assets/explorer.js", acceptEncoding: acceptEncoding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, response.Content.Headers.ContentEncoding.SingleOrDefault());
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/explore/assets/../appsettings.json")]
    [InlineData("/explore/assets/%2e%2e/appsettings.json")]
    [InlineData("/explore/assets/missing.js")]
    public async Task Nothing_outside_the_bundle_is_served(string url)
    {
        var response = await GetAsync(url, acceptEncoding: "br, gzip");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string url, string? acceptLanguage = null, string? acceptEncoding = null)
    {
        // No automatic decompression: the test reads the encoding the server chose.
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
