using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Api.PersistedOperations;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.PersistedOperations;

/// <summary>
/// Over real Kestrel: a persisted query is kept only once it parses and validates with every limit, its size is
/// limited, and the documents kept stay within their byte budget.
/// </summary>
public sealed class PersistedQueryBudgetTests
{
    public static TheoryData<string, string, HttpStatusCode> Invalid => new()
    {
        { "does not parse", "{ entity(key: \"signal\") { name }", HttpStatusCode.BadRequest },
        { "unknown field", "{ entity(key: \"signal\") { nickname } }", HttpStatusCode.UnprocessableEntity },
        { "over the alias limit", "{ " + string.Concat(Enumerable.Range(0, 40).Select(i => $"a{i}: __typename ")) + "}", HttpStatusCode.UnprocessableEntity },
        { "over the depth limit", "{ entity(key: \"signal\") { " + string.Concat(Enumerable.Repeat("relationships { nodes { to { ", 6)) + "key" + string.Concat(Enumerable.Repeat(" } } }", 6)) + " } }", HttpStatusCode.UnprocessableEntity },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task A_document_that_does_not_validate_is_not_registered(string name, string query, HttpStatusCode status)
    {
        await using var app = new KnowledgeGraphApp();
        using var client = new HttpClient { BaseAddress = app.StartKestrel() };
        query += $" # {name} {Guid.NewGuid()}";
        var hash = Sha256(query);

        var sent = await PostPersistedAsync(client, hash, query);
        var byHash = await PostPersistedAsync(client, hash);

        Assert.True(sent.Status == status, $"{name}: {sent}");
        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], byHash.ErrorCodes);
        Assert.Equal(0, app.Services.GetRequiredService<PersistedQueryStore>().Count);
    }

    [Fact]
    public async Task A_document_over_the_size_limit_is_refused_with_413_and_not_registered()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("PersistedOperations:MaxDocumentBytes", "2048")] };
        using var client = new HttpClient { BaseAddress = app.StartKestrel() };
        var query = "{ __typename } # " + new string('x', 3000);
        var hash = Sha256(query);

        var sent = await PostPersistedAsync(client, hash, query);
        var byHash = await PostPersistedAsync(client, hash);
        var plain = await PostAsync(client, JsonSerializer.Serialize(new { query }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sent.Status);
        Assert.Equal(["PERSISTED_QUERY_TOO_LARGE"], sent.ErrorCodes);
        Assert.Contains("at most 2048 bytes", sent.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(sent.HasData);
        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], byHash.ErrorCodes);
        Assert.Equal(HttpStatusCode.OK, plain.Status);
    }

    [Fact]
    public async Task A_valid_document_is_registered_then_runs_by_its_hash()
    {
        await using var app = new KnowledgeGraphApp();
        using var client = new HttpClient { BaseAddress = app.StartKestrel() };
        var query = $"{{ entity(key: \"signal\") {{ name }} }} # {Guid.NewGuid()}";
        var hash = Sha256(query);

        Assert.Equal(HttpStatusCode.OK, (await PostPersistedAsync(client, hash, query)).Status);
        var byHash = await PostPersistedAsync(client, hash);

        Assert.Equal("Signal", byHash.Data.GetProperty("entity").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Registrations_past_the_byte_budget_evict_the_least_recently_used()
    {
        const long Budget = 64 * 1024;
        await using var app = new KnowledgeGraphApp { Settings = [("PersistedOperations:MemoryBytes", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture))] };
        using var client = new HttpClient { BaseAddress = app.StartKestrel() };
        var store = app.Services.GetRequiredService<PersistedQueryStore>();

        // 40 documents of about 8 KiB each (two bytes a character): five times the budget.
        var queries = Enumerable.Range(0, 40).Select(i => $"{{ __typename }} # {i} {new string('x', 4000)}").ToList();
        foreach (var query in queries)
        {
            var registered = await PostPersistedAsync(client, Sha256(query), query);
            Assert.Equal(HttpStatusCode.OK, registered.Status);
            Assert.InRange(store.MemoryBytes, 1, Budget);
        }

        var first = await PostPersistedAsync(client, Sha256(queries[0]));
        var last = await PostPersistedAsync(client, Sha256(queries[^1]));

        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], first.ErrorCodes);
        Assert.Equal("Query", last.Data.GetProperty("__typename").GetString());
        Assert.InRange(store.Count, 1, 39);
    }

    private static Task<GraphQLResponse> PostPersistedAsync(HttpClient client, string hash, string? query = null) =>
        PostAsync(client, JsonSerializer.Serialize(new { query, extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } } }));

    private static async Task<GraphQLResponse> PostAsync(HttpClient client, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Accept", KnowledgeGraphApp.GraphQLAccept);
        using var response = await client.SendAsync(request);
        return await GraphQLResponse.ReadAsync(response);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
