using KnowledgeGraph.Api.Hosting;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.IntegrationTests.Hosting;

public class StoreSelectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddGraphStore(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Store_provider_neo4j_selects_the_neo4j_store_configured_by_its_section()
    {
        using var services = Build(new()
        {
            ["Store:Provider"] = "Neo4j",
            ["Neo4j:Uri"] = "http://neo4j:7474",
            ["Neo4j:Password"] = "pw",
        });

        Assert.IsType<Neo4jGraphStore>(services.GetRequiredService<IGraphStore>());
        Assert.Equal("http://neo4j:7474", services.GetRequiredService<IOptions<Neo4jOptions>>().Value.Uri);
    }

    [Fact]
    public void Store_provider_neo4j_without_its_settings_fails_naming_them()
    {
        using var services = Build(new() { ["Store:Provider"] = "neo4j" });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Neo4jOptions>>().Value);

        Assert.Contains(exception.Failures, f => f.Contains("Neo4j:Uri is required", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_provider_names_the_known_ones()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Store:Provider"] = "Mongo" }));

        Assert.Contains("'Sqlite' or 'Neo4j'", exception.Message, StringComparison.Ordinal);
    }
}
