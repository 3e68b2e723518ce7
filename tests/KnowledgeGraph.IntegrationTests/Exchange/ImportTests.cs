using System.Net;
using System.Text.Json;
using KnowledgeGraph.Api.Cli;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using KnowledgeGraph.Testing;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Exchange;

/// <summary>Bulk import over HTTP and from the command line, through the same validation and write path as every write.</summary>
public sealed class ImportTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Article = "whatsapp-privacy-exodus-2021";
    private const string ImportGraph = """
        mutation($format: ImportFormat!, $content: String!, $batchSize: Int) {
          importGraph(format: $format, content: $content, batchSize: $batchSize) {
            created updated unchanged rejected
            batches { number rows written revision }
            rows { row location type key batch outcome problems { inputPath message } }
          }
        }
        """;

    private const string ThreemaText = "Threema est une messagerie suisse chiffrée, rivale de WhatsApp.";

    private readonly KnowledgeGraphApp _app = new();
    private string _article = string.Empty;

    public async Task InitializeAsync() =>
        _article = Ok(await _app.PostAsync("""{ source(key: "whatsapp-privacy-exodus-2021") { text } }""")).GetProperty("source").GetProperty("text").GetString()!;

    public Task DisposeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_seed_format_document_imports_and_reads_back_with_its_citations_and_the_same_import_again_is_all_unchanged()
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);
        var content = SeedDocument();

        var first = Ok(await _app.PostWithKeyAsync(partner, ImportGraph, new { format = "SEED_JSON", content })).GetProperty("importGraph");
        var again = Ok(await _app.PostWithKeyAsync(partner, ImportGraph, new { format = "SEED_JSON", content })).GetProperty("importGraph");
        var read = Ok(await _app.PostAsync("""
            {
              entity(key: "threema") {
                name(lang: FR) kind citations { source { key } excerpt start end }
                relationships(types: [COMPETES_WITH]) { edges { node { key to { key } citations { excerpt } } } }
              }
            }
            """)).GetProperty("entity");

        Assert.Equal((3, 0, 0, 0), Counts(first));
        Assert.Equal((0, 0, 3, 0), Counts(again));
        Assert.Equal(["CREATED", "CREATED", "CREATED"], first.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()));
        Assert.Equal("entities[0]", first.GetProperty("rows")[1].GetProperty("location").GetString());
        Assert.Equal("Threema", read.GetProperty("name").GetString());
        var citation = read.GetProperty("citations")[0];
        Assert.Equal(("threema-article", "Threema est une messagerie suisse chiffrée", 0, 42), (citation.GetProperty("source").GetProperty("key").GetString(), citation.GetProperty("excerpt").GetString(), citation.GetProperty("start").GetInt32(), citation.GetProperty("end").GetInt32()));
        var edge = read.GetProperty("relationships").GetProperty("edges")[0].GetProperty("node");
        Assert.Equal(("threema-competes-with-whatsapp", "whatsapp", "rivale de WhatsApp"), (edge.GetProperty("key").GetString(), edge.GetProperty("to").GetProperty("key").GetString(), edge.GetProperty("citations")[0].GetProperty("excerpt").GetString()));
    }

    [Fact]
    public async Task A_csv_with_one_bad_row_refuses_that_batch_with_the_reason_and_writes_the_other_batches()
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);
        var csv = EntitiesCsv(
            Row("threema", "Threema", "les rivaux de WhatsApp"),
            Row("wire", "Wire", "les rivaux de WhatsApp"),
            Row("viber", "Viber", "les rivaux de WhatsApp", misquote: true),
            Row("line-app", "LINE", "les rivaux de WhatsApp"));

        var report = Ok(await _app.PostWithKeyAsync(partner, ImportGraph, new { format = "ENTITIES_CSV", content = csv, batchSize = 2 })).GetProperty("importGraph");
        var read = Ok(await _app.PostAsync("""{ threema: entity(key: "threema") { key } wire: entity(key: "wire") { key } viber: entity(key: "viber") { key } line: entity(key: "line-app") { key } }"""));

        Assert.Equal((2, 0, 0, 2), Counts(report));
        Assert.Equal([true, false], report.GetProperty("batches").EnumerateArray().Select(b => b.GetProperty("written").GetBoolean()));
        var viber = report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "viber");
        Assert.Equal((4, "REJECTED", 2), (viber.GetProperty("row").GetInt32(), viber.GetProperty("outcome").GetString(), viber.GetProperty("batch").GetInt32()));
        var problem = Assert.Single(viber.GetProperty("problems").EnumerateArray());
        Assert.Equal("citation1_excerpt", problem.GetProperty("inputPath").GetString());
        Assert.Contains("the excerpt \"les rivaux de Signal\" is not at", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        var line = report.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "line-app");
        Assert.Equal("REJECTED", line.GetProperty("outcome").GetString());
        Assert.Contains("batch 2 was refused", line.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, read.GetProperty("threema").ValueKind);
        Assert.Equal(JsonValueKind.Object, read.GetProperty("wire").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("viber").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("line").ValueKind);
    }

    [Fact]
    public async Task A_relationships_csv_imports_with_its_properties_and_an_unreadable_row_is_named_by_its_line()
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);
        var (start, end) = Find("Telegram a également battu");
        var csv = "key,type,from,to,chart,occurred_on,note_en,note_fr,citation1_source,citation1_start,citation1_end,citation1_excerpt\r\n"
            + $"telegram-competes-with-signal,COMPETES_WITH,telegram,signal,,2021-01,\"Both gained, says the article.\",\"Les deux ont gagné.\",{Article},{start},{end},Telegram a également battu\r\n"
            + $"telegram-rivals-signal,RIVALS,telegram,signal,,,,,{Article},{start},{end},Telegram a également battu\r\n";

        var report = Ok(await _app.PostWithKeyAsync(partner, ImportGraph, new { format = "RELATIONSHIPS_CSV", content = csv, batchSize = 1 })).GetProperty("importGraph");
        var read = Ok(await _app.PostAsync("""{ relationship(key: "telegram-competes-with-signal") { type occurredOn note } }"""));

        Assert.Equal((1, 0, 0, 1), Counts(report));
        var bad = report.GetProperty("rows")[1];
        Assert.Equal((3, "type"), (bad.GetProperty("row").GetInt32(), bad.GetProperty("problems")[0].GetProperty("inputPath").GetString()));
        Assert.Contains("RIVALS", bad.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("COMPETES_WITH", read.GetProperty("relationship").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_reader_key_cannot_import_and_unreadable_content_is_refused_naming_the_content()
    {
        var reader = await _app.IssueKeyAsync(ApiRole.Reader);
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);

        var refused = await _app.PostWithKeyAsync(reader, ImportGraph, new { format = "SEED_JSON", content = SeedDocument() });
        var notJson = await _app.PostWithKeyAsync(partner, ImportGraph, new { format = "SEED_JSON", content = "{ not json" });
        var badColumn = await _app.PostWithKeyAsync(partner, ImportGraph, new { format = "ENTITIES_CSV", content = "key,kind,colour\r\n" });
        var read = Ok(await _app.PostAsync("""{ entity(key: "threema") { key } }"""));

        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (refused.Status, refused.ErrorCodes.Single()));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("entity").ValueKind);
        Assert.Equal("IMPORT_UNREADABLE", notJson.ErrorCodes.Single());
        Assert.Equal("content", notJson.Errors[0].GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Contains("colour", badColumn.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_import_writes_beside_a_running_server_shows_progress_and_reports_with_its_exit_code()
    {
        using var folder = new TemporaryDirectory("kg-import");
        var good = Path.Combine(folder.Path, "good.csv");
        var bad = Path.Combine(folder.Path, "bad.csv");
        await File.WriteAllTextAsync(good, EntitiesCsv(Row("threema", "Threema", "les rivaux de WhatsApp"), Row("wire", "Wire", "les rivaux de WhatsApp")));
        await File.WriteAllTextAsync(bad, EntitiesCsv(Row("viber", "Viber", "les rivaux de WhatsApp", misquote: true)));
        var settings = new Dictionary<string, string?> { ["Sqlite:DataDirectory"] = _app.DataDirectory };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var status = await KnowledgeGraphCli.RunAsync(["import", good, "--batch-size", "1"], output, error, settings);
        using var refusedOutput = new StringWriter();
        var refused = await KnowledgeGraphCli.RunAsync(["import", bad, "--format", "entities-csv"], refusedOutput, error, settings);
        var read = Ok(await _app.PostAsync("""{ threema: entity(key: "threema") { name } viber: entity(key: "viber") { key } }"""));

        Assert.Equal(0, status);
        Assert.Contains("Importing good.csv in batches of 1", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("2 rows (100% of the input)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("created", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("Threema", read.GetProperty("threema").GetProperty("name").GetString());
        Assert.Equal(KnowledgeGraphCli.SomeRowsRejected, refused);
        Assert.Contains("citation1_excerpt", refusedOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("viber").ValueKind);
    }

    private static (int Created, int Updated, int Unchanged, int Rejected) Counts(JsonElement report) => (
        report.GetProperty("created").GetInt32(),
        report.GetProperty("updated").GetInt32(),
        report.GetProperty("unchanged").GetInt32(),
        report.GetProperty("rejected").GetInt32());

    private static string SeedDocument() => JsonSerializer.Serialize(new
    {
        sources = new[]
        {
            new { key = "threema-article", title = new { en = "About Threema", fr = "À propos de Threema" }, language = "fr", publishedOn = "2021-02", url = (string?)null, text = ThreemaText },
        },
        entities = new[]
        {
            new
            {
                key = "threema",
                kind = "APP",
                name = new { en = "Threema", fr = "Threema" },
                description = new { en = "A Swiss encrypted messenger.", fr = "Une messagerie suisse chiffrée." },
                aliases = Array.Empty<object>(),
                citations = new[] { new { source = "threema-article", start = 0, end = 42, excerpt = ThreemaText[..42] } },
            },
        },
        relationships = new[]
        {
            new
            {
                key = "threema-competes-with-whatsapp",
                type = "COMPETES_WITH",
                from = "threema",
                to = "whatsapp",
                citations = new[] { new { source = "threema-article", start = 44, end = 62, excerpt = ThreemaText[44..62] } },
            },
        },
    });

    private (int Start, int End) Find(string excerpt)
    {
        var start = _article.IndexOf(excerpt, StringComparison.Ordinal);
        return (start, start + excerpt.Length);
    }

    private string Row(string key, string name, string excerpt, bool misquote = false)
    {
        var (start, end) = Find(excerpt);
        var quoted = misquote ? "les rivaux de Signal" : excerpt;
        return $"{key},APP,{name},{name},\"A rival of WhatsApp, per the article.\",Un rival de WhatsApp.,{name} Messenger,,,{Article},{start},{end},{quoted}";
    }

    private static string EntitiesCsv(params string[] rows) =>
        "key,kind,name_en,name_fr,description_en,description_fr,aliases,aliases_en,aliases_fr,citation1_source,citation1_start,citation1_end,citation1_excerpt\r\n"
        + string.Join("\r\n", rows) + "\r\n";
}
