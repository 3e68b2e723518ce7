using KnowledgeGraph.Api.Cli;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.Partners;

public sealed class KeysCommandTests : IDisposable
{
    private readonly TemporaryDirectory _data = new("kg-cli");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Dispose();
    }

    [Fact]
    public async Task Keys_create_prints_a_key_once_that_the_service_then_accepts_and_revoke_stops_it()
    {
        var settings = new Dictionary<string, string?> { ["Sqlite:DataDirectory"] = _data.Path };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var created = await KnowledgeGraphCli.RunAsync(["keys", "create", "--name", "acme", "--role", "partner"], output, error, settings);
        var secret = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        using var listed = new StringWriter();
        await KnowledgeGraphCli.RunAsync(["keys", "list"], listed, error, settings);

        await using var app = new KnowledgeGraphApp { Settings = [("Sqlite:DataDirectory", _data.Path)] };
        var accepted = await app.PostWithKeyAsync(secret, "{ __typename }");

        Assert.Equal(0, created);
        Assert.StartsWith("kg_", secret, StringComparison.Ordinal);
        Assert.Contains("partner\tacme\tactive", listed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, listed.ToString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.Status);

        var id = listed.ToString().Split('\t')[0];
        Assert.Equal(0, await KnowledgeGraphCli.RunAsync(["keys", "revoke", id], output, error, settings));
        Assert.Equal(1, await KnowledgeGraphCli.RunAsync(["keys", "revoke", id], output, error, settings));
    }

    [Fact]
    public async Task An_unknown_role_is_refused_with_a_message()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var status = await KnowledgeGraphCli.RunAsync(["keys", "create", "--name", "x", "--role", "owner"], output, error, new Dictionary<string, string?> { ["Sqlite:DataDirectory"] = _data.Path });

        Assert.NotEqual(0, status);
        Assert.Contains("owner", error.ToString(), StringComparison.Ordinal);
    }
}
