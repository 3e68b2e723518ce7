using System.Net;
using GraphQL.Execution;
using GraphQLParser.AST;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Execution;

/// <summary>
/// Queries collect each selection set's fields once per object type, and answer exactly as GraphQL.NET's own parallel
/// strategy does: fragments, inline fragments on the kinds of an interface, aliases, fields sharing a response name
/// (merged by GraphQL.NET) and <c>@skip</c>/<c>@include</c> from variables. Each query is sent three times to each.
/// </summary>
public sealed class CollectedFieldsExecutionStrategyTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly KnowledgeGraphApp _ours = new() { Settings = [("Cache:Enabled", "false")] };

    // GraphQL.NET takes the first registration for an operation type: this one comes before ours.
    private readonly KnowledgeGraphApp _graphQLNet = new()
    {
        Settings = [("Cache:Enabled", "false")],
        TestServices = services => services.Insert(0, ServiceDescriptor.Singleton(new ExecutionStrategyRegistration(ParallelExecutionStrategy.Instance, OperationType.Query))),
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await _ours.DisposeAsync();
        await _graphQLNet.DisposeAsync();
    }

    public static TheoryData<string, string> Queries => new()
    {
        {
            """
            query($key: String!) { entity(key: $key) { key name
              relationships(first: 20) { edges { node { type citations { excerpt start end } from { key name }
                to { key name relationships(first: 20) { edges { node { type citations { excerpt } from { key name } to { key name } } } } } } } } } }
            """,
            """{ "key": "whatsapp" }"""
        },
        {
            """
            { entities(first: 30) { edges { node { __typename ...common ... on App { owner { key ...common } } ... on Company { apps { key name } } } } } }
            fragment common on Entity { key name kind }
            """,
            "{}"
        },
        { """{ entity(key: "whatsapp") { key name relationships(first: 2) { totalCount } relationships(first: 2) { edges { node { type } } } } }""", "{}" },
        { """{ a: entity(key: "whatsapp") { k: key } b: entity(key: "signal") { k: key name } c: entity(key: "nobody") { key } }""", "{}" },
        { """{ entity(key: "whatsapp") { ...names ...names ... { kind } } } fragment names on Entity { key name }""", "{}" },
        { """query($s: Boolean!) { entity(key: "whatsapp") { key name @skip(if: $s) relationships(first: 3) @include(if: $s) { totalCount } } }""", """{ "s": true }""" },
        { """query($s: Boolean!) { entity(key: "whatsapp") { key name @skip(if: $s) relationships(first: 3) @include(if: $s) { totalCount } } }""", """{ "s": false }""" },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task A_query_answers_as_GraphQL_NET_own_strategy_answers_it(string query, string variables)
    {
        var values = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(variables);

        for (var i = 0; i < 3; i++)
        {
            var ours = await _ours.PostAsync(query, values);
            var theirs = await _graphQLNet.PostAsync(query, values);

            Assert.True(ours.Status == HttpStatusCode.OK, ours.ToString());
            Assert.Equal(theirs.Status, ours.Status);
            Assert.Equal(theirs.Body, ours.Body);
        }
    }

    [Fact]
    public async Task Fields_are_kept_once_per_selection_set_and_type_but_not_where_a_directive_decides_them()
    {
        var strategy = _ours.Services.GetServices<ExecutionStrategyRegistration>().Select(r => r.Strategy).OfType<CollectedFieldsExecutionStrategy>().Single();

        var list = await _ours.PostAsync("{ entities(first: 50) { edges { node { key name } } } }");
        var afterList = strategy.Kept;
        var again = await _ours.PostAsync("{ entities(first: 50) { edges { node { key name } } } }");
        var afterAgain = strategy.Kept;
        var directive = await _ours.PostAsync("query($s: Boolean!) { entities(first: 5) { edges { node { key name @skip(if: $s) } } } }", new { s = true });

        Assert.True(list.Status == HttpStatusCode.OK, list.ToString());
        Assert.True(again.Status == HttpStatusCode.OK, again.ToString());
        Assert.True(directive.Status == HttpStatusCode.OK, directive.ToString());
        // The operation's, the connection's, the edges' and the entities' selection sets; the last once per kind met.
        Assert.Equal(4, afterList.SelectionSets);
        Assert.InRange(afterList.Types, 4, 3 + 7);
        Assert.Equal(afterList, afterAgain);
        Assert.Equal(afterAgain, strategy.Kept);
        Assert.False(directive.Data.GetProperty("entities").GetProperty("edges")[0].GetProperty("node").TryGetProperty("name", out _));
    }
}
