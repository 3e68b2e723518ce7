using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Partners;

/// <summary>How the source knows a fact, over HTTP: claims written without offsets, facts listed by basis, refusals with their inputPath.</summary>
public sealed class ProvenanceTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Source = "whatsapp-privacy-exodus-2021";
    private const string Hedged = "Télégramme, mais surtout Signal, ils servent apparemment cet objectif";

    private const string UpsertClaim = """
        mutation($input: ClaimInput!) {
          upsertClaim(input: $input) { changed results { type key outcome record { id ... on Claim { key } } } }
        }
        """;

    private const string UpsertRelationship = """
        mutation($input: RelationshipInput!) { upsertRelationship(input: $input) { changed } }
        """;

    private readonly KnowledgeGraphApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_partner_writes_a_claim_citing_without_offsets_and_reads_it_on_its_entities_with_both_offsets()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        var input = new
        {
            key = "signal-apparently-serves",
            text = new { en = "Telegram and above all Signal apparently serve that aim.", fr = "Télégramme et surtout Signal servent apparemment cet objectif." },
            about = new[] { "telegram", "signal" },
            hedge = "apparemment",
            citations = new[] { new { source = Source, excerpt = Hedged } },
        };

        var written = Ok(await _app.PostWithKeyAsync(key, UpsertClaim, new { input })).GetProperty("upsertClaim");
        var read = Ok(await _app.PostAsync("""
            {
              entity(key: "signal") { claims { key basis hedge text(lang: FR) about { key } citations { excerpt start end utf16Start utf16End } } }
              claims(about: ["telegram"]) { totalCount nodes { key } }
              source(key: "whatsapp-privacy-exodus-2021") { text }
            }
            """));

        Assert.Equal(("CLAIM", "CREATED"), (written.GetProperty("results")[0].GetProperty("type").GetString(), written.GetProperty("results")[0].GetProperty("outcome").GetString()));
        var claim = read.GetProperty("entity").GetProperty("claims").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "signal-apparently-serves");
        Assert.Equal(("STATED", "apparemment"), (claim.GetProperty("basis").GetString(), claim.GetProperty("hedge").GetString()));
        Assert.Equal(["telegram", "signal"], claim.GetProperty("about").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        var citation = claim.GetProperty("citations")[0];
        var text = read.GetProperty("source").GetProperty("text").GetString()!;
        var utf16 = (citation.GetProperty("utf16Start").GetInt32(), citation.GetProperty("utf16End").GetInt32());
        Assert.Equal(Hedged, text[utf16.Item1..utf16.Item2]);
        Assert.Equal(text.IndexOf(Hedged, StringComparison.Ordinal), utf16.Item1);
        Assert.Contains(read.GetProperty("claims").GetProperty("nodes").EnumerateArray(), c => c.GetProperty("key").GetString() == "signal-apparently-serves");
    }

    [Fact]
    public async Task A_passage_a_claim_cites_is_no_longer_among_the_sources_uncited_passages()
    {
        // The seed's article is cited throughout, so the passages come from a source of the test's own.
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        const string OwnSource = "claims-cover-passages";
        Ok(await _app.PostWithKeyAsync(key, """
            mutation($text: String!) {
              upsertSource(input: { key: "claims-cover-passages", title: { en: "T", fr: "T" }, language: FR, publishedOn: "2024", text: $text }) { changed }
            }
            """, new { text = "Threema est une messagerie suisse. Elle est payante depuis toujours. Rien ne dit qu’elle va changer." }));
        const string Uncited = """{ source(key: "claims-cover-passages") { uncitedPassages { excerpt } } }""";
        var before = Ok(await _app.PostAsync(Uncited)).GetProperty("source").GetProperty("uncitedPassages").EnumerateArray().Select(p => p.GetProperty("excerpt").GetString()!).ToList();
        var passage = before.First(p => p.Contains("payante", StringComparison.Ordinal));

        Ok(await _app.PostWithKeyAsync(key, UpsertClaim, new
        {
            input = new
            {
                key = "a-reading-of-the-article",
                text = new { en = "What the passage says.", fr = "Ce que dit le passage." },
                about = new[] { "whatsapp" },
                citations = new[] { new { source = OwnSource, excerpt = passage } },
            },
        }));
        var after = Ok(await _app.PostAsync(Uncited)).GetProperty("source").GetProperty("uncitedPassages").EnumerateArray().Select(p => p.GetProperty("excerpt").GetString()!).ToList();

        Assert.DoesNotContain(passage, after);
        Assert.Equal(before.Count - 1, after.Count);
    }

    [Fact]
    public async Task Facts_lists_every_reported_fact_with_its_reporter_and_every_inferred_one_with_its_rationale()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);
        var citation = new { source = Source, excerpt = "Selon Pavel Durov" };
        Ok(await _app.PostWithKeyAsync(key, UpsertRelationship, new
        {
            input = new
            {
                key = "telegram-competes-with-whatsapp-reported",
                type = "COMPETES_WITH",
                from = "telegram",
                to = "whatsapp",
                basis = "REPORTED",
                reportedBy = "pavel-durov",
                periodStart = "2021-01",
                dateBasis = "RELATIVE_TO_SOURCE",
                citations = new[] { citation },
            },
        }));
        Ok(await _app.PostWithKeyAsync(key, UpsertRelationship, new
        {
            input = new
            {
                key = "telegram-competes-with-signal-inferred",
                type = "COMPETES_WITH",
                from = "telegram",
                to = "signal",
                basis = "INFERRED",
                rationale = new { en = "Both are named as the rivals people move to.", fr = "Les deux sont nommés comme les rivaux vers lesquels on part." },
                citations = new[] { new { source = Source, excerpt = Hedged } },
            },
        }));

        var facts = Ok(await _app.PostAsync("""
            {
              facts(basis: [REPORTED, INFERRED], first: 100) {
                pageInfo { hasNextPage }
                nodes { __typename key basis reportedBy { key } rationale(lang: EN) ... on Relationship { periodStart dateBasis } }
              }
            }
            """)).GetProperty("facts");

        var nodes = facts.GetProperty("nodes").EnumerateArray().ToList();
        var reported = nodes.Single(n => n.GetProperty("key").GetString() == "telegram-competes-with-whatsapp-reported");
        var inferred = nodes.Single(n => n.GetProperty("key").GetString() == "telegram-competes-with-signal-inferred");
        Assert.Equal(("Relationship", "pavel-durov", "2021-01", "RELATIVE_TO_SOURCE"), (
            reported.GetProperty("__typename").GetString(), reported.GetProperty("reportedBy").GetProperty("key").GetString(),
            reported.GetProperty("periodStart").GetString(), reported.GetProperty("dateBasis").GetString()));
        Assert.Equal("Both are named as the rivals people move to.", inferred.GetProperty("rationale").GetString());
        Assert.All(nodes, n => Assert.Contains(n.GetProperty("basis").GetString(), new[] { "REPORTED", "INFERRED" }));
        Assert.Equal(nodes.Select(n => n.GetProperty("key").GetString()).Order(StringComparer.Ordinal), nodes.Select(n => n.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task A_fact_whose_provenance_does_not_hold_is_refused_with_the_path_of_each_problem()
    {
        var key = await _app.IssueKeyAsync(ApiRole.Partner);

        var refused = await _app.PostWithKeyAsync(key, """
            mutation($input: GraphWriteInput!) { write(input: $input) { changed } }
            """, new
        {
            input = new
            {
                relationships = new[]
                {
                    new { key = "telegram-competes-with-whatsapp-x", type = "COMPETES_WITH", from = "telegram", to = "whatsapp", basis = "REPORTED", hedge = "sûrement", citations = new[] { new { source = Source, excerpt = "WhatsApp" } } },
                },
                claims = new[]
                {
                    new { key = "a-claim", text = new { en = "A.", fr = "A." }, about = Array.Empty<string>(), citations = new[] { new { source = Source, excerpt = "absent from the article" } } },
                },
            },
        });

        Assert.Equal("WRITE_VALIDATION_FAILED", refused.ErrorCodes.Distinct().Single());
        var paths = refused.Errors.Select(e => e.GetProperty("extensions").GetProperty("inputPath").GetString()).ToList();
        Assert.Equal(
            ["input.claims[0].about", "input.claims[0].citations[0].excerpt", "input.relationships[0].citations[0].excerpt", "input.relationships[0].reportedBy"],
            paths.Order(StringComparer.Ordinal).Where(p => p != "input.relationships[0].hedge"));
        Assert.Contains("input.relationships[0].hedge", paths);
        Assert.Contains(refused.Errors, e => e.GetProperty("message").GetString()!.Contains("occurs 6 times", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, Ok(await _app.PostAsync("""{ relationship(key: "telegram-competes-with-whatsapp-x") { key } }""")).GetProperty("relationship").ValueKind);
    }
}
