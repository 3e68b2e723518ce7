using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Content;

/// <summary>
/// The seed as read against its article: each fact's basis, reporter, hedge, date, precision and base figure, and
/// what the graph leaves out, as <c>seed/README.md</c> documents them. These assert on content, through the API.
/// </summary>
public sealed partial class ArticleProvenanceTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string Article = "whatsapp-privacy-exodus-2021";

    private static readonly string[] FactFiles = ["relationships.json", "observations.json", "claims.json"];

    [Fact]
    public async Task The_seed_loads_with_its_facts_counted_by_basis()
    {
        var data = Ok(await app.PostAsync("""
            {
              all: facts(basis: [STATED, REPORTED, INFERRED], first: 100) { nodes { key } }
              stated: facts(basis: [STATED], first: 100) { nodes { key } }
              reported: facts(basis: [REPORTED], first: 100) { nodes { key } }
              inferred: facts(basis: [INFERRED], first: 100) { nodes { key } }
              claims(first: 100) { totalCount }
            }
            """));

        // 21 relationships, 7 observations, 14 claims.
        Assert.Equal(42, Total(data, "all"));
        Assert.Equal((32, 1, 9), (Total(data, "stated"), Total(data, "reported"), Total(data, "inferred")));
        Assert.Equal(14, data.GetProperty("claims").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task The_uncited_passages_of_the_article_are_exactly_those_seed_readme_lists()
    {
        var source = Ok(await app.PostAsync($$"""{ source(key: "{{Article}}") { uncitedPassages { excerpt } } }""")).GetProperty("source");

        var uncited = source.GetProperty("uncitedPassages").EnumerateArray().Select(p => p.GetProperty("excerpt").GetString()!).ToList();

        Assert.Equal(DocumentedUncitedSentences(), uncited);
    }

    [Fact]
    public async Task Every_sentence_of_the_article_is_cited_by_a_fact_or_a_quote_not_only_by_a_description()
    {
        var source = Ok(await app.PostAsync($$"""
            { source(key: "{{Article}}") { text citations { start end record { __typename } } uncitedPassages { start } } }
            """)).GetProperty("source");
        var text = source.GetProperty("text").GetString()!;
        var factSpans = source.GetProperty("citations").EnumerateArray()
            .Where(c => c.GetProperty("record").GetProperty("__typename").GetString() is "Relationship" or "Observation" or "Claim" or "Quote")
            .Select(c => (Start: c.GetProperty("start").GetInt32(), End: c.GetProperty("end").GetInt32()))
            .ToList();
        var documented = DocumentedUncitedSentences();

        var sentences = KnowledgeGraph.Api.GraphQL.SourceSentences.Split(text);

        Assert.Equal(25, sentences.Count);
        Assert.All(sentences, sentence =>
        {
            var words = KnowledgeGraph.Api.GraphQL.SourceSentences.Slice(text, sentence.Start, sentence.End);
            Assert.True(
                documented.Contains(words) || factSpans.Any(span => span.Start < sentence.End && sentence.Start < span.End),
                $"no relationship, observation, claim or quote cites: {words}");
        });
    }

    [Fact]
    public async Task The_72_hour_figure_is_reported_by_pavel_durov_rounded_and_dated_relative_to_the_article()
    {
        var figure = Assert.Single(Ok(await app.PostAsync("""
            {
              observations(subject: "telegram", metric: "NEW_USERS") {
                key value precision duration basis reportedBy { key } rationale(lang: EN) periodStart periodEnd dateBasis
              }
            }
            """)).GetProperty("observations").EnumerateArray());

        Assert.Equal("telegram-new-users-72h", figure.GetProperty("key").GetString());
        Assert.Equal(25_000_000, figure.GetProperty("value").GetDouble());
        Assert.Equal("PT72H", figure.GetProperty("duration").GetString());
        Assert.Equal("REPORTED", figure.GetProperty("basis").GetString());
        Assert.Equal("pavel-durov", figure.GetProperty("reportedBy").GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, figure.GetProperty("rationale").ValueKind);
        Assert.Equal("ROUNDED", figure.GetProperty("precision").GetString());
        Assert.Equal(("2021-01", "2021-01", "RELATIVE_TO_SOURCE"), (figure.GetProperty("periodStart").GetString(), figure.GetProperty("periodEnd").GetString(), figure.GetProperty("dateBasis").GetString()));
    }

    [Fact]
    public async Task The_four_regional_shares_are_shares_of_the_25_million_and_cite_the_words_that_say_so()
    {
        var shares = Ok(await app.PostAsync("""
            {
              observations(subject: "telegram", metric: "NEW_USERS_SHARE") {
                value region { key } basis shareOf { key value } citations { excerpt }
              }
            }
            """)).GetProperty("observations").EnumerateArray().ToList();

        Assert.Equal(
            [("asia", 38.0), ("europe", 27.0), ("latin-america", 21.0), ("middle-east", 8.0)],
            shares.Select(s => (s.GetProperty("region").GetProperty("key").GetString(), s.GetProperty("value").GetDouble())).OrderByDescending(s => s.Item2));
        Assert.All(shares, share =>
        {
            Assert.Equal("telegram-new-users-72h", share.GetProperty("shareOf").GetProperty("key").GetString());
            Assert.Equal(25_000_000, share.GetProperty("shareOf").GetProperty("value").GetDouble());
            Assert.Equal("STATED", share.GetProperty("basis").GetString());
            Assert.Contains("Sur les 25 millions d’utilisateurs obtenus", share.GetProperty("citations").EnumerateArray().Select(c => c.GetProperty("excerpt").GetString()));
        });
    }

    [Fact]
    public async Task Facebook_owning_whatsapp_is_inferred_with_a_rationale_in_both_languages()
    {
        var owns = Assert.Single(Ok(await app.PostAsync("""
            {
              entity(key: "whatsapp") {
                relationships(types: [OWNS], direction: INCOMING) {
                  nodes { key basis reportedBy { key } en: rationale(lang: EN) fr: rationale(lang: FR) }
                }
              }
            }
            """)).GetProperty("entity").GetProperty("relationships").GetProperty("nodes").EnumerateArray());

        Assert.Equal("facebook-owns-whatsapp", owns.GetProperty("key").GetString());
        Assert.Equal("INFERRED", owns.GetProperty("basis").GetString());
        Assert.Equal(JsonValueKind.Null, owns.GetProperty("reportedBy").ValueKind);
        Assert.Contains("“the Facebook service”", owns.GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.Contains("« le service Facebook »", owns.GetProperty("fr").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_inferred_fact_has_a_rationale_and_every_reported_one_a_reporter()
    {
        var data = Ok(await app.PostAsync("""
            {
              inferred: facts(basis: [INFERRED], first: 100) { nodes { key en: rationale(lang: EN) fr: rationale(lang: FR) reportedBy { key } } }
              reported: facts(basis: [REPORTED], first: 100) { nodes { key rationale(lang: EN) reportedBy { key } } }
            }
            """));

        var inferred = data.GetProperty("inferred").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(9, inferred.Count);
        Assert.All(inferred, fact =>
        {
            Assert.False(string.IsNullOrWhiteSpace(fact.GetProperty("en").GetString()), fact.ToString());
            Assert.False(string.IsNullOrWhiteSpace(fact.GetProperty("fr").GetString()), fact.ToString());
            Assert.Equal(JsonValueKind.Null, fact.GetProperty("reportedBy").ValueKind);
        });
        var reported = Assert.Single(data.GetProperty("reported").GetProperty("nodes").EnumerateArray());
        Assert.Equal("pavel-durov", reported.GetProperty("reportedBy").GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, reported.GetProperty("rationale").ValueKind);
    }

    [Fact]
    public async Task The_articles_hedges_are_kept_verbatim_on_its_claims()
    {
        var claims = Ok(await app.PostAsync("""{ claims(first: 100) { nodes { key basis hedge citations { excerpt } } } }"""))
            .GetProperty("claims").GetProperty("nodes").EnumerateArray()
            .Where(c => c.GetProperty("hedge").ValueKind == JsonValueKind.String)
            .ToDictionary(c => c.GetProperty("key").GetString()!, c => c);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["nothing-may-change"] = "Une autre possibilité",
                ["people-explore-private-messaging"] = "Ou du moins",
                ["privacy-concern-growing"] = "suggère",
                ["telegram-and-above-all-signal-serve-that-purpose"] = "apparemment",
            },
            claims.ToDictionary(c => c.Key, c => c.Value.GetProperty("hedge").GetString()!));
        Assert.All(claims.Values, claim => Assert.Contains(
            claim.GetProperty("citations").EnumerateArray(),
            c => c.GetProperty("excerpt").GetString()!.Contains(claim.GetProperty("hedge").GetString()!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_articles_second_scenario_and_reading_of_the_figures_are_claims_about_whatsapp()
    {
        var claims = Ok(await app.PostAsync("""{ entity(key: "whatsapp") { claims { key about { key } citations { excerpt } } } }"""))
            .GetProperty("entity").GetProperty("claims").EnumerateArray().ToList();

        var excerpts = claims.SelectMany(c => c.GetProperty("citations").EnumerateArray()).Select(c => c.GetProperty("excerpt").GetString()).ToList();
        Assert.Contains("Une autre possibilité est que rien ne change et que nous ne vivons qu’une étape d’incertitude avec la plateforme Facebook.", excerpts);
        Assert.Contains("Ces chiffres reflètent clairement qu’un grand nombre de personnes souhaitent abandonner WhatsApp.", excerpts);
        Assert.All(claims, c => Assert.Contains("whatsapp", c.GetProperty("about").EnumerateArray().Select(a => a.GetProperty("key").GetString())));
    }

    [Fact]
    public async Task Musks_attitude_to_facebook_is_a_claim_not_an_act_of_criticism()
    {
        var data = Ok(await app.PostAsync("""
            {
              entity(key: "elon-musk") {
                relationships(types: [CRITICIZED]) { totalCount }
                claims { key basis text(lang: EN) }
              }
            }
            """)).GetProperty("entity");

        Assert.Equal(0, data.GetProperty("relationships").GetProperty("totalCount").GetInt32());
        var attitude = data.GetProperty("claims").EnumerateArray().Single(c => c.GetProperty("key").GetString() == "musk-never-favoured-facebook-data-practices");
        Assert.Contains("it is well known", attitude.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Facts_the_article_dates_this_week_or_last_week_carry_its_month_marked_relative_to_the_source()
    {
        var data = Ok(await app.PostAsync("""
            {
              source(key: "whatsapp-privacy-exodus-2021") { publishedOn }
              signal: entity(key: "signal") {
                relationships(types: [TOPPED_CHART, DISPLACED], direction: OUTGOING) { nodes { key periodStart periodEnd dateBasis } }
              }
              record: observations(subject: "telegram", metric: "MONTHLY_ACTIVE_USERS") { periodStart periodEnd dateBasis }
              stated: observations(subject: "telegram", metric: "DAILY_NEW_USERS") { periodStart periodEnd dateBasis }
            }
            """));
        var month = data.GetProperty("source").GetProperty("publishedOn").GetString();

        Assert.Equal("2021-01", month);
        var events = data.GetProperty("signal").GetProperty("relationships").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events.Append(Assert.Single(data.GetProperty("record").EnumerateArray())), fact =>
            Assert.Equal((month, month, "RELATIVE_TO_SOURCE"), (fact.GetProperty("periodStart").GetString(), fact.GetProperty("periodEnd").GetString(), fact.GetProperty("dateBasis").GetString())));
        var year = Assert.Single(data.GetProperty("stated").EnumerateArray());
        Assert.Equal(("2020", "STATED"), (year.GetProperty("periodStart").GetString(), year.GetProperty("dateBasis").GetString()));
    }

    [Fact]
    public void Every_relationship_observation_and_claim_of_the_seed_sets_its_basis_explicitly()
    {
        var records = FactFiles.SelectMany(file => Records(file).Select(record => (file, record))).ToList();

        Assert.Equal(42, records.Count);
        Assert.All(records, r => Assert.True(
            r.record["basis"]?.GetValue<string>() is "STATED" or "REPORTED" or "INFERRED",
            $"{r.file} {r.record["key"]} has no explicit basis"));
    }

    [Fact]
    public void Every_relative_date_of_the_seed_is_no_finer_than_the_sources_month()
    {
        var published = Records("sources.json").Single()["publishedOn"]!.GetValue<string>();
        var dated = FactFiles.SelectMany(Records).Where(r => r["dateBasis"] is not null).ToList();

        Assert.Equal(15, dated.Count);
        Assert.All(dated.Where(r => r["dateBasis"]!.GetValue<string>() == "RELATIVE_TO_SOURCE"), r =>
        {
            Assert.All(new[] { r["periodStart"], r["periodEnd"] }.Where(d => d is not null), d => Assert.Equal(published, d!.GetValue<string>()));
        });
        Assert.All(FactFiles.SelectMany(Records).Where(r => r["dateBasis"] is null), r =>
            Assert.True(r["periodStart"] is null && r["periodEnd"] is null, $"{r["key"]} has a period without a dateBasis"));
    }

    [Fact]
    public void No_description_states_durovs_figure_as_the_articles_own()
    {
        // Durov's own description attributes it with "He said" / "Il a déclaré".
        var descriptions = Records("entities.json")
            .Where(e => e["key"]!.GetValue<string>() != "pavel-durov")
            .SelectMany(e => new[] { e["description"]!["en"]!.GetValue<string>(), e["description"]!["fr"]!.GetValue<string>() })
            .Where(d => d.Contains("25 million", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(10, descriptions.Count);
        Assert.All(descriptions, d => Assert.Contains("Durov", d, StringComparison.Ordinal));
    }

    [Fact]
    public void The_seeds_own_french_says_conditions_dutilisation_and_the_quote_says_it_is_translated()
    {
        // Excerpts are the article's words and keep its calque; everything the seed writes itself is checked.
        var written = new List<string>();
        void Collect(JsonNode? node, string? name)
        {
            switch (node)
            {
                case JsonObject o when name != "citations":
                    foreach (var (key, value) in o)
                    {
                        Collect(value, key);
                    }

                    break;
                case JsonArray a when name != "citations":
                    foreach (var item in a)
                    {
                        Collect(item, name);
                    }

                    break;
                case JsonValue v when v.TryGetValue<string>(out var s) && name is not ("text" or "excerpt"):
                    written.Add(s);
                    break;
            }
        }

        foreach (var file in new[] { "entities.json", "relationships.json", "observations.json", "claims.json", "quotes.json", "sources.json" })
        {
            Collect(JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Seed, file))), null);
        }

        Assert.DoesNotContain(written, s => s.Contains("termes et conditions", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(written, s => s.Contains("conditions d’utilisation", StringComparison.Ordinal));
        var quote = Assert.Single(Records("quotes.json"));
        Assert.EndsWith("(Translated from the article’s French, not Pavel Durov’s own wording.)", quote["translation"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static int Total(JsonElement data, string field) => data.GetProperty(field).GetProperty("nodes").GetArrayLength();

    private static IEnumerable<JsonObject> Records(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Seed, file)))!.AsArray().Select(n => n!.AsObject());

    // The fenced `uncited` block of seed/README.md, one sentence a line.
    private static List<string> DocumentedUncitedSentences()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Seed, "README.md"));
        var block = UncitedBlock().Match(readme);
        Assert.True(block.Success, "seed/README.md has no ```uncited block");
        return block.Groups["lines"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    [GeneratedRegex("```uncited\\n(?<lines>.*?)```", RegexOptions.Singleline)]
    private static partial Regex UncitedBlock();
}
