using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Storage;
using Microsoft.Extensions.DependencyInjection;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Schema;

/// <summary>No N+1: a query's store calls are bounded by its depth, not by how many results it has.</summary>
public sealed class StoreCallBoundTests : IAsyncDisposable
{
    // Three levels below the list: every entity, its relationships, the entities at their ends, their observations,
    // and every citation's source.
    private const string ThreeLevels = """
        query($first: Int) {
          entities(first: $first) {
            edges { node {
              key
              citations { source { key } }
              relationships(first: 100) { edges { node {
                type
                citations { source { key } }
                from { key observations { metric citations { source { key } } } }
                to { key ... on App { owner { key } competitors { key } } }
              } } }
            } }
          }
        }
        """;

    // One store call per loader and wave of the query, whatever the number of parents: the list; relationships;
    // their ends; the sources of every citation; observations; the OWNS and COMPETES_WITH relationships of App ends;
    // the entities those lead to. A batch whose keys the request has loaded already makes no call: over every entity,
    // the owners and competitors are among the ends read before, so that query makes one call less. (Revision reads of
    // the response cache are not counted.)
    private const int CallsForShape = 8;
    private const int CallsWhenEveryEndIsLoaded = CallsForShape - 1;

    private CountingGraphStore? _store;
    private readonly KnowledgeGraphApp _app;

    public StoreCallBoundTests()
    {
        _app = new KnowledgeGraphApp
        {
            // This query is the kind the cost budget refuses (100 entities x 100 relationships x nested lists); here it
            // measures batching, so the budget is lifted.
            Settings = [("Limits:MaxComplexity", "10000000")],
            TestServices = services =>
            {
                var real = services.Single(s => s.ServiceType == typeof(IGraphStore));
                services.Remove(real);
                services.AddSingleton<IGraphStore>(sp =>
                    _store = new CountingGraphStore((IGraphStore)real.ImplementationFactory!(sp)));
            },
        };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_three_level_query_over_every_entity_makes_as_many_store_calls_as_over_one()
    {
        var all = await CallsForAsync(100);

        // One call per loader per level: the list, relationships, their ends, observations, sources, and for App ends
        // the OWNS and COMPETES_WITH relationships and their ends. Resolving each parent alone would make hundreds.
        Assert.Equal(18, all.Entities);
        Assert.True(all.Relationships > 40, $"only {all.Relationships} relationships resolved");
        Assert.Equal(CallsWhenEveryEndIsLoaded, all.Calls);
    }

    [Fact]
    public async Task More_results_at_the_same_depth_cost_no_more_store_calls()
    {
        // Entities whose relationships reach every branch of the query (App ends, observations), few and many.
        var some = await CallsForAsync(100, ["telegram", "signal"]);
        var many = await CallsForAsync(100, null);

        // Every second hop is a pending result GraphQL.NET batches with its siblings', so the calls are the query's
        // shape exactly, whatever the number of results and the order loads complete in.
        Assert.True(many.Relationships > 3 * some.Relationships / 2);
        Assert.Equal(CallsForShape, some.Calls);
        Assert.Equal(CallsWhenEveryEndIsLoaded, many.Calls);
    }

    private async Task<(int Calls, int Entities, int Relationships)> CallsForAsync(int first, string[]? keys = null)
    {
        if (_store is null)
        {
            Ok(await _app.PostAsync("{ __typename }")); // starts the app, which builds the store
        }

        _store!.Reset();
        var data = Ok(await _app.PostAsync(ThreeLevels.Replace("entities(first: $first)", "entities(first: $first, where: { keys: $keys })", StringComparison.Ordinal)
            .Replace("query($first: Int)", "query($first: Int, $keys: [String!])", StringComparison.Ordinal), new { first, keys }));
        var edges = data.GetProperty("entities").GetProperty("edges").EnumerateArray().ToList();
        var relationships = edges.Sum(e => e.GetProperty("node").GetProperty("relationships").GetProperty("edges").GetArrayLength());
        return (_store.Calls, edges.Count, relationships);
    }
}
