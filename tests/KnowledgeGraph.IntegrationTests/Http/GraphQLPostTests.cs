using System.Net;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Http;

public sealed class GraphQLPostTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Fact]
    public async Task A_query_answers_200_with_data_in_the_graphql_response_media_type()
    {
        var response = await app.PostAsync("{ __typename }");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.Equal("utf-8", response.CharSet);
        Assert.Equal("Query", response.Data.GetProperty("__typename").GetString());
        Assert.Empty(response.Errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/*")]
    [InlineData("application/graphql-response+json")]
    [InlineData("application/json;q=0.5, application/graphql-response+json")]
    public async Task The_graphql_response_media_type_is_chosen_when_accept_allows_it_first(string? accept)
    {
        var response = await app.PostRawAsync("""{"query":"{ __typename }"}""", accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json, application/graphql-response+json;q=0.5")]
    [InlineData("application/json, text/html")]
    public async Task A_legacy_client_accepting_application_json_gets_application_json(string accept)
    {
        var response = await app.PostAsync("{ __typename }", accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
        Assert.True(response.Data.TryGetProperty("__typename", out _));
    }

    [Fact]
    public async Task A_legacy_client_gets_error_statuses_in_the_graphql_media_type_so_it_knows_the_body_is_graphql()
    {
        var response = await app.PostAsync("{ nope }", accept: "application/json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], response.ErrorCodes);
    }

    [Fact]
    public async Task An_accept_header_without_any_json_type_is_406()
    {
        var response = await app.PostAsync("{ __typename }", accept: "text/html");

        Assert.Equal(HttpStatusCode.NotAcceptable, response.Status);
        Assert.Equal(["NOT_ACCEPTABLE"], response.ErrorCodes);
    }

    [Fact]
    public async Task Post_answers_are_not_stored_by_caches_and_vary_by_accept_and_language()
    {
        var response = await app.PostAsync("{ __typename }");

        Assert.Equal("no-store", response.Header("Cache-Control"));
        Assert.Equal("Accept, Accept-Language", response.Header("Vary"));
    }

    [Fact]
    public async Task Variables_reach_the_operation()
    {
        var response = await app.PostAsync("query($name: String!) { __type(name: $name) { name kind } }", new { name = "Query" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OBJECT", response.Data.GetProperty("__type").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task OperationName_selects_the_operation_to_run()
    {
        const string Document = "query A { a: __typename } query B { b: __typename }";

        var response = await app.PostAsync(Document, operationName: "B");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Data.TryGetProperty("b", out _));
        Assert.False(response.Data.TryGetProperty("a", out _));
    }

    [Fact]
    public async Task An_unknown_operationName_is_422_OPERATION_NOT_FOUND_without_data()
    {
        var response = await app.PostAsync("query A { __typename }", operationName: "Missing");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["OPERATION_NOT_FOUND"], response.ErrorCodes);
        Assert.False(response.HasData);
    }

    [Fact]
    public async Task Several_operations_without_operationName_is_422_OPERATION_NOT_FOUND()
    {
        var response = await app.PostAsync("query A { __typename } query B { b: __typename }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["OPERATION_NOT_FOUND"], response.ErrorCodes);
    }

    [Fact]
    public async Task Extensions_and_unknown_properties_are_accepted()
    {
        var response = await app.PostRawAsync("""{"query":"{ __typename }","extensions":{"trace":true},"documentId":null,"future":1}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Null_optional_parameters_are_the_same_as_absent_ones()
    {
        var response = await app.PostRawAsync("""{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public async Task Application_json_in_utf8_is_accepted_however_written(string contentType)
    {
        var response = await app.PostRawAsync("""{"query":"{ __typename }"}""", contentType);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }
}
