using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using Microsoft.Extensions.Primitives;

namespace KnowledgeGraph.IntegrationTests.Http;

/// <summary>The transport's pure decisions, without a server.</summary>
public sealed class NegotiationAndContextTests
{
    [Theory]
    [InlineData(null, GraphQLResponseMediaType.GraphQLResponseJson)]
    [InlineData("", GraphQLResponseMediaType.GraphQLResponseJson)]
    [InlineData("*/*", GraphQLResponseMediaType.GraphQLResponseJson)]
    [InlineData("application/graphql-response+json, application/json;q=0.9", GraphQLResponseMediaType.GraphQLResponseJson)]
    [InlineData("application/json", GraphQLResponseMediaType.Json)]
    [InlineData("application/json, */*;q=0.1", GraphQLResponseMediaType.Json)]
    [InlineData("application/graphql-response+json;q=0, application/json", GraphQLResponseMediaType.Json)]
    [InlineData("text/html", GraphQLResponseMediaType.NotAcceptable)]
    [InlineData("application/*;q=0, text/html", GraphQLResponseMediaType.NotAcceptable)]
    [InlineData("text/html, application/*;q=0.2", GraphQLResponseMediaType.GraphQLResponseJson)]
    public void Accept_is_negotiated_as_the_spec_recommends(string? accept, GraphQLResponseMediaType expected)
    {
        Assert.Equal(expected, GraphQLMediaTypes.Negotiate(accept));
        // Again, when the verdict on this header may have been kept.
        Assert.Equal(expected, GraphQLMediaTypes.Negotiate(accept));
    }

    [Fact]
    public void Past_the_headers_whose_verdict_is_kept_every_header_is_still_negotiated_on_its_own()
    {
        // More distinct headers than are kept, alternating verdicts, then each again: each keeps its own answer.
        var headers = Enumerable.Range(0, 100)
            .Select(i => (Accept: i % 2 == 0 ? $"application/json;q=0.{1 + (i % 9)}, text/x-{i}" : $"text/x-{i}", Expected: i % 2 == 0 ? GraphQLResponseMediaType.Json : GraphQLResponseMediaType.NotAcceptable))
            .ToList();
        var longHeader = "text/html, " + string.Join(", ", Enumerable.Range(0, 60).Select(i => $"text/x-{i}")) + ", application/json";

        foreach (var round in new[] { 1, 2 })
        {
            foreach (var (accept, expected) in headers)
            {
                Assert.True(expected == GraphQLMediaTypes.Negotiate(accept), $"round {round}: {accept}");
            }

            Assert.Equal(GraphQLResponseMediaType.Json, GraphQLMediaTypes.Negotiate(longHeader));
            Assert.Equal(GraphQLResponseMediaType.Json, GraphQLMediaTypes.Negotiate(new StringValues(["text/html", "application/json"])));
        }
    }

    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/graphql-response+json", true)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false)]
    [InlineData("*/*", false)]
    [InlineData(null, false)]
    public void Only_an_accept_naming_a_json_type_marks_a_get_as_graphql(string? accept, bool expected)
        => Assert.Equal(expected, GraphQLMediaTypes.NamesGraphQLResponseType(accept));

    [Theory]
    [InlineData(null, Language.En)]
    [InlineData("", Language.En)]
    [InlineData("fr", Language.Fr)]
    [InlineData("fr-FR,fr;q=0.9,en;q=0.8", Language.Fr)]
    [InlineData("en;q=0.5, fr;q=0.9", Language.Fr)]
    [InlineData("de, fr;q=0.3", Language.Fr)]
    [InlineData("de, ja", Language.En)]
    public void Accept_language_picks_the_best_supported_language(string? header, Language expected)
        => Assert.Equal(expected, GraphRequestContext.FromAcceptLanguage(header));

    [Fact]
    public void An_executed_result_with_errors_is_294_for_graphql_clients_and_200_for_legacy_ones()
    {
        var result = new ExecutionResult { Executed = true, Errors = [new ExecutionError("boom")] };

        Assert.Equal(294, GraphQLHttpHandler.StatusCodeOf(result, GraphQLResponseMediaType.GraphQLResponseJson));
        Assert.Equal(200, GraphQLHttpHandler.StatusCodeOf(result, GraphQLResponseMediaType.Json));
    }

    [Fact]
    public void A_store_outage_before_execution_is_503_and_other_failures_500()
    {
        var outage = new ExecutionResult(new UnhandledError("Error executing document.", new StoreUnavailableException()));
        var failure = new ExecutionResult(new UnhandledError("Error executing document.", new InvalidOperationException()));

        Assert.Equal(503, GraphQLHttpHandler.StatusCodeOf(outage, GraphQLResponseMediaType.GraphQLResponseJson));
        Assert.Equal(500, GraphQLHttpHandler.StatusCodeOf(failure, GraphQLResponseMediaType.GraphQLResponseJson));
    }

    [Fact]
    public void The_error_provider_finds_a_wrapped_store_outage()
    {
        var error = new UnhandledError("x", new AggregateException(new InvalidOperationException("a", new StoreUnavailableException())));

        Assert.Equal(ErrorCodes.StoreUnavailable, GraphQLErrorInfoProvider.CodeOf(error));
    }

    [Fact]
    public void The_error_provider_maps_validation_errors_to_GRAPHQL_VALIDATION_FAILED()
    {
        var error = new ValidationError("Cannot query field 'x'.");

        var info = new GraphQLErrorInfoProvider(exposeDetails: false).GetInfo(error);

        Assert.Equal(ErrorCodes.ValidationFailed, info.Extensions!["code"]);
    }
}
