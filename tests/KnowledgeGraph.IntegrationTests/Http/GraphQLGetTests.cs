using System.Net;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Http;

public sealed class GraphQLGetTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Fact]
    public async Task A_query_runs_over_get()
    {
        var response = await app.GetQueryAsync("{ __typename }");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.True(response.Data.TryGetProperty("__typename", out _));
        Assert.Equal("Accept, Accept-Language", response.Header("Vary"));
    }

    [Fact]
    public async Task Variables_and_operationName_are_read_from_the_query_string()
    {
        var response = await app.GetAsync(new Dictionary<string, string>
        {
            ["query"] = "query A { __typename } query B($name: String!) { __type(name: $name) { name } }",
            ["operationName"] = "B",
            ["variables"] = """{"name":"Query"}""",
            ["extensions"] = "",
        });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Query", response.Data.GetProperty("__type").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_mutation_over_get_is_405_with_allow_post_and_is_not_run()
    {
        var response = await app.GetQueryAsync("mutation { __typename }");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("POST", response.Header("Allow"));
        Assert.Equal(["METHOD_NOT_ALLOWED"], response.ErrorCodes);
        Assert.False(response.HasData);
    }

    [Fact]
    public async Task The_mutation_check_looks_at_the_operation_named_by_operationName()
    {
        var response = await app.GetAsync(new Dictionary<string, string>
        {
            ["query"] = "query Q { __typename } mutation M { __typename }",
            ["operationName"] = "M",
        });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
    }

    [Fact]
    public async Task A_subscription_over_post_is_a_validation_error_that_points_to_the_websocket()
    {
        var response = await app.PostAsync("subscription { entityChanged { key } }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], response.ErrorCodes);
        Assert.Contains("graphql-transport-ws", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(response.HasData);
    }

    [Fact]
    public async Task Invalid_json_in_the_variables_parameter_is_400_INVALID_JSON()
    {
        var response = await app.GetAsync(new Dictionary<string, string> { ["query"] = "{ __typename }", ["variables"] = "{name:" });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["INVALID_JSON"], response.ErrorCodes);
    }

    [Fact]
    public async Task Variables_that_are_not_an_object_are_422_BAD_REQUEST()
    {
        var response = await app.GetAsync(new Dictionary<string, string> { ["query"] = "{ __typename }", ["variables"] = "[1]" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["BAD_REQUEST"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_get_asking_for_json_without_a_query_is_422_MISSING_QUERY()
    {
        var response = await app.GetAsync(new Dictionary<string, string>(), accept: "application/graphql-response+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["MISSING_QUERY"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_repeated_parameter_is_422_BAD_REQUEST()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=%7B__typename%7D&query=%7B__typename%7D");

        var response = await app.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["BAD_REQUEST"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_browser_navigation_is_left_to_the_ide_endpoint()
    {
        // No `query` parameter and no JSON type named in Accept: not a GraphQL request, so the transport does not
        // answer it (the IDE does, or nothing: 404), instead of a 422 MISSING_QUERY.
        var response = await app.GetAsync(
            new Dictionary<string, string>(),
            accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        Assert.NotEqual("application/graphql-response+json", response.MediaType);
        Assert.NotEqual("application/json", response.MediaType);
        Assert.NotEqual(HttpStatusCode.UnprocessableEntity, response.Status);
    }

    [Fact]
    public async Task A_browser_opening_a_url_with_a_query_gets_the_graphql_answer()
    {
        var response = await app.GetQueryAsync("{ __typename }", accept: "text/html,application/xhtml+xml,*/*;q=0.8");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
    }
}
