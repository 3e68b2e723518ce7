using System.Net;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Http;

/// <summary>Every malformed request gets a GraphQL error body with a code and a 4xx status, never a 500.</summary>
public sealed class GraphQLRequestErrorTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Theory]
    [InlineData("NONSENSE")]
    [InlineData("""{"query":""")]
    [InlineData("")]
    public async Task A_body_that_is_not_json_is_400_INVALID_JSON(string body)
    {
        var response = await app.PostRawAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.Equal(["INVALID_JSON"], response.ErrorCodes);
        Assert.False(response.HasData);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"qeury":"{ __typename }"}""")]
    [InlineData("""{"query":null}""")]
    [InlineData("""{"query":"   "}""")]
    public async Task A_request_without_a_query_is_422_MISSING_QUERY(string body)
    {
        var response = await app.PostRawAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["MISSING_QUERY"], response.ErrorCodes);
    }

    [Theory]
    [InlineData("""{"query":"query($n: String!) { __type(name: $n) { name } }","variables":[7]}""")]
    [InlineData("""{"query":"{ __typename }","variables":"{}"}""")]
    [InlineData("""{"query":"{ __typename }","extensions":1}""")]
    [InlineData("""{"query":42}""")]
    [InlineData("""{"query":"{ __typename }","operationName":1}""")]
    [InlineData("""[{"query":"{ __typename }"}]""")]
    [InlineData("\"{ __typename }\"")]
    public async Task A_request_of_the_wrong_shape_is_422_BAD_REQUEST(string body)
    {
        var response = await app.PostRawAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["BAD_REQUEST"], response.ErrorCodes);
        Assert.NotEmpty(response.Errors[0].GetProperty("message").GetString()!);
    }

    [Fact]
    public async Task A_variable_of_the_wrong_type_is_422_BAD_USER_INPUT()
    {
        var response = await app.PostAsync("query($name: String!) { __type(name: $name) { name } }", new { name = 42 });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["BAD_USER_INPUT"], response.ErrorCodes);
        Assert.Contains("$name", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(response.HasData);
    }

    [Fact]
    public async Task A_missing_required_variable_is_422_BAD_USER_INPUT()
    {
        var response = await app.PostAsync("query($name: String!) { __type(name: $name) { name } }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["BAD_USER_INPUT"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_document_that_does_not_parse_is_400_GRAPHQL_PARSE_FAILED()
    {
        var response = await app.PostAsync("{");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["GRAPHQL_PARSE_FAILED"], response.ErrorCodes);
        Assert.True(response.Errors[0].TryGetProperty("locations", out _));
    }

    [Fact]
    public async Task An_unknown_field_is_422_GRAPHQL_VALIDATION_FAILED_with_its_location()
    {
        var response = await app.PostAsync("{ __typename doesNotExist }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], response.ErrorCodes);
        var location = response.Errors[0].GetProperty("locations")[0];
        Assert.Equal(14, location.GetProperty("column").GetInt32());
        Assert.False(response.HasData);
    }

    [Fact]
    public async Task A_literal_of_the_wrong_type_is_422_GRAPHQL_VALIDATION_FAILED()
    {
        var response = await app.PostAsync("{ __type(name: 42) { name } }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], response.ErrorCodes);
    }

    // A form or text/plain body (or none) without a preflight header is refused earlier, as CSRF_REJECTED (see Limits/CsrfTests).
    [Theory]
    [InlineData("application/graphql")]
    [InlineData("application/json; charset=utf-16")]
    public async Task A_post_that_is_not_utf8_json_is_415_UNSUPPORTED_MEDIA_TYPE(string? contentType)
    {
        var response = await app.PostRawAsync("""{"query":"{ __typename }"}""", contentType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Equal(["UNSUPPORTED_MEDIA_TYPE"], response.ErrorCodes);
    }

    [Fact]
    public async Task Only_get_and_post_are_allowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/graphql") { Content = new StringContent("{}") };

        var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
    }

    [Fact]
    public async Task Request_errors_are_not_cached()
    {
        var response = await app.GetQueryAsync("{ nope }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("no-store", response.Header("Cache-Control"));
    }
}
