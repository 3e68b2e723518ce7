using KnowledgeGraph.Api.Caching;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>
/// An instance learns of another's write when the announcement arrives over Redis, or at its next read of the store's
/// revision: tests wait for that moment with a deadline rather than sleep.
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
}
