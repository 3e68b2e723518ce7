using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Caching;

/// <summary>An unsafe <c>Cache</c> value stops start-up with a message naming it.</summary>
public sealed class CacheOptionsTests
{
    [Theory]
    [InlineData("Cache:Ttl", "00:00:00", "Ttl")]
    [InlineData("Cache:MaxResponseBytes", "10", "MaxResponseBytes")]
    [InlineData("Cache:RevisionRefresh", "00:00:00", "RevisionRefresh")]
    [InlineData("Cache:RevisionRefresh", "01:00:00", "RevisionRefresh")]
    public async Task An_invalid_cache_setting_stops_start_up_naming_it(string key, string value, string named)
    {
        await using var app = new KnowledgeGraphApp { Settings = [(key, value)] };

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }
}
