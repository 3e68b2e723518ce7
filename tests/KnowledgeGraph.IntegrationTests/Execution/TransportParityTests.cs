using System.Net;
using System.Security.Cryptography;
using System.Text;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Execution;

/// <summary>
/// One pipeline for every transport: each policy gives the same answer over POST, GET and WebSocket. Only the framing
/// differs: an HTTP status over HTTP, an <c>error</c> (or <c>next</c>) message over WebSocket.
/// </summary>
public sealed class TransportParityTests
{
    private const string WhatsApp = """{ entity(key: "whatsapp") { name } }""";

    public static TheoryData<Transport> Transports => [Transport.Post, Transport.Get, Transport.WebSocket];

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task With_only_trusted_documents_an_untrusted_one_is_refused_and_a_trusted_one_runs(Transport transport)
    {
        await using var app = new KnowledgeGraphApp { Settings = [("PersistedOperations:OnlyTrusted", "true")] };
        var trusted = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "schema", "operations", "WhoOwnsWhatsApp.graphql"));

        var untrusted = await app.RunAsync(transport, WhatsApp);
        var byHash = await app.RunAsync(transport, null, extensions: new { persistedQuery = new { version = 1, sha256Hash = Sha256(trusted) } });

        Assert.Equal(["TRUSTED_DOCUMENT_REQUIRED"], untrusted.Codes);
        Assert.False(untrusted.Data.ValueKind == System.Text.Json.JsonValueKind.Object, $"an untrusted document ran: {untrusted}");
        ExpectStatus(transport, HttpStatusCode.Forbidden, untrusted);
        Assert.Empty(byHash.Codes);
        Assert.Equal("WhatsApp", byHash.Data.GetProperty("entity").GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Roles_refuse_the_same_fields_for_the_same_callers(Transport transport)
    {
        await using var app = new KnowledgeGraphApp();
        var reader = await app.IssueKeyAsync(ApiRole.Reader);
        var admin = await app.IssueKeyAsync(ApiRole.Admin);
        const string history = """{ history(type: ENTITY, key: "whatsapp") { revision } }""";

        var anonymous = await app.RunAsync(transport, history);
        var forbidden = await app.RunAsync(transport, history, reader);
        var allowed = await app.RunAsync(transport, history, admin);

        Assert.Equal(["UNAUTHENTICATED"], anonymous.Codes);
        ExpectStatus(transport, HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(["FORBIDDEN"], forbidden.Codes);
        ExpectStatus(transport, HttpStatusCode.Forbidden, forbidden);
        Assert.Empty(allowed.Codes);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, allowed.Data.GetProperty("history").ValueKind);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Document_limits_refuse_the_same_documents(Transport transport)
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Limits:MaxAliases", "1")] };

        var refused = await app.RunAsync(transport, """{ a: entity(key: "whatsapp") { name } b: entity(key: "signal") { name } }""");
        var allowed = await app.RunAsync(transport, """{ a: entity(key: "whatsapp") { name } }""");

        Assert.Equal(["TOO_MANY_ALIASES"], refused.Codes);
        ExpectStatus(transport, HttpStatusCode.UnprocessableEntity, refused);
        Assert.Equal("WhatsApp", allowed.Data.GetProperty("a").GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_rate_limit_refuses_the_request_over_the_budget(Transport transport)
    {
        // Two permits: over WebSocket the handshake takes one and the first operation the other.
        await using var app = new KnowledgeGraphApp { Settings = [("Limits:RateLimit:PermitLimit", "2")] };
        TransportAnswer within, over;
        if (transport == Transport.WebSocket)
        {
            await using var client = await GraphQLWsClient.ConnectAndInitAsync(app);
            within = await client.RunAsync("1", WhatsApp);
            over = await client.RunAsync("2", WhatsApp);
        }
        else
        {
            await app.RunAsync(transport, WhatsApp);
            within = await app.RunAsync(transport, WhatsApp);
            over = await app.RunAsync(transport, WhatsApp);
        }

        Assert.Empty(within.Codes);
        Assert.Equal(["RATE_LIMITED"], over.Codes);
        ExpectStatus(transport, HttpStatusCode.TooManyRequests, over);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_repeated_query_is_answered_from_the_response_cache(Transport transport)
    {
        CountingGraphStore? store = null;
        await using var app = new KnowledgeGraphApp
        {
            TestServices = services =>
            {
                var real = services.Single(s => s.ServiceType == typeof(IGraphStore));
                services.Remove(real);
                services.AddSingleton<IGraphStore>(sp => store = new CountingGraphStore((IGraphStore)real.ImplementationFactory!(sp)));
            },
        };

        // The first answer is stored, whichever transport asked; the second reads nothing from the store.
        var first = await app.RunAsync(transport, WhatsApp);
        store!.Reset();
        var second = await app.RunAsync(transport, WhatsApp);
        var callsForSecond = store.Calls;
        var overPost = await app.RunAsync(Transport.Post, WhatsApp);

        Assert.Equal("WhatsApp", first.Data.GetProperty("entity").GetProperty("name").GetString());
        Assert.Equal(first.Data.GetRawText(), second.Data.GetRawText());
        Assert.Equal(0, callsForSecond);
        Assert.Equal(0, store.Calls);
        Assert.Equal(first.Data.GetRawText(), overPost.Data.GetRawText());
    }

    private static void ExpectStatus(Transport transport, HttpStatusCode status, TransportAnswer answer)
    {
        if (transport != Transport.WebSocket)
        {
            Assert.True(status == answer.Status, $"expected {(int)status}, got {answer}");
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
