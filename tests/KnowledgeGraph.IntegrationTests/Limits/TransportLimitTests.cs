using System.Net;
using System.Text;
using KnowledgeGraph.IntegrationTests.Support;
using static KnowledgeGraph.IntegrationTests.Limits.Attack;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>Bodies too large, batches and mutations over GET are refused by the transport before anything runs.</summary>
public sealed class TransportLimitTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private static readonly string TenMegabytes =
        """{"query":"{ __typename }","variables":{"padding":" """ + new string('x', 10 * 1024 * 1024) + "\"}}";

    [Fact]
    public async Task A_10_MB_body_is_413_REQUEST_TOO_LARGE()
    {
        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostRawAsync(TenMegabytes));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.Equal(["REQUEST_TOO_LARGE"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_10_MB_body_without_a_declared_length_is_413_too()
    {
        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql");
            // A stream of unknown length is sent chunked: the limit holds while reading.
            request.Content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(TenMegabytes)));
            request.Content.Headers.ContentType = new("application/json");
            return await app.SendAsync(request);
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal(["REQUEST_TOO_LARGE"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_runs()
    {
        var body = """{"query":"{ __typename }","variables":{"padding":" """ + new string('x', 200 * 1024) + "\"}}";

        var response = await app.PostRawAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task A_batch_of_a_thousand_operations_is_422_BAD_REQUEST_and_none_runs()
    {
        var batch = "[" + string.Join(',', Enumerable.Repeat("""{"query":"{ entities { totalCount } }"}""", 1000)) + "]";

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostRawAsync(batch));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["BAD_REQUEST"], response.ErrorCodes);
        Assert.Contains("Batched requests", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mutation { __typename }", null)]
    [InlineData("query Q { __typename } mutation M { __typename }", "M")]
    public async Task A_mutation_over_get_is_405_METHOD_NOT_ALLOWED(string query, string? operationName)
    {
        var parameters = new Dictionary<string, string> { ["query"] = query };
        if (operationName is not null)
        {
            parameters["operationName"] = operationName;
        }

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.GetAsync(parameters));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("POST", response.Header("Allow"));
        Assert.Equal(["METHOD_NOT_ALLOWED"], response.ErrorCodes);
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
