using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.UnitTests.Neo4j;

public class Neo4jOptionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddNeo4jGraphStore(configuration).BuildServiceProvider();
    }

    [Fact]
    public void A_complete_section_registers_the_neo4j_store()
    {
        using var services = Services(new()
        {
            ["Neo4j:Uri"] = "http://localhost:7474",
            ["Neo4j:Password"] = "pw",
            ["Neo4j:RequestTimeout"] = "00:00:05",
        });

        Assert.IsType<Neo4jGraphStore>(services.GetRequiredService<IGraphStore>());
        Assert.IsType<Neo4jApiKeyStore>(services.GetRequiredService<KnowledgeGraph.Security.IApiKeyStore>()); // keys live beside the graph
        var options = services.GetRequiredService<IOptions<Neo4jOptions>>().Value;
        Assert.Equal("neo4j", options.Database);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
    }

    [Fact]
    public void A_missing_uri_and_password_are_named_in_the_validation_message()
    {
        using var services = Services([]);

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Neo4jOptions>>().Value);

        Assert.Contains(exception.Failures, f => f.Contains("Neo4j:Uri is required", StringComparison.Ordinal));
        Assert.Contains(exception.Failures, f => f.Contains("Neo4j:Password is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bolt_address_is_refused_with_the_query_api_address_to_use()
    {
        using var services = Services(new() { ["Neo4j:Uri"] = "neo4j+s://abcd1234.databases.neo4j.io", ["Neo4j:Password"] = "pw" });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Neo4jOptions>>().Value);

        var failure = Assert.Single(exception.Failures);
        Assert.Contains("https://abcd1234.databases.neo4j.io", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Neo4j:RequestTimeout", "00:00:00", "Neo4j:RequestTimeout")]
    [InlineData("Neo4j:MaxRetries", "-1", "Neo4j:MaxRetries")]
    [InlineData("Neo4j:Database", " ", "Neo4j:Database")]
    public void Out_of_range_settings_are_named(string key, string value, string named)
    {
        using var services = Services(new() { ["Neo4j:Uri"] = "https://x.databases.neo4j.io", ["Neo4j:Password"] = "pw", [key] = value });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<Neo4jOptions>>().Value);

        Assert.Contains(named, Assert.Single(exception.Failures), StringComparison.Ordinal);
    }
}
