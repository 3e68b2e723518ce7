using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Exchange;

/// <summary>
/// <c>POST /import</c>: a file as the request body, larger than a GraphQL request may be, imported in batches through
/// the one write path; a refusal (no key, a reader's key, too large, unreadable) writes nothing.
/// </summary>
public sealed class HttpImportTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Article = "whatsapp-privacy-exodus-2021";
    private const string Excerpt = "les rivaux de WhatsApp";
    private const string Header = "key,kind,name_en,name_fr,description_en,description_fr,citation1_source,citation1_start,citation1_end,citation1_excerpt\r\n";

    private readonly DeclaredLengths _declared = new();
    private readonly KnowledgeGraphApp _app;
    private (int Start, int End) _excerpt;

    public HttpImportTests() => _app = new()
    {
        Settings = [("Limits:MaxImportBytes", "1048576")],
        TestServices = services => services.AddSingleton<IStartupFilter>(_declared),
    };

    public async Task InitializeAsync()
    {
        var text = (await _app.PostAsync($$"""{ source(key: "{{Article}}") { text } }""")).Data.GetProperty("source").GetProperty("text").GetString()!;
        var start = text.IndexOf(Excerpt, StringComparison.Ordinal);
        _excerpt = (start, start + Excerpt.Length);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_csv_larger_than_a_graphql_request_imports_batch_by_batch_and_again_changes_nothing()
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);
        // 1,500 rows of about 250 bytes: well past the 256 KiB a GraphQL request may carry. Row 700 misquotes the
        // article, so the second batch (rows 501 to 1,000) is refused whole and the others land.
        var csv = Csv(1_500, misquoted: 700);
        Assert.True(Encoding.UTF8.GetByteCount(csv) > 256 * 1024);

        var (status, first) = await ImportAsync(partner, "entities-csv", csv, batchSize: "500");
        var (_, again) = await ImportAsync(partner, "entities-csv", csv, batchSize: "500");
        var read = (await _app.PostAsync("""{ landed: entity(key: "rival-1") { name } refused: entity(key: "rival-600") { key } last: entity(key: "rival-1500") { name } }""")).Data;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1_000, 0, 0, 500), Counts(first));
        Assert.Equal([true, false, true], first.GetProperty("batches").EnumerateArray().Select(b => b.GetProperty("written").GetBoolean()));
        var rejected = first.GetProperty("rejectedRows");
        Assert.Equal(500, rejected.GetArrayLength());
        var misquoted = rejected.EnumerateArray().Single(r => r.GetProperty("key").GetString() == "rival-700");
        Assert.Equal("line 701", misquoted.GetProperty("location").GetString());
        Assert.Equal("citation1_excerpt", misquoted.GetProperty("problems")[0].GetProperty("inputPath").GetString());
        Assert.Contains("batch 2 was refused", rejected[0].GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((0, 0, 1_000, 500), Counts(again));
        Assert.Equal("Rival 1", read.GetProperty("landed").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("refused").ValueKind);
        Assert.Equal("Rival 1500", read.GetProperty("last").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_seed_format_as_one_document_imports_too()
    {
        var admin = await _app.IssueKeyAsync(ApiRole.Admin);
        var document = JsonSerializer.Serialize(new
        {
            entities = new[]
            {
                new
                {
                    key = "wire",
                    kind = "APP",
                    name = new { en = "Wire", fr = "Wire" },
                    description = new { en = "A rival of WhatsApp.", fr = "Un rival de WhatsApp." },
                    aliases = Array.Empty<object>(),
                    citations = new[] { new { source = Article, start = _excerpt.Start, end = _excerpt.End, excerpt = Excerpt } },
                },
            },
        });

        var (status, report) = await ImportAsync(admin, "seed-json", document);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((1, 0, 0, 0), Counts(report));
        Assert.Equal("Wire", (await _app.PostAsync("""{ entity(key: "wire") { name } }""")).Data.GetProperty("entity").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Without_a_key_or_with_a_readers_key_nothing_is_imported()
    {
        var reader = await _app.IssueKeyAsync(ApiRole.Reader);

        var anonymous = await ImportAsync(null, "entities-csv", Csv(2));
        var invalid = await ImportAsync("kg_not-a-key", "entities-csv", Csv(2));
        var read = await ImportAsync(reader, "entities-csv", Csv(2));

        // One body shape for every refusal of /import: a problem document with its code.
        AssertRefused(anonymous, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        AssertRefused(invalid, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        AssertRefused(read, HttpStatusCode.Forbidden, "FORBIDDEN");
        await AssertNotWrittenAsync("rival-1");
    }

    [Fact]
    public async Task A_file_over_the_import_limit_is_refused_with_413_whether_its_length_is_declared_or_not()
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);
        // About 1.6 MiB against a limit of 1 MiB.
        var csv = Csv(6_000);

        var declared = await ImportAsync(partner, "entities-csv", csv);
        var streamed = await ImportAsync(partner, "entities-csv", csv, declareLength: false);

        AssertRefused(declared, HttpStatusCode.RequestEntityTooLarge, "REQUEST_TOO_LARGE");
        AssertRefused(streamed, HttpStatusCode.RequestEntityTooLarge, "REQUEST_TOO_LARGE");
        await AssertNotWrittenAsync("rival-1");
    }

    [Theory]
    [InlineData("entities-csv", "key,kind,colour\r\nrival-1,APP,red\r\n", "IMPORT_UNREADABLE", "colour")]
    [InlineData("seed-json", "{ not json", "IMPORT_UNREADABLE", "")]
    [InlineData("graphml", "<graphml/>", "BAD_USER_INPUT", "graphml")]
    [InlineData("seed", "{}", "BAD_USER_INPUT", "seed-json")]
    public async Task Unreadable_content_or_an_unknown_format_is_refused_before_anything_is_written(string format, string content, string code, string mentioned)
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);

        var answer = await ImportAsync(partner, format, content);

        AssertRefused(answer, HttpStatusCode.BadRequest, code);
        Assert.Contains(mentioned, answer.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNotWrittenAsync("rival-1");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("many")]
    public async Task A_batch_size_out_of_range_is_refused(string batchSize)
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);

        AssertRefused(await ImportAsync(partner, "entities-csv", Csv(2), batchSize), HttpStatusCode.BadRequest, "BAD_USER_INPUT");
        await AssertNotWrittenAsync("rival-1");
    }

    private static (int Created, int Updated, int Unchanged, int Rejected) Counts(JsonElement report) => (
        report.GetProperty("created").GetInt32(),
        report.GetProperty("updated").GetInt32(),
        report.GetProperty("unchanged").GetInt32(),
        report.GetProperty("rejected").GetInt32());

    private static void AssertRefused((HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status, string code)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal(code, answer.Body.GetProperty("code").GetString());
    }

    private async Task AssertNotWrittenAsync(string key)
    {
        var read = await _app.PostAsync($$"""{ entity(key: "{{key}}") { key } }""");
        Assert.Equal(JsonValueKind.Null, read.Data.GetProperty("entity").ValueKind);
    }

    private string Csv(int rows, int misquoted = 0)
    {
        var csv = new StringBuilder(Header);
        for (var i = 1; i <= rows; i++)
        {
            var excerpt = i == misquoted ? "les rivaux de Signal" : Excerpt;
            csv.Append(CultureInfo.InvariantCulture, $"rival-{i},APP,Rival {i},Rival {i},\"A rival of WhatsApp, number {i}, as the article counts them among its rivals.\",Un rival de WhatsApp parmi d'autres.,{Article},{_excerpt.Start},{_excerpt.End},{excerpt}\r\n");
        }

        return csv.ToString();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ImportAsync(string? key, string format, string content, string? batchSize = null, bool declareLength = true)
    {
        var uri = $"/import?format={Uri.EscapeDataString(format)}" + (batchSize is null ? string.Empty : $"&batchSize={Uri.EscapeDataString(batchSize)}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        var bytes = Encoding.UTF8.GetBytes(content);
        request.Content = declareLength ? new ByteArrayContent(bytes) : new UnknownLengthContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(format.EndsWith("csv", StringComparison.Ordinal) ? "text/csv" : "application/json");
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var client = _app.CreateUnbufferedClient();
        using var response = await client.SendAsync(request);
        Assert.Equal(declareLength ? bytes.Length : null, _declared.Last);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }

    // What Content-Length the server saw on the last import, to know which of its two size checks a test reached.
    private sealed class DeclaredLengths : IStartupFilter
    {
        public long? Last { get; private set; }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Path.StartsWithSegments("/import", StringComparison.Ordinal))
                {
                    Last = context.Request.ContentLength;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }

    // A body whose length the client does not know in advance, so it is sent without Content-Length.
    private sealed class UnknownLengthContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(16 * 1024, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
