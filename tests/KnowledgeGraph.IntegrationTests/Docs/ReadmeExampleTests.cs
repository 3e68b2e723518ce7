using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.Docs;

/// <summary>Every GraphQL example in the README runs against the service and answers something.</summary>
public sealed partial class ReadmeExampleTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    public static TheoryData<int, string> Examples()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var data = new TheoryData<int, string>();
        var number = 0;
        foreach (Match match in GraphQLBlock().Matches(readme))
        {
            data.Add(++number, match.Groups[1].Value);
        }

        return data;
    }

    [Fact]
    public void The_readme_has_examples() => Assert.True(Examples().Count >= 6);

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task A_readme_example_answers_without_errors(int number, string query)
    {
        if (query.TrimStart().StartsWith("subscription", StringComparison.Ordinal))
        {
            await AssertSubscriptionHearsAWriteAsync(number, query);
            return;
        }

        // Mutations need a partner key; everything else is read anonymously, as a newcomer would.
        var response = query.TrimStart().StartsWith("mutation", StringComparison.Ordinal)
            ? await app.PostWithKeyAsync(await app.IssueKeyAsync(KnowledgeGraph.Security.ApiRole.Partner), query)
            : await app.PostAsync(query);

        Assert.True(response.Status == HttpStatusCode.OK && response.Errors.Count == 0, $"example {number}: {response}");
        foreach (var field in response.Data.EnumerateObject())
        {
            Assert.True(HasContent(field.Value), $"example {number}: '{field.Name}' is empty");
        }
    }

    // A subscription example runs over the WebSocket and must hear a partner's write of a new app.
    private async Task AssertSubscriptionHearsAWriteAsync(int number, string query)
    {
        await using var client = await GraphQLWsClient.ConnectAndInitAsync(app);
        await client.SubscribeAsync("readme", query);
        await Live.LiveApp.WaitForSubscribersAsync(app, 1);
        await Live.LiveWrites.UpsertEntityAsync(app, await app.IssueKeyAsync(KnowledgeGraph.Security.ApiRole.Partner), Live.LiveWrites.Entity($"readme-live-{number}"));

        var data = await client.NextDataAsync("readme");
        foreach (var field in data.EnumerateObject())
        {
            Assert.True(HasContent(field.Value), $"example {number}: '{field.Name}' is empty");
        }
    }

    private static bool HasContent(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => false,
        JsonValueKind.Array => value.GetArrayLength() > 0,
        _ => true,
    };

    [GeneratedRegex("```graphql\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex GraphQLBlock();
}
