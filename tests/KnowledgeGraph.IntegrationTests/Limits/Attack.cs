using System.Diagnostics;
using System.Net;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>Runs an attack beside an ordinary query: the attack must be refused quickly and the ordinary query served.</summary>
internal static class Attack
{
    /// <summary>Generous for a loaded two-core CI machine; a refused attack takes milliseconds.</summary>
    public static readonly TimeSpan Quickly = TimeSpan.FromSeconds(3);

    public const string OrdinaryQuery = """{ entity(key: "whatsapp") { name } }""";

    public static async Task<GraphQLResponse> RefusedQuicklyWhileOthersAreServedAsync(KnowledgeGraphApp app, Func<Task<GraphQLResponse>> attack)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(attack);
        var attacking = TimedAsync(attack);
        var ordinary = app.PostAsync(OrdinaryQuery);
        await Task.WhenAll(attacking, ordinary);

        var (response, elapsed) = await attacking;
        Assert.True(elapsed < Quickly, $"the attack took {elapsed}");
        Assert.True((int)response.Status is >= 400 and < 500, response.ToString());
        Assert.False(response.HasData, response.ToString());
        AssertServed(await ordinary);
        return response;
    }

    public static void AssertServed(GraphQLResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal("WhatsApp", response.Data.GetProperty("entity").GetProperty("name").GetString());
    }

    private static async Task<(GraphQLResponse Response, TimeSpan Elapsed)> TimedAsync(Func<Task<GraphQLResponse>> attack)
    {
        var watch = Stopwatch.StartNew();
        var response = await attack();
        return (response, watch.Elapsed);
    }
}
