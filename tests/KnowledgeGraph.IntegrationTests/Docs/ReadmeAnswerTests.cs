using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.Docs;

/// <summary>
/// An answer the README shows (a <c>json</c> block holding <c>"data"</c>) is what the GraphQL example before it
/// answers: every property shown has the value shown, and a list shown is how the real list begins.
/// </summary>
public sealed partial class ReadmeAnswerTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    public static TheoryData<int, string, string> Answers()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));
        var data = new TheoryData<int, string, string>();
        string? query = null;
        var number = 0;
        foreach (Match block in FencedBlock().Matches(readme))
        {
            var body = block.Groups["body"].Value;
            if (block.Groups["lang"].Value == "graphql")
            {
                query = body;
            }
            else if (query is not null && body.TrimStart().StartsWith("{\n  \"data\"", StringComparison.Ordinal))
            {
                data.Add(++number, query, body);
                query = null;
            }
        }

        return data;
    }

    [Fact]
    public void The_readme_shows_the_answer_to_the_researchers_query_of_basis() =>
        Assert.Contains(Answers(), row => ((string)row[1]).Contains("facts(basis:", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task A_shown_answer_is_how_the_real_answer_begins(int number, string query, string shown)
    {
        var response = await app.PostAsync(query);

        Assert.True(response.Status == HttpStatusCode.OK && response.Errors.Count == 0, $"answer {number}: {response}");
        using var expected = JsonDocument.Parse(shown);
        AssertBegins(expected.RootElement.GetProperty("data"), response.Data, "data");
    }

    private static void AssertBegins(JsonElement shown, JsonElement actual, string path)
    {
        switch (shown.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.True(actual.ValueKind == JsonValueKind.Object, $"{path}: an object is shown, the answer has {actual}");
                foreach (var property in shown.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}.{property.Name} is shown but not answered");
                    AssertBegins(property.Value, value, $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(actual.ValueKind == JsonValueKind.Array, $"{path}: a list is shown, the answer has {actual}");
                Assert.True(shown.GetArrayLength() <= actual.GetArrayLength(), $"{path}: {shown.GetArrayLength()} items shown, {actual.GetArrayLength()} answered");
                for (var i = 0; i < shown.GetArrayLength(); i++)
                {
                    AssertBegins(shown[i], actual[i], $"{path}[{i}]");
                }

                break;
            default:
                Assert.True(JsonElement.DeepEquals(shown, actual), $"{path}: {shown.GetRawText()} is shown, {actual.GetRawText()} answered");
                break;
        }
    }

    [GeneratedRegex("```(?<lang>graphql|json)\\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
