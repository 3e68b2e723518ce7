using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

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
        => Assert.Equal(expected, GraphQLMediaTypes.Negotiate(accept));

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
