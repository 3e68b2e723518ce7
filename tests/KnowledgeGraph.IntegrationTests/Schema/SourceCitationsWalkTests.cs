using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Storage;
using Microsoft.Extensions.DependencyInjection;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Schema;

/// <summary><c>Source.citations</c> walks the graph through the port; asking for the uncited passages too walks it once.</summary>
public sealed class SourceCitationsWalkTests : IAsyncDisposable
{
    private CountingGraphStore? _store;
    private readonly KnowledgeGraphApp _app;

    public SourceCitationsWalkTests()
    {
        _app = new KnowledgeGraphApp
        {
            Settings = [("Cache:Enabled", "false")],
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
    public async Task Citations_and_uncited_passages_of_one_source_share_one_walk_of_the_graph()
    {
        const string Both = """{ source(key: "whatsapp-privacy-exodus-2021") { citations { start } uncitedPassages { start } } }""";
        const string CitationsOnly = """{ source(key: "whatsapp-privacy-exodus-2021") { citations { start } } }""";
        Ok(await _app.PostAsync(CitationsOnly));

        _store!.Reset();
        Ok(await _app.PostAsync(CitationsOnly));
        var one = _store.Calls;
        _store.Reset();
        var both = Ok(await _app.PostAsync(Both)).GetProperty("source");
        var twice = _store.Calls;

        Assert.True(one >= 4, $"the walk reads entities, relationships, observations and quotes: {one} calls");
        Assert.Equal(one, twice);
        // The seed cites every sentence of its article (seed/README.md): the field answers, with nothing left out.
        Assert.Equal(JsonValueKind.Array, both.GetProperty("uncitedPassages").ValueKind);
    }
}
