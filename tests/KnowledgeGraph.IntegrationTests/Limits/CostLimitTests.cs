using System.Net;
using KnowledgeGraph.IntegrationTests.Support;
using static KnowledgeGraph.IntegrationTests.Limits.Attack;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>Page sizes are clamped, and the cost budget weighs every list by the page size it asks for.</summary>
public sealed class CostLimitTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string NestedPages = """
        query($outer: Int, $inner: Int) {
          entities(first: $outer) { edges { node { key relationships(first: $inner) { edges { node { type to { name } } } } } } }
        }
        """;

    [Theory]
    [InlineData("{ entities(first: 99999999) { totalCount edges { node { key } } } }", "entities")]
    [InlineData("{ entities(last: 99999999) { totalCount edges { node { key } } } }", "entities")]
    [InlineData("{ entity(key: \"whatsapp\") { relationships(first: 99999999) { totalCount edges { node { key } } } } }", "entity")]
    public async Task A_huge_page_size_is_clamped_to_100_and_runs(string query, string root)
    {
        var response = await app.PostAsync(query);

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        var connection = root == "entity" ? response.Data.GetProperty("entity").GetProperty("relationships") : response.Data.GetProperty(root);
        var edges = connection.GetProperty("edges").GetArrayLength();
        Assert.InRange(edges, 1, 100);
        Assert.Equal(Math.Min(connection.GetProperty("totalCount").GetInt32(), 100), edges);
    }

    [Fact]
    public async Task A_page_size_beyond_int_is_422_GRAPHQL_VALIDATION_FAILED()
    {
        var response = await app.PostAsync("{ entities(first: 99999999999) { totalCount } }");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], response.ErrorCodes);
    }

    [Fact]
    public async Task Nested_pages_of_a_hundred_are_422_QUERY_TOO_COMPLEX_and_say_what_they_cost()
    {
        var response = await RefusedQuicklyWhileOthersAreServedAsync(app, () => app.PostAsync(NestedPages, new { outer = 100, inner = 100 }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["QUERY_TOO_COMPLEX"], response.ErrorCodes);
        Assert.Matches("costs [0-9]+ and the budget is 10000", response.Errors[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_same_document_with_smaller_pages_runs()
    {
        var response = await app.PostAsync(NestedPages, new { outer = 20, inner = 10 });

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
    }

    [Fact]
    public async Task A_huge_page_size_costs_no_more_than_the_largest_page()
    {
        // 99999999 is weighed as 100, the size the resolver clamps it to: refused or not, as for 100.
        var huge = await app.PostAsync(NestedPages, new { outer = 99999999, inner = 1 });
        var largest = await app.PostAsync(NestedPages, new { outer = 100, inner = 1 });

        Assert.Equal(HttpStatusCode.OK, largest.Status);
        Assert.Equal(HttpStatusCode.OK, huge.Status);
    }
}
