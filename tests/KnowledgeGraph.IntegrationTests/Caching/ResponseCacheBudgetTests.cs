using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Caching;

/// <summary>The in-process response cache holds no more than its byte budget, whatever distinct queries clients send.</summary>
public sealed class ResponseCacheBudgetTests
{
    private const long Budget = 1024 * 1024;

    [Fact]
    public async Task Distinct_large_answers_past_the_budget_evict_older_ones_and_the_cache_stays_within_it()
    {
        await using var app = new KnowledgeGraphApp
        {
            Settings =
            [
                ("Cache:MemoryBytes", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Limits:RateLimit:Enabled", "false"),
                ("Limits:MaxComplexity", "1000000"),
            ],
        };
        var store = app.Services.GetRequiredService<ResponseStore>();
        long answered = 0;

        // Each alias makes another document, so another entry: the attack of many distinct large queries.
        for (var i = 0; i < 30; i++)
        {
            var response = await app.PostAsync(Large(i));
            Assert.Equal("MISS", response.Header("X-Cache"));
            answered += response.Body.Length;
            Assert.True(store.MemoryBytes <= Budget, $"{store.MemoryBytes} bytes held, over the budget of {Budget}");
        }

        Assert.True(answered > 2 * Budget, $"the answers were only {answered} bytes: the test does not pass the budget");
        Assert.True(store.MemoryBytes > 0);
        // The newest entry is still served from memory; the first ones went.
        Assert.Equal("HIT", (await app.PostAsync(Large(29))).Header("X-Cache"));
        Assert.Equal("MISS", (await app.PostAsync(Large(0))).Header("X-Cache"));
    }

    // Twenty aliases of one large page: an answer of some hundreds of kilobytes.
    private static string Large(int variant) =>
        "{ " + string.Join(' ', Enumerable.Range(0, 20).Select(a => $"v{variant}a{a}: entities(first: 100) {{ edges {{ node {{ key name description(lang: FR) citations {{ excerpt }} }} }} }}")) + " }";
}
