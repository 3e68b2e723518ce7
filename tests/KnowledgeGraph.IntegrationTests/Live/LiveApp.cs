using KnowledgeGraph.Api.Live;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Live;

internal static class LiveApp
{
    /// <summary>
    /// Waits until this instance has <paramref name="count"/> live subscribers: a <c>subscribe</c> message is answered
    /// only by events, so this is how a test knows the subscription is in place before it writes.
    /// </summary>
    public static async Task WaitForSubscribersAsync(this KnowledgeGraphApp app, int count)
    {
        var hub = app.Services.GetRequiredService<GraphChangeHub>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (hub.Count != count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} live subscribers, there are {hub.Count}");
            await Task.Delay(10);
        }
    }
}
