using KnowledgeGraph.Api.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>
/// With Redis, an instance learns of another's bump when the pub/sub announcement arrives, a moment after the bump:
/// tests wait for that moment with a deadline rather than sleep.
/// </summary>
public static class GraphRevisionWaits
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>The revision this instance would key a cached response with now.</summary>
    public static async Task<long> RevisionAsync(this KnowledgeGraphApp app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return await app.Services.GetRequiredService<IGraphRevision>().GetAsync(CancellationToken.None);
    }

    /// <summary>Waits until this instance's revision has reached <paramref name="atLeast"/>.</summary>
    public static async Task WaitForRevisionAsync(this KnowledgeGraphApp app, long atLeast)
    {
        var deadline = DateTime.UtcNow + Deadline;
        long seen;
        while ((seen = await app.RevisionAsync()) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the revision stayed at {seen}, below {atLeast}");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until every instance has heard every bump made so far (each one's seed, for instance).</summary>
    public static async Task WaitForSameRevisionAsync(params KnowledgeGraphApp[] apps)
    {
        ArgumentNullException.ThrowIfNull(apps);
        var highest = long.MinValue;
        foreach (var app in apps)
        {
            highest = Math.Max(highest, await app.RevisionAsync());
        }

        foreach (var app in apps)
        {
            await app.WaitForRevisionAsync(highest);
        }
    }

    /// <summary>Waits until the instance answers revision reads from memory (<paramref name="locally"/>) or from Redis.</summary>
    public static async Task WaitUntilServedLocallyAsync(this KnowledgeGraphApp app, bool locally = true)
    {
        ArgumentNullException.ThrowIfNull(app);
        var revision = app.Services.GetRequiredService<RedisGraphRevision>();
        var deadline = DateTime.UtcNow + Deadline;
        while (revision.IsServedLocally != locally)
        {
            Assert.True(DateTime.UtcNow < deadline, locally ? "the revision was never served from memory" : "the revision was still served from memory");
            await Task.Delay(10);
        }
    }
}
