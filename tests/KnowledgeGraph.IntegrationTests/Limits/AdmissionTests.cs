using System.Net;
using System.Text.Json;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using KnowledgeGraph.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>
/// Expensive operations over real HTTP (Kestrel): searches held in the store so that they are in flight together, a
/// client past its share refused with 429, others still admitted, cheap queries never counted, and a search past its
/// deadline cancelled.
/// </summary>
public sealed class AdmissionTests
{
    private const string Search = "query($text: String!) { search(text: $text) { entity { key } } }";
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task A_client_past_its_share_of_expensive_operations_gets_429_while_others_and_cheap_queries_are_served()
    {
        await using var app = Start(("Limits:Admission:MaxPerClient", "2"), ("Limits:Admission:MaxTotal", "3"));
        var admission = app.Services.GetRequiredService<ExpensiveOperationAdmission>();
        var heavy = await app.IssueKeyAsync(ApiRole.Reader, "heavy");
        var other = await app.IssueKeyAsync(ApiRole.Reader, "other");
        var third = await app.IssueKeyAsync(ApiRole.Reader, "third");

        var held = new List<Task<GraphQLResponse>>
        {
            app.PostWithKeyAsync(heavy, Search, new { text = "telegram" }),
            app.PostWithKeyAsync(heavy, Search, new { text = "signal" }),
        };
        await WaitUntilAsync(() => admission.Running == 2);

        var refused = await app.PostWithKeyAsync(heavy, Search, new { text = "whatsapp" });
        var cheap = await app.PostWithKeyAsync(heavy, """{ entity(key: "telegram") { name } }""");
        held.Add(app.PostWithKeyAsync(other, Search, new { text = "musk" }));
        await WaitUntilAsync(() => admission.Running == 3);
        var overTotal = await app.PostWithKeyAsync(third, "{ path(from: \"elon-musk\", to: \"whatsapp\") { length } }");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Equal(KnowledgeGraph.Api.Errors.ErrorCodes.ConcurrencyLimited, refused.Errors[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(1, refused.Errors[0].GetProperty("extensions").GetProperty("retryAfter").GetInt32());
        Assert.Equal(HttpStatusCode.OK, cheap.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, overTotal.Status);

        _release.SetResult();
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.Status);
        }

        Assert.Equal(0, admission.Running);
        Assert.Equal(HttpStatusCode.OK, (await app.PostWithKeyAsync(heavy, Search, new { text = "whatsapp" })).Status);
    }

    [Fact]
    public async Task A_name_scan_a_large_page_and_an_order_by_degree_count_as_expensive_and_a_small_page_by_name_does_not()
    {
        // Refused at once rather than after a wait, so that the held operation is still within its deadline at the end.
        await using var app = Start(("Limits:Admission:MaxPerClient", "1"), ("Limits:Admission:LargePage", "50"), ("Limits:Admission:QueueTimeout", "00:00:00"));
        var admission = app.Services.GetRequiredService<ExpensiveOperationAdmission>();
        var heavy = await app.IssueKeyAsync(ApiRole.Reader, "heavy");
        var held = app.PostWithKeyAsync(heavy, Search, new { text = "telegram" });
        await WaitUntilAsync(() => admission.Running == 1);

        var scan = await app.PostWithKeyAsync(heavy, "query($w: EntityFilter) { entities(where: $w) { totalCount } }", new { w = new { nameContains = "gram" } });
        var large = await app.PostWithKeyAsync(heavy, "{ entities(first: 80) { totalCount } }");
        var fragment = await app.PostWithKeyAsync(heavy, "{ ...F } fragment F on Query { search(text: \"signal\") { score } }");
        var small = await app.PostWithKeyAsync(heavy, "{ entities(first: 10) { totalCount } }");
        var byDegree = await app.PostWithKeyAsync(heavy, "{ entities(orderBy: [{ field: NAME }, { field: DEGREE, direction: DESC }], first: 5) { totalCount } }");
        var byDegreeInVariables = await app.PostWithKeyAsync(heavy, "query($o: [EntityOrder!]) { entities(orderBy: $o, first: 5) { totalCount } }", new { o = new[] { new { field = "DEGREE" } } });
        var byDegreeInAVariableField = await app.PostWithKeyAsync(heavy, "query($f: EntityOrderField!) { entities(orderBy: { field: $f }, first: 5) { totalCount } }", new { f = "DEGREE" });
        var byName = await app.PostWithKeyAsync(heavy, "{ entities(orderBy: [{ field: NAME }], last: 5) { totalCount } }");
        _release.SetResult();

        Assert.Equal(HttpStatusCode.TooManyRequests, scan.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, large.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, fragment.Status);
        Assert.Equal(HttpStatusCode.OK, small.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, byDegree.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, byDegreeInVariables.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, byDegreeInAVariableField.Status);
        Assert.Equal(HttpStatusCode.OK, byName.Status);
        Assert.Equal(HttpStatusCode.OK, (await held).Status);
    }

    [Fact]
    public async Task Over_a_websocket_a_third_expensive_operation_gets_an_error_with_CONCURRENCY_LIMITED_and_the_socket_stays_open()
    {
        await using var app = Start(("Limits:Admission:MaxPerClient", "2"), ("Limits:Admission:MaxTotal", "3"));
        var admission = app.Services.GetRequiredService<ExpensiveOperationAdmission>();
        await using var client = await GraphQLWsClient.ConnectAsync(app.ClientOptions.BaseAddress);
        await client.InitAsync();

        await client.SubscribeAsync("1", Search, new { text = "telegram" });
        await client.SubscribeAsync("2", Search, new { text = "signal" });
        await WaitUntilAsync(() => admission.Running == 2);
        await client.SubscribeAsync("3", Search, new { text = "whatsapp" });
        var refused = await client.ReceiveAsync();

        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("3", refused.GetProperty("id").GetString());
        var error = Assert.Single(refused.GetProperty("payload").EnumerateArray());
        Assert.Equal(KnowledgeGraph.Api.Errors.ErrorCodes.ConcurrencyLimited, error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, client.State);

        _release.SetResult();
        var answered = new List<string>();
        for (var completed = 0; completed < 2;)
        {
            var message = await client.ReceiveAsync();
            var type = message.GetProperty("type").GetString();
            completed += type == "complete" ? 1 : 0;
            if (type == "next")
            {
                answered.Add(message.GetProperty("id").GetString()!);
            }
        }

        Assert.Equal(["1", "2"], answered.Order(StringComparer.Ordinal));
        await client.SubscribeAsync("4", Search, new { text = "whatsapp" });
        var admitted = await client.NextDataAsync("4");
        Assert.Equal(JsonValueKind.Array, admitted.GetProperty("search").ValueKind);
    }

    [Fact]
    public async Task An_expensive_operation_past_its_deadline_is_cancelled_with_504()
    {
        await using var app = Start(("Limits:Admission:Deadline", "00:00:00.300"));
        var admission = app.Services.GetRequiredService<ExpensiveOperationAdmission>();

        // Never released: only the deadline ends it.
        var response = await app.PostAsync(Search, new { text = "telegram" });

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.Status);
        Assert.Equal("TIMEOUT", response.Errors[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(0, admission.Running);
    }

    private KnowledgeGraphApp Start(params (string, string)[] settings)
    {
        var app = new KnowledgeGraphApp
        {
            Settings = [.. settings, ("Limits:RateLimit:Enabled", "false")],
            TestServices = services =>
            {
                var real = services.Single(s => s.ServiceType == typeof(IGraphStore));
                services.Remove(real);
                services.AddSingleton<IGraphStore>(sp => new CountingGraphStore((IGraphStore)real.ImplementationFactory!(sp))
                {
                    BeforeSearch = cancellationToken => _release.Task.WaitAsync(cancellationToken),
                });
            },
        };
        app.UseKestrel(0);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        app.ClientOptions.BaseAddress = new Uri(address);
        return app;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the operations never got in flight together");
            await Task.Delay(10);
        }
    }
}
