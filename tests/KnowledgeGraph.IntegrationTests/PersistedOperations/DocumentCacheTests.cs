using GraphQL.Execution;
using GraphQLParser.AST;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.PersistedOperations;

/// <summary>GraphQL.NET parses and validates a repeated document once (the response cache is off to see executions).</summary>
public sealed class DocumentCacheTests
{
    [Fact]
    public async Task A_repeated_document_is_parsed_once_whatever_its_variables()
    {
        var builder = new CountingDocumentBuilder();
        await using var app = new KnowledgeGraphApp
        {
            Settings = [("Cache:Enabled", "false")],
            TestServices = services => services.AddSingleton<IDocumentBuilder>(builder),
        };
        const string Query = "query($key: String!) { entity(key: $key) { name } }";

        var first = await app.PostAsync(Query, new { key = "signal" });
        var second = await app.PostAsync(Query, new { key = "telegram" });
        var third = await app.GetQueryAsync(Query, new { key = "whatsapp" });

        Assert.Equal("Signal", first.Data.GetProperty("entity").GetProperty("name").GetString());
        Assert.Equal("Telegram", second.Data.GetProperty("entity").GetProperty("name").GetString());
        Assert.Equal("WhatsApp", third.Data.GetProperty("entity").GetProperty("name").GetString());
        Assert.Equal(1, builder.Builds(Query));
    }

    [Fact]
    public async Task A_cached_document_still_may_not_run_a_mutation_over_get()
    {
        await using var app = new KnowledgeGraphApp();
        const string Document = "query Q { __typename } mutation M { __typename }";

        await app.PostAsync(Document, operationName: "Q");
        var get = await app.GetAsync(new Dictionary<string, string> { ["query"] = Document, ["operationName"] = "M" });

        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, get.Status);
    }

    private sealed class CountingDocumentBuilder : IDocumentBuilder
    {
        private readonly GraphQLDocumentBuilder _inner = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _builds = new();

        public int Builds(string query) => _builds.GetValueOrDefault(query);

        public GraphQLDocument Build(string body)
        {
            _builds.AddOrUpdate(body, 1, (_, count) => count + 1);
            return _inner.Build(body);
        }
    }
}
