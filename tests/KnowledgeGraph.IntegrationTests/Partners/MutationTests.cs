using System.Net;
using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Partners;

/// <summary>Partners' writes over HTTP: keys and roles, provenance, idempotence, all-or-nothing, history.</summary>
public sealed class MutationTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Source = "whatsapp-privacy-exodus-2021";
    private const string UpsertEntity = """
        mutation($input: EntityInput!) {
          upsertEntity(input: $input) { changed revision results { type key outcome record { id ... on App { key name citations { excerpt } } } } }
        }
        """;

    private readonly KnowledgeGraphApp _app = new();
    private string _text = string.Empty;

    public async Task InitializeAsync() =>
        _text = Ok(await _app.PostAsync("""{ source(key: "whatsapp-privacy-exodus-2021") { text } }""")).GetProperty("source").GetProperty("text").GetString()!;

    public Task DisposeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_partner_creates_an_entity_and_the_same_write_again_changes_nothing_and_says_so()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        var input = Threema();

        var first = Ok(await _app.PostWithKeyAsync(key, UpsertEntity, new { input })).GetProperty("upsertEntity");
        var again = Ok(await _app.PostWithKeyAsync(key, UpsertEntity, new { input }, header: "X-Api-Key")).GetProperty("upsertEntity");
        var read = Ok(await _app.PostAsync("""{ entity(key: "threema") { name citations { excerpt start end } } }""")).GetProperty("entity");

        Assert.True(first.GetProperty("changed").GetBoolean());
        Assert.Equal("CREATED", first.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal("threema", first.GetProperty("results")[0].GetProperty("record").GetProperty("key").GetString());
        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal("UNCHANGED", again.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(first.GetProperty("revision").GetString(), again.GetProperty("revision").GetString());
        Assert.Equal("Threema", read.GetProperty("name").GetString());
        Assert.Equal("les rivaux de WhatsApp", read.GetProperty("citations")[0].GetProperty("excerpt").GetString());
    }

    [Fact]
    public async Task A_write_without_a_key_is_refused_401_and_with_a_reader_key_403_and_nothing_is_written()
    {
        var reader = await _app.IssueKeyAsync(ApiRole.Reader);

        var anonymous = await _app.PostAsync(UpsertEntity, new { input = Threema() });
        var withReader = await _app.PostWithKeyAsync(reader, UpsertEntity, new { input = Threema() });
        var read = Ok(await _app.PostAsync("""{ entity(key: "threema") { key } }"""));

        Assert.Equal((HttpStatusCode.Unauthorized, "UNAUTHENTICATED"), (anonymous.Status, anonymous.ErrorCodes.Single()));
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (withReader.Status, withReader.ErrorCodes.Single()));
        Assert.Equal(JsonValueKind.Null, read.GetProperty("entity").ValueKind);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_even_for_reads()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Admin);
        var unknown = await _app.PostWithKeyAsync("kg_not-a-real-key", "{ __typename }");
        var known = await _app.PostWithKeyAsync(key, "{ __typename }");

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Equal(["UNAUTHENTICATED"], unknown.ErrorCodes);
        Assert.Equal("Bearer", unknown.Header("WWW-Authenticate"));
        Assert.DoesNotContain("kg_not-a-real-key", unknown.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, known.Status);
    }

    [Fact]
    public async Task A_write_without_provenance_is_refused_with_the_path_of_the_bad_input()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        var uncited = Threema() with { citations = [] };
        var misquoted = Threema() with { citations = [new CitationInput(Source, "les rivaux de Signal", 0, 20)] };

        var noCitation = await _app.PostWithKeyAsync(key, UpsertEntity, new { input = uncited });
        var wrongExcerpt = await _app.PostWithKeyAsync(key, UpsertEntity, new { input = misquoted });
        var read = Ok(await _app.PostAsync("""{ entity(key: "threema") { key } }"""));

        Assert.Equal("WRITE_VALIDATION_FAILED", Assert.Single(noCitation.ErrorCodes));
        Assert.Equal("input.citations", noCitation.Errors[0].GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Equal("input.citations[0].excerpt", wrongExcerpt.Errors[0].GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("entity").ValueKind);
    }

    [Fact]
    public async Task Text_beyond_its_limit_or_with_control_characters_and_figures_beyond_the_kept_range_are_refused_with_their_path()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        var withNul = Threema() with { name = new { en = "Three\u0000ma", fr = "Threema" } };
        var tooLong = Threema() with { description = new { en = new string('a', 10_001), fr = "Un rival." } };
        var figure = new
        {
            key = "threema-users",
            subject = "whatsapp",
            metric = "NEW_USERS",
            value = 1e29,
            unit = "people",
            precision = "EXACT",
            citations = new[] { Cite("les rivaux de WhatsApp") },
        };

        var nul = await _app.PostWithKeyAsync(key, UpsertEntity, new { input = withNul });
        var longText = await _app.PostWithKeyAsync(key, UpsertEntity, new { input = tooLong });
        var huge = await _app.PostWithKeyAsync(key, "mutation($input: ObservationInput!) { upsertObservation(input: $input) { changed } }", new { input = figure });
        var read = Ok(await _app.PostAsync("""{ entity(key: "threema") { key } }"""));

        Assert.Equal("WRITE_VALIDATION_FAILED", Assert.Single(nul.ErrorCodes));
        Assert.Equal("input.name.en", nul.Errors[0].GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Contains("U+0000", nul.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("input.description.en", Assert.Single(longText.Errors).GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Equal("WRITE_VALIDATION_FAILED", Assert.Single(huge.ErrorCodes));
        Assert.Equal("input.value", huge.Errors[0].GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("entity").ValueKind);
    }

    [Fact]
    public async Task A_figure_beyond_what_is_kept_in_a_batch_is_refused_at_its_index_and_nothing_is_written()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        object Figure(string figureKey, double value) => new
        {
            key = figureKey,
            subject = "whatsapp",
            metric = "NEW_USERS",
            value,
            unit = "people",
            precision = "EXACT",
            citations = new[] { Cite("les rivaux de WhatsApp") },
        };

        var response = await _app.PostWithKeyAsync(key, "mutation($input: GraphWriteInput!) { write(input: $input) { changed } }", new
        {
            input = new { observations = new[] { Figure("kept-figure", 12), Figure("unkept-figure", -1e29) } },
        });
        var read = Ok(await _app.PostAsync("""{ entity(key: "whatsapp") { observations { key } } }"""));

        Assert.Equal("WRITE_VALIDATION_FAILED", Assert.Single(response.ErrorCodes));
        Assert.Equal("input.observations[1].value", response.Errors[0].GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.StartsWith("input.observations[1].value: -1E+29 is beyond the figures kept", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("kept-figure", read.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_text_for_a_cited_source_is_refused_at_its_text()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);

        var replaced = await _app.PostWithKeyAsync(key, """
            mutation { upsertSource(input: { key: "whatsapp-privacy-exodus-2021", title: { en: "T", fr: "T" }, language: FR, publishedOn: "2021-01", text: "Forty characters of something else, here." }) { changed } }
            """);
        var text = Ok(await _app.PostAsync("""{ source(key: "whatsapp-privacy-exodus-2021") { text } }""")).GetProperty("source").GetProperty("text").GetString();

        Assert.Equal("WRITE_VALIDATION_FAILED", Assert.Single(replaced.ErrorCodes));
        Assert.Equal("input.text", replaced.Errors[0].GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Equal(_text, text);
    }

    [Fact]
    public async Task A_source_keeps_the_date_its_text_was_retrieved_and_refuses_one_that_is_not_a_date()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        const string Upsert = "mutation($input: SourceInput!) { upsertSource(input: $input) { changed } }";
        object Source(string retrievedOn) => new
        {
            key = "signal-blog-2021",
            title = new { en = "Signal's blog", fr = "Le blog de Signal" },
            language = "EN",
            publishedOn = "2021-01",
            url = "https://signal.org/blog/",
            retrievedOn,
            text = "Signal is a nonprofit.",
        };

        var written = await _app.PostWithKeyAsync(key, Upsert, new { input = Source("2026-11-30") });
        var notADate = await _app.PostWithKeyAsync(key, Upsert, new { input = Source("last week") });
        var read = Ok(await _app.PostAsync("""{ source(key: "signal-blog-2021") { retrievedOn } article: source(key: "whatsapp-privacy-exodus-2021") { retrievedOn } }"""));

        Assert.Empty(written.ErrorCodes);
        Assert.Equal("WRITE_VALIDATION_FAILED", Assert.Single(notADate.ErrorCodes));
        Assert.Equal("input.retrievedOn", notADate.Errors[0].GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Equal("2026-11-30", read.GetProperty("source").GetProperty("retrievedOn").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("article").GetProperty("retrievedOn").ValueKind);
    }

    [Fact]
    public async Task A_batch_with_one_bad_record_writes_nothing_at_all()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        var goodEntity = Threema();
        var badRelationship = new
        {
            key = "threema-competes-with-nobody",
            type = "COMPETES_WITH",
            from = "threema",
            to = "nobody",
            citations = new[] { Cite("les rivaux de WhatsApp") },
        };

        var response = await _app.PostWithKeyAsync(key, "mutation($input: GraphWriteInput!) { write(input: $input) { changed } }", new
        {
            input = new { entities = new[] { goodEntity }, relationships = new[] { badRelationship } },
        });
        var read = Ok(await _app.PostAsync("""{ entity(key: "threema") { key } }"""));

        Assert.Equal("input.relationships[0].to", Assert.Single(response.Errors).GetProperty("extensions").GetProperty("inputPath").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("entity").ValueKind);
    }

    [Fact]
    public async Task A_retraction_hides_the_fact_from_reads_and_admins_see_who_when_and_why()
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner, "acme");
        var admin = await _app.IssueKeyAsync(ApiRole.Admin);
        const string History = """{ history(type: RELATIONSHIP, key: "signal-displaced-whatsapp") { outcome actor at reason snapshot } }""";

        var retracted = Ok(await _app.PostWithKeyAsync(partner, """
            mutation { retract(input: { type: RELATIONSHIP, key: "signal-displaced-whatsapp", reason: "disputed" }) { results { outcome record { id } } } }
            """)).GetProperty("retract");
        var whatsapp = Ok(await _app.PostAsync("""{ entity(key: "whatsapp") { ... on App { displacedBy { key } } } }""")).GetProperty("entity");
        var history = Ok(await _app.PostWithKeyAsync(admin, History)).GetProperty("history");
        var asPartner = await _app.PostWithKeyAsync(partner, History);
        var throughFragment = await _app.PostWithKeyAsync(partner, """query { ...H } fragment H on Query { history(type: ENTITY, key: "tesla") { actor } }""");

        Assert.Equal("RETRACTED", retracted.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, retracted.GetProperty("results")[0].GetProperty("record").ValueKind);
        Assert.Empty(whatsapp.GetProperty("displacedBy").EnumerateArray());
        var entry = Assert.Single(history.EnumerateArray());
        Assert.Equal(("RETRACTED", "disputed"), (entry.GetProperty("outcome").GetString(), entry.GetProperty("reason").GetString()));
        Assert.StartsWith("key_", entry.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Contains("DISPLACED", entry.GetProperty("snapshot").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal((HttpStatusCode.Forbidden, "FORBIDDEN"), (asPartner.Status, asPartner.ErrorCodes.Single()));
        Assert.Equal(HttpStatusCode.Forbidden, throughFragment.Status);
    }

    [Fact]
    public async Task A_write_is_recorded_with_the_key_id_and_never_the_key()
    {
        var partner = await _app.IssueKeyAsync(ApiRole.Partner);
        var admin = await _app.IssueKeyAsync(ApiRole.Admin);

        Ok(await _app.PostWithKeyAsync(partner, UpsertEntity, new { input = Threema() }));
        var history = Ok(await _app.PostWithKeyAsync(admin, """{ history(type: ENTITY, key: "threema") { outcome actor snapshot } }""")).GetProperty("history");

        var entry = Assert.Single(history.EnumerateArray());
        Assert.Equal("CREATED", entry.GetProperty("outcome").GetString());
        Assert.DoesNotContain(partner, entry.GetRawText(), StringComparison.Ordinal);
        Assert.StartsWith("key_", entry.GetProperty("actor").GetString(), StringComparison.Ordinal);
    }

    private EntityInputRecord Threema() => new(
        "threema",
        "APP",
        new { en = "Threema", fr = "Threema" },
        new { en = "A rival of WhatsApp.", fr = "Un rival de WhatsApp." },
        [Cite("les rivaux de WhatsApp")]);

    private CitationInput Cite(string excerpt)
    {
        var start = _text.IndexOf(excerpt, StringComparison.Ordinal);
        return new CitationInput(Source, excerpt, start, start + excerpt.Length);
    }

    // Shaped as the GraphQL input, lower-case names included.
#pragma warning disable IDE1006, SA1300
    private sealed record EntityInputRecord(string key, string kind, object name, object description, CitationInput[] citations);

    private sealed record CitationInput(string source, string excerpt, int start, int end);
#pragma warning restore IDE1006, SA1300
}
