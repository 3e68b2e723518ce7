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
}
