using System.Net;
using System.Text;
using KnowledgeGraph.IntegrationTests.Support;
using static KnowledgeGraph.IntegrationTests.Limits.Attack;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>Documents too deep, too wide or self-referencing are refused before they are validated or run.</summary>
public sealed class QueryShapeLimitTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Fact]
    public async Task Deep_nesting_on_the_relationship_cycle_is_422_QUERY_TOO_DEEP()
    {
        // entity -> relationships -> edges -> node -> to -> relationships ...: 30 levels and more.
        var hop = new StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            hop.Append("relationships { edges { node { to { ");
        }

        var query = $$"""{ entity(key: "whatsapp") { {{hop}} name {{new string('}', 8 * 4)}} } }""";

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(query));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["QUERY_TOO_DEEP"], response.ErrorCodes);
        Assert.Contains("15", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nesting_past_the_parsers_own_guard_is_QUERY_TOO_DEEP_not_a_server_error()
    {
        var query = "{ " + string.Concat(Enumerable.Repeat("entity(key: \"whatsapp\") { ", 300)) + "name" + new string('}', 301);

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(query));

        Assert.Equal(["QUERY_TOO_DEEP"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_thousand_aliases_are_422_TOO_MANY_ALIASES()
    {
        var query = "{ " + string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"a{i}: entities {{ totalCount }}")) + " }";

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(query));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["TOO_MANY_ALIASES"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_thousand_aliases_over_get_are_refused_the_same_way()
    {
        var query = "{ " + string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"a{i}: __typename")) + " }";

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.GetQueryAsync(query));

        Assert.Equal(["TOO_MANY_ALIASES"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_thousand_duplicate_fields_are_422_TOO_MANY_FIELDS()
    {
        var query = "{ " + string.Join(' ', Enumerable.Repeat("entities { totalCount }", 1000)) + " }";

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(query));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["TOO_MANY_FIELDS"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_thousand_directives_on_one_field_are_422_TOO_MANY_DIRECTIVES()
    {
        var query = "{ __typename " + string.Join(' ', Enumerable.Repeat("@include(if: true)", 1000)) + " }";

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(query));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["TOO_MANY_DIRECTIVES"], response.ErrorCodes);
    }

    [Theory]
    [InlineData("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }")]
    [InlineData("query { ...A } fragment A on Query { __typename ...A }")]
    [InlineData("query { entity(key: \"whatsapp\") { ...E } } fragment E on Entity { relationships { edges { node { to { ...E } } } } }")]
    public async Task Circular_fragments_are_422_GRAPHQL_VALIDATION_FAILED_without_looping(string query)
    {
        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(query));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], response.ErrorCodes);
        Assert.Contains("spreads itself", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fragments_that_multiply_to_a_billion_fields_are_refused_without_expanding_them()
    {
        // F9 spreads F8 ten times, ... down to F0: 10^9 fields once expanded, in under a kilobyte.
        var document = new StringBuilder("query { ...F9 } fragment F0 on Query { __typename } ");
        for (var level = 1; level <= 9; level++)
        {
            document.Append($"fragment F{level} on Query {{ {string.Concat(Enumerable.Repeat($"...F{level - 1} ", 10))}}} ");
        }

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(document.ToString()));

        Assert.Equal(["TOO_MANY_FIELDS"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_document_of_a_thousand_operations_is_422_TOO_MANY_FIELDS()
    {
        var query = string.Join(' ', Enumerable.Range(0, 1000).Select(i => $"query Q{i} {{ entities {{ totalCount }} }}"));

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(query, operationName: "Q0"));

        Assert.Equal(["TOO_MANY_FIELDS"], response.ErrorCodes);
    }

    [Fact]
    public async Task Introspection_nesting_type_lists_more_than_twice_is_422_QUERY_TOO_DEEP()
    {
        const string query = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";

        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(query));

        Assert.Equal(["QUERY_TOO_DEEP"], response.ErrorCodes);
        Assert.Contains("Introspection", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_full_introspection_query_of_graphql_ides_passes_every_limit()
    {
        var response = await app.PostAsync(IntrospectionQuery.Full, operationName: "IntrospectionQuery");

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.True(response.Data.GetProperty("__schema").GetProperty("types").GetArrayLength() > 10);
    }

    [Fact]
    public async Task Depth_counts_fields_not_fragments_so_a_query_at_the_limit_runs()
    {
        // Exactly 15 fields deep (entity ... owner, key), through a fragment and an inline fragment.
        const string query = """
            query { entity(key: "whatsapp") { ...R } }
            fragment R on Entity { relationships(first: 1) { edges { node { to { ... on Entity { relationships(first: 1) { edges { node { to {
              relationships(first: 1) { edges { node { to { key ... on App { owner { key } } } } } } } } } } } } } } } }
            """;

        var response = await app.PostAsync(query);

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
    }
}
