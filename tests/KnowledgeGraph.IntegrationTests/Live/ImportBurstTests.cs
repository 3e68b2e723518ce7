using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KnowledgeGraph.Api.Http.WebSockets;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Live;

/// <summary>
/// Over real sockets, during a real 5,000-row <c>POST /import</c>: subscribers that read keep up (each batch is one
/// event, with <c>skipped</c> counting the others) and stay open; a subscriber that does not read is still cut off.
/// </summary>
public sealed class ImportBurstTests
{
    private const int Rows = 5_000;
    private const string Article = "whatsapp-privacy-exodus-2021";
    private const string Excerpt = "les rivaux de WhatsApp";

    [Fact]
    public async Task A_bulk_import_keeps_reading_subscribers_open_with_every_change_accounted_for_and_cuts_off_one_that_does_not_read()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Live:SendTimeout", "00:00:01")] };
        var address = app.StartKestrel();
        var handler = app.Services.GetRequiredService<GraphQLWebSocketHandler>();
        var partner = await app.IssueKeyAsync(ApiRole.Partner);

        var readers = new List<GraphQLWsClient>();
        for (var i = 0; i < 10; i++)
        {
            var reader = await GraphQLWsClient.ConnectAsync(address);
            await reader.InitAsync();
            await reader.SubscribeAsync("apps", "subscription { entityChanged(kinds: [APP]) { key revision skipped entity { name } } }");
            readers.Add(reader);
        }

        // Every event it gets is large (30 copies of the cited source's text), and it has 25 subscriptions: far more than
        // the socket buffers hold once the import runs.
        var heavy = "subscription { entityChanged(kinds: [APP]) { " + string.Concat(Enumerable.Range(0, 30).Select(i => $"e{i}: entity {{ citations {{ source {{ text }} }} }} ")) + "} }";
        var silent = await GraphQLWsClient.ConnectAsync(address, receive: false);
        await silent.SendAsync(new { type = "connection_init" });
        for (var i = 0; i < 25; i++)
        {
            await silent.SendAsync(new { id = $"s{i}", type = "subscribe", payload = new { query = heavy } });
        }

        await app.WaitForSubscribersAsync(35);

        var (status, report) = await ImportAsync(address, partner, await CsvAsync(app));
        Assert.True(status == HttpStatusCode.OK, report);

        // Every reader hears every change: the events' 1 + skipped add up to the rows imported (bounded wait).
        var totals = new int[readers.Count];
        var events = new int[readers.Count];
        var folded = 0;
        for (var r = 0; r < readers.Count; r++)
        {
            while (totals[r] < Rows)
            {
                var change = (await readers[r].NextDataAsync("apps", TimeSpan.FromSeconds(30))).GetProperty("entityChanged");
                var skipped = change.GetProperty("skipped").GetInt32();
                totals[r] += 1 + skipped;
                events[r]++;
                folded += skipped > 0 ? 1 : 0;
                Assert.StartsWith("Rival ", change.GetProperty("entity").GetProperty("name").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.All(totals, total => Assert.Equal(Rows, total));
        Assert.All(events, count => Assert.InRange(count, 1, Rows / 20));
        Assert.True(folded > 0);

        // The silent one is cut off once a send to it passes Live:SendTimeout (bounded wait, not a timing assertion).
        for (var waited = 0; handler.OpenConnections > readers.Count && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(readers.Count, handler.OpenConnections);
        foreach (var reader in readers)
        {
            Assert.Equal(System.Net.WebSockets.WebSocketState.Open, reader.State);
            await reader.SubscribeAsync("q", "{ __typename }");
            Assert.Equal("Query", (await reader.NextDataAsync("q")).GetProperty("__typename").GetString());
            await reader.DisposeAsync();
        }

        await silent.DisposeAsync();
    }

    private static async Task<string> CsvAsync(KnowledgeGraphApp app)
    {
        var text = (await app.PostAsync($$"""{ source(key: "{{Article}}") { text } }""")).Data.GetProperty("source").GetProperty("text").GetString()!;
        var start = text.IndexOf(Excerpt, StringComparison.Ordinal);
        var csv = new StringBuilder("key,kind,name_en,name_fr,description_en,description_fr,citation1_source,citation1_start,citation1_end,citation1_excerpt\r\n");
        for (var i = 1; i <= Rows; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"burst-rival-{i},APP,Rival {i},Rival {i},A rival of WhatsApp.,Un rival de WhatsApp.,{Article},{start},{start + Excerpt.Length},{Excerpt}\r\n");
        }

        return csv.ToString();
    }

    private static async Task<(HttpStatusCode Status, string Body)> ImportAsync(Uri address, string key, string csv)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/import?format=entities-csv") { Content = new StringContent(csv, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
