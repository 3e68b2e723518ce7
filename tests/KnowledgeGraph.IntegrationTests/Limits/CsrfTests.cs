using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>
/// Nothing a web page on another site can send without a CORS preflight runs: GET runs only queries, and a POST with
/// a form or text/plain body (or none) is CSRF_REJECTED unless a preflight header shows it came from a script.
/// </summary>
public sealed class CsrfTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string Body = """{"query":"{ __typename }"}""";

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task A_post_a_form_could_send_is_400_CSRF_REJECTED(string? contentType)
    {
        var response = await app.PostRawAsync(Body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["CSRF_REJECTED"], response.ErrorCodes);
        Assert.False(response.HasData);
    }

    [Theory]
    [InlineData("GraphQL-Require-Preflight")]
    [InlineData("X-Requested-With")]
    [InlineData("Apollo-Require-Preflight")]
    public async Task With_a_preflight_header_a_text_plain_post_is_still_not_json_so_415(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(Body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain");
        request.Headers.Add(header, "1");

        var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Equal(["UNSUPPORTED_MEDIA_TYPE"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_json_post_needs_no_preflight_header_since_json_itself_forces_a_preflight()
    {
        var response = await app.PostRawAsync(Body);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task No_cors_policy_grants_a_preflight_to_another_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/graphql");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        var response = await app.SendAsync(request);

        Assert.Null(response.Header("Access-Control-Allow-Origin"));
    }
}
