using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KnowledgeGraph.IntegrationTests.Partners;

public sealed class KeysInLogsTests : IAsyncDisposable
{
    private readonly CapturingLoggerProvider _logs = new();
    private readonly KnowledgeGraphApp _app;

    public KeysInLogsTests() =>
        _app = new KnowledgeGraphApp { TestServices = services => services.AddSingleton<ILoggerProvider>(_logs) };

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _logs.Dispose();
    }

    [Fact]
    public async Task No_log_line_or_error_ever_holds_a_key_valid_or_not()
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);
        const string Forged = "kg_forged-key-that-must-not-be-logged";

        var read = await _app.PostWithKeyAsync(partner, """{ entity(key: "whatsapp") { name } }""");
        var write = await _app.PostWithKeyAsync(partner, """mutation { retract(input: { type: ENTITY, key: "myspace", reason: "test" }) { changed } }""");
        var forged = await _app.PostWithKeyAsync(Forged, "{ __typename }", header: "X-Api-Key");
        var bad = await _app.PostWithKeyAsync(partner, "{ entity(key: ) }");

        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(_logs.Lines, line => line.Contains("Write", StringComparison.Ordinal) || line.Contains("graphql", StringComparison.OrdinalIgnoreCase));
        foreach (var secret in new[] { partner, Forged, ApiKeySecrets.Hash(partner) })
        {
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.All(new[] { read, write, forged, bad }, response => Assert.DoesNotContain(secret, response.Body, StringComparison.Ordinal));
        }
    }
}
