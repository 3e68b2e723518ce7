using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;
using KnowledgeGraph.Store.Neo4j.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>The HttpClient transport end to end, against a real HTTP server on loopback serving documented payloads.</summary>
public sealed class QueryApiCypherRunnerTests : IAsyncDisposable
{
    private const string Password = "s3cret-Pa55word";
    private readonly FixtureServer _server = new();
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private QueryApiCypherRunner Runner(Uri? uri = null, int maxRetries = 2, TimeSpan? timeout = null) =>
        new(
            _http,
            Options.Create(new Neo4jOptions
            {
                Uri = (uri ?? _server.Uri).ToString(),
                Database = "neo4j",
                User = "neo4j",
                Password = Password,
                MaxRetries = maxRetries,
                RetryDelay = TimeSpan.FromMilliseconds(10),
                RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
            }),
            NullLogger<QueryApiCypherRunner>.Instance);

    private static CypherStatement Statement(string name = "Test") =>
        new(name, "MERGE (p:Person {name: $name}) RETURN p AS person, p.name AS name", new Dictionary<string, object?> { ["name"] = "Phil", ["tags"] = new[] { "a" } });

    [Fact]
    public async Task A_statement_is_posted_with_its_parameters_credentials_and_typed_accept()
    {
        _server.ReplyFixture(202, "node-and-string.json");

        var result = await Runner().RunAsync(Statement(), CancellationToken.None);

        Assert.Equal("Phil", Assert.Single(result.Records).Get<string>("name"));
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/db/neo4j/query/v2", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("neo4j:" + Password)), request.Headers["Authorization"]);
        Assert.StartsWith(QueryApiCypherRunner.TypedJsonMediaType, request.Headers["Accept"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(Statement().Text, body.RootElement.GetProperty("statement").GetString());
        Assert.Equal("Phil", body.RootElement.GetProperty("parameters").GetProperty("name").GetString());
        Assert.Equal("a", body.RootElement.GetProperty("parameters").GetProperty("tags")[0].GetString());
    }

    [Fact]
    public async Task Refused_credentials_make_the_store_unavailable_at_once_without_leaking_the_password()
    {
        _server.ReplyFixture(401, "error-unauthorized.json");

        var exception = await Assert.ThrowsAsync<StoreUnavailableException>(() => Runner().RunAsync(Statement(), CancellationToken.None));

        Assert.Contains("credentials", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Neo.ClientError.Security.Unauthorized", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, exception.ToString(), StringComparison.Ordinal);
        Assert.Single(_server.Requests); // not retried
    }

    [Fact]
    public async Task Server_errors_are_retried_with_back_off_until_an_answer_comes()
    {
        _server.Reply(503, "Service Unavailable").Reply(502, "<html>bad gateway</html>").ReplyFixture(202, "ping.json");

        var result = await Runner(maxRetries: 2).RunAsync(Statement(), CancellationToken.None);

        Assert.Equal(1L, Assert.Single(result.Records).Get<long>("ok"));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Neo4j_transient_errors_are_retried()
    {
        _server.ReplyFixture(503, "error-transient.json").ReplyFixture(202, "ping.json");

        var result = await Runner().RunAsync(Statement(), CancellationToken.None);

        Assert.Single(result.Records);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Server_errors_that_outlast_the_retries_make_the_store_unavailable()
    {
        _server.Reply(503, "").Reply(503, "").Reply(503, "");

        var exception = await Assert.ThrowsAsync<StoreUnavailableException>(() => Runner(maxRetries: 2).RunAsync(Statement("Ping"), CancellationToken.None));

        Assert.Contains("HTTP 503", exception.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Invalid_cypher_is_a_query_error_naming_the_statement_and_is_not_retried()
    {
        _server.ReplyFixture(400, "error-syntax.json");

        var exception = await Assert.ThrowsAsync<Neo4jQueryException>(() => Runner().RunAsync(Statement("EntitiesByKeys"), CancellationToken.None));

        Assert.Equal("Neo.ClientError.Statement.SyntaxError", exception.Code);
        Assert.Contains("'EntitiesByKeys'", exception.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task An_unknown_database_makes_the_store_unavailable_naming_the_setting()
    {
        _server.ReplyFixture(404, "error-database-not-found.json");

        var exception = await Assert.ThrowsAsync<StoreUnavailableException>(() => Runner().RunAsync(Statement(), CancellationToken.None));

        Assert.Contains("Neo4j:Database", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_the_query_api_is_reported_as_such()
    {
        _server.Reply(404, "<html>Not Found</html>");

        var exception = await Assert.ThrowsAsync<StoreUnavailableException>(() => Runner().RunAsync(Statement(), CancellationToken.None));

        Assert.Contains("no Query API", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_that_outlasts_its_timeout_makes_the_store_unavailable()
    {
        _server.Reply(202, RepoPaths.Fixture("ping.json"), delay: TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<StoreUnavailableException>(
            () => Runner(maxRetries: 0, timeout: TimeSpan.FromMilliseconds(300)).RunAsync(Statement("Ping"), CancellationToken.None));

        Assert.Contains("did not answer 'Ping' within 0.3 s", exception.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_refused_connection_makes_the_store_unavailable_after_retrying()
    {
        var nobody = new Uri($"http://127.0.0.1:{FixtureServer.FreePort()}");

        var exception = await Assert.ThrowsAsync<StoreUnavailableException>(() => Runner(nobody, maxRetries: 1).RunAsync(Statement(), CancellationToken.None));

        Assert.Contains("cannot be reached", exception.Message, StringComparison.Ordinal);
        Assert.IsType<TransientNeo4jException>(exception.InnerException);
    }

    [Fact]
    public async Task A_caller_cancellation_is_not_turned_into_unavailability()
    {
        _server.Reply(202, RepoPaths.Fixture("ping.json"), delay: TimeSpan.FromSeconds(5));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner().RunAsync(Statement(), cancellation.Token));
    }

    [Fact]
    public async Task A_transaction_runs_its_statements_under_its_id_and_affinity_then_commits()
    {
        var affinity = new Dictionary<string, string> { [QueryApiCypherRunner.ClusterAffinityHeader] = "MTAuOC41Ljc6MTc0NzQ=" };
        _server.ReplyFixture(202, "transaction-open.json", affinity)
            .ReplyFixture(202, "node-and-string.json")
            .ReplyFixture(200, "transaction-commit.json");

        await using (var transaction = await Runner().BeginTransactionAsync(CancellationToken.None))
        {
            var result = await transaction.RunAsync(Statement(), CancellationToken.None);
            Assert.Single(result.Records);
            await transaction.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(
            ["POST /db/neo4j/query/v2/tx", "POST /db/neo4j/query/v2/tx/lyU", "POST /db/neo4j/query/v2/tx/lyU/commit"],
            _server.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.All(_server.Requests.Skip(1), r => Assert.Equal("MTAuOC41Ljc6MTc0NzQ=", r.Headers[QueryApiCypherRunner.ClusterAffinityHeader]));
    }

    [Fact]
    public async Task A_transaction_left_without_commit_is_rolled_back()
    {
        _server.ReplyFixture(202, "transaction-open.json")
            .ReplyFixture(400, "error-syntax.json")
            .Reply(200, "{}");

        await using (var transaction = await Runner().BeginTransactionAsync(CancellationToken.None))
        {
            await Assert.ThrowsAsync<Neo4jQueryException>(() => transaction.RunAsync(Statement(), CancellationToken.None));
        }

        Assert.Equal(["POST", "POST", "DELETE"], _server.Requests.Select(r => r.Method));
        Assert.Equal("/db/neo4j/query/v2/tx/lyU", _server.Requests[2].Path);
        Assert.Equal(2, _server.Requests.Count(r => r.Path.EndsWith("/tx/lyU", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Statements_in_a_transaction_are_never_retried()
    {
        _server.ReplyFixture(202, "transaction-open.json").Reply(503, "").Reply(200, "{}");

        await using (var transaction = await Runner(maxRetries: 3).BeginTransactionAsync(CancellationToken.None))
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => transaction.RunAsync(Statement(), CancellationToken.None));
        }

        Assert.Equal(3, _server.Requests.Count); // open, the failed statement once, the rollback
    }

    [Fact]
    public async Task A_health_check_gives_up_after_its_own_timeout()
    {
        _server.Reply(202, RepoPaths.Fixture("ping.json"), delay: TimeSpan.FromSeconds(5));
        var store = new Neo4jGraphStore(Runner()) { HealthTimeout = TimeSpan.FromMilliseconds(300) };
        var clock = Stopwatch.StartNew();

        var health = await store.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.IsHealthy);
        Assert.Contains("did not answer within 0.3 s", health.Description, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_store_reports_health_from_a_real_answer_and_never_throws_when_neo4j_is_away()
    {
        _server.ReplyFixture(202, "ping.json");
        var healthy = await new Neo4jGraphStore(Runner()).CheckHealthAsync(CancellationToken.None);

        var nobody = new Uri($"http://127.0.0.1:{FixtureServer.FreePort()}");
        var away = await new Neo4jGraphStore(Runner(nobody, maxRetries: 0)).CheckHealthAsync(CancellationToken.None);

        Assert.True(healthy.IsHealthy);
        Assert.False(away.IsHealthy);
        Assert.Contains("cannot be reached", away.Description, StringComparison.Ordinal);
    }
}
