using System.Net;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Partners;

/// <summary>Key lookups are keyed by what clients send: guessing keys cannot grow them past their byte budget.</summary>
public sealed class KeyLookupBudgetTests
{
    [Fact]
    public async Task Hundreds_of_invented_keys_are_refused_and_their_lookups_stay_within_the_budget()
    {
        const long Budget = 64 * 1024;
        await using var app = new KnowledgeGraphApp { Settings = [("Auth:LookupCacheBytes", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Limits:RateLimit:Enabled", "false")] };
        var lookups = app.Services.GetRequiredService<ApiKeyLookupCache>();
        using var client = app.CreateUnbufferedClient();

        for (var i = 0; i < 300; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ __typename }"}""", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("X-Api-Key", $"kg_invented-{i}-{Guid.NewGuid():N}");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.InRange(lookups.MemoryBytes, 0, Budget);
        }

        Assert.True(lookups.MemoryBytes > 0);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    public async Task A_key_sent_to_an_endpoint_that_reads_no_caller_is_not_looked_up(string path)
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Limits:RateLimit:Enabled", "false")] };
        var lookups = app.Services.GetRequiredService<ApiKeyLookupCache>();
        using var client = app.CreateUnbufferedClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("X-Api-Key", $"kg_invented-{Guid.NewGuid():N}");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, lookups.MemoryBytes);

        // The same key on /graphql is looked up, refused and its miss remembered.
        using var graphql = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ __typename }"}""", System.Text.Encoding.UTF8, "application/json") };
        graphql.Headers.TryAddWithoutValidation("X-Api-Key", request.Headers.GetValues("X-Api-Key").Single());
        using var refused = await client.SendAsync(graphql);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(lookups.MemoryBytes > 0);
    }
}
