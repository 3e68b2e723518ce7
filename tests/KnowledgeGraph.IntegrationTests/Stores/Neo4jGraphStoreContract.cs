using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;
using KnowledgeGraph.Store.Neo4j.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// The contract against a real Neo4j (5.26+ or Aura) named by NEO4J_URI, NEO4J_USER (default neo4j), NEO4J_PASSWORD
/// and NEO4J_DATABASE (default neo4j); for example <c>docker compose up -d neo4j</c> then
/// <c>NEO4J_URI=http://localhost:7474 NEO4J_PASSWORD=knowledge-graph-dev dotnet test</c>. The database is seeded with
/// the real seed: use a database that holds nothing else.
/// </summary>
[RequiresEnvironment("NEO4J_URI", "NEO4J_URI is not set: no Neo4j to run the contract against (see docs/neo4j.md).")]
public sealed class Neo4jGraphStoreContract : GraphStoreContract, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    protected override Task<IGraphStore> CreateStoreAsync()
    {
        var options = Options.Create(new Neo4jOptions
        {
            Uri = Environment.GetEnvironmentVariable("NEO4J_URI"),
            User = Environment.GetEnvironmentVariable("NEO4J_USER") ?? "neo4j",
            Password = Environment.GetEnvironmentVariable("NEO4J_PASSWORD"),
            Database = Environment.GetEnvironmentVariable("NEO4J_DATABASE") ?? "neo4j",
        });
        var runner = new QueryApiCypherRunner(_http, options, NullLogger<QueryApiCypherRunner>.Instance);
        return Task.FromResult<IGraphStore>(new Neo4jGraphStore(runner));
    }

    public void Dispose() => _http.Dispose();
}
