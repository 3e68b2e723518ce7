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
/// <c>NEO4J_URI=http://localhost:7474 NEO4J_PASSWORD=knowledge-graph-dev dotnet test</c>. Each test starts from an
/// emptied database that it seeds again, since reads count whole lists and writes change them: use a database that
/// holds nothing else.
/// </summary>
[RequiresEnvironment("NEO4J_URI", "NEO4J_URI is not set: no Neo4j to run the contract against (see docs/neo4j.md).")]
[Collection(Neo4jTestDatabase.Collection)]
public sealed class Neo4jGraphStoreContract : GraphStoreContract, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    protected override async Task<IGraphStore> CreateStoreAsync()
    {
        var runner = Neo4jTestDatabase.Runner(_http);
        await Neo4jTestDatabase.EmptyAsync(runner);
        return new Neo4jGraphStore(runner);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>
/// The one Neo4j database the Neo4j tests share: the classes that use it run one after the other (an xUnit
/// collection), and each test empties it before it starts.
/// </summary>
public static class Neo4jTestDatabase
{
    public const string Collection = "Neo4j test database";

    public static QueryApiCypherRunner Runner(HttpClient http) => new(
        http,
        Options.Create(new Neo4jOptions
        {
            Uri = Environment.GetEnvironmentVariable("NEO4J_URI"),
            User = Environment.GetEnvironmentVariable("NEO4J_USER") ?? "neo4j",
            Password = Environment.GetEnvironmentVariable("NEO4J_PASSWORD"),
            Database = Environment.GetEnvironmentVariable("NEO4J_DATABASE") ?? "neo4j",
        }),
        NullLogger<QueryApiCypherRunner>.Instance);

    /// <summary>Deletes every node (the schema stays). Test-only: the store itself never sends this.</summary>
    public static Task EmptyAsync(ICypherRunner runner) =>
        runner.RunAsync(new CypherStatement("EmptyTestDatabase", "MATCH (n) DETACH DELETE n", new Dictionary<string, object?>()), CancellationToken.None);
}

[CollectionDefinition(Neo4jTestDatabase.Collection)]
public sealed class Neo4jTestDatabaseDefinition;
