using System.Net;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>
/// Runs an attack beside an ordinary query: the attack must be refused without data and the ordinary query served.
/// How long a refusal takes is the robustness run's to print (docs/robustness.md), not a test's to time: on a loaded
/// two-core machine any bound either flakes or proves nothing.
/// </summary>
internal static class Attack
{
    public const string OrdinaryQuery = """{ entity(key: "whatsapp") { name } }""";

    public static async Task<GraphQLResponse> RefusedQuicklyWhileOthersAreServedAsync(KnowledgeGraphApp app, Func<Task<GraphQLResponse>> attack)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(attack);
        var attacking = attack();
        var ordinary = app.PostAsync(OrdinaryQuery);
        await Task.WhenAll(attacking, ordinary);

        var response = await attacking;
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
}

