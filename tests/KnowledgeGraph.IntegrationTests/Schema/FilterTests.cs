using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Schema;

/// <summary>Composable filters, orders, counts and "what links them", over real HTTP against the seeded SQLite store.</summary>
public sealed class FilterTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string Entities = """
        query($where: EntityFilter, $orderBy: [EntityOrder!], $first: Int, $after: String) {
          entities(where: $where, orderBy: $orderBy, first: $first, after: $after) {
            totalCount
            edges { cursor node { key } }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private async Task<List<string?>> KeysAsync(object where)
    {
        var entities = Ok(await app.PostAsync(Entities, new { where, first = 100 })).GetProperty("entities");
        return entities.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()).ToList();
    }

    [Fact]
    public async Task The_apps_facebook_owns()
    {
        var data = Ok(await app.PostAsync("""
            { entities(where: { related: { type: OWNS, direction: INCOMING, node: { key: { eq: "facebook" } } } }) { nodes { key } } }
            """));

        Assert.Equal(["whatsapp"], Keys(data.GetProperty("entities").GetProperty("nodes")));
    }

    [Fact]
    public async Task Apps_other_than_whatsapp_that_gained_from_the_terms_update_and_those_that_did_not()
    {
        var touched = new
        {
            kind = new { eq = "APP" },
            OR = new object[]
            {
                new { related = new { type = "BENEFITED_FROM", direction = "OUTGOING", node = new { key = new { eq = "whatsapp-terms-update-2021" } } } },
                new { related = new { type = "INVOLVED_IN", node = new { key = new { eq = "whatsapp-terms-update-2021" } } } },
            },
        };
        var gained = new
        {
            kind = new { eq = "APP" },
            NOT = new { key = new { eq = "whatsapp" } },
            related = new { type = "BENEFITED_FROM", direction = "OUTGOING", node = new { kind = new { eq = "CONTROVERSY" }, related = new { type = "INVOLVED_IN", direction = "INCOMING", node = new { key = new { eq = "whatsapp" } } } } },
        };

        Assert.Equal(["signal", "telegram", "whatsapp"], await KeysAsync(touched));
        Assert.Equal(["signal", "telegram"], await KeysAsync(new { AND = new object[] { touched, new { NOT = new { key = new { eq = "whatsapp" } } } } }));
        Assert.Equal(["signal", "telegram"], await KeysAsync(gained));
        Assert.Equal(["whatsapp"], await KeysAsync(new { kind = new { eq = "APP" }, NOT = new { related = new { type = "BENEFITED_FROM" } } }));
    }

    [Fact]
    public async Task Entities_with_more_than_100_million_monthly_active_users()
    {
        Assert.Equal(["telegram"], await KeysAsync(new { observation = new { metric = "MONTHLY_ACTIVE_USERS", value = new { gt = 100_000_000 } } }));
        Assert.Empty(await KeysAsync(new { observation = new { metric = "MONTHLY_ACTIVE_USERS", value = new { gt = 500_000_000 } } }));
        Assert.Equal(["telegram"], await KeysAsync(new { observation = new { metric = "NEW_USERS_SHARE", value = new { gte = 38, lte = 38 } } }));
    }

    [Theory]
    [InlineData("contains", "AMERIQUE", "latin-america")]
    [InlineData("startsWith", "moyen", "middle-east")]
    [InlineData("eq", "telegram", "telegram")]
    [InlineData("eq", "scandales de confidentialité de facebook", "facebook-privacy-scandals")]
    [InlineData("contains", "elon musk’s", "musk-endorses-signal-2021")]
    [InlineData("contains", "ELON MUSK'S", "musk-endorses-signal-2021")]
    public async Task Names_match_in_either_language_ignoring_case_and_accents(string match, string text, string expected)
    {
        Assert.Equal([expected], await KeysAsync(new { name = new Dictionary<string, string> { [match] = text } }));
    }

    [Fact]
    public async Task Key_and_kind_take_eq_and_in_and_empty_lists_are_no_condition()
    {
        Assert.Equal(["signal", "telegram"], await KeysAsync(new { key = new { @in = new[] { "telegram", "signal", "nope" } } }));
        Assert.Equal(["telegram"], await KeysAsync(new { key = new { eq = "telegram", @in = new[] { "telegram", "signal" } } }));
        Assert.Equal(["facebook", "spacex", "tesla"], await KeysAsync(new { kind = new { @in = new[] { "COMPANY" } } }));
        Assert.Equal(18, (await KeysAsync(new { key = new { @in = Array.Empty<string>() }, AND = Array.Empty<object>() })).Count);
        Assert.Equal(18, (await KeysAsync(new { OR = new object[] { new { }, new { key = new { eq = "telegram" } } } })).Count);
    }

    [Fact]
    public async Task The_deprecated_keys_and_name_contains_keep_working()
    {
        Assert.Equal(["signal", "telegram"], await KeysAsync(new { keys = new[] { "telegram", "signal" } }));
        Assert.Equal(["elon-musk", "musk-endorses-signal-2021"], await KeysAsync(new { nameContains = "musk" }));
    }

    [Fact]
    public async Task A_filter_that_cannot_run_is_bad_user_input()
    {
        var notEmpty = await app.PostAsync(Entities, new { where = new { NOT = new { } } });
        object deep = new { key = new { eq = "x" } };
        for (var i = 0; i < 8; i++)
        {
            deep = new { NOT = deep };
        }

        var tooDeep = await app.PostAsync(Entities, new { where = deep });

        Assert.Equal(["BAD_USER_INPUT"], notEmpty.ErrorCodes);
        Assert.Equal(["BAD_USER_INPUT"], tooDeep.ErrorCodes);
        Assert.Contains("nest", tooDeep.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'); DROP TABLE entities; --")]
    [InlineData("\" OR 1=1 OR \"")]
    [InlineData("%_*")]
    public async Task Filter_values_are_only_ever_parameters(string text)
    {
        Assert.Empty(await KeysAsync(new { name = new { contains = text }, key = new { eq = text } }));
        Assert.Equal(18, (await KeysAsync(new { })).Count);
    }

    [Fact]
    public async Task The_most_connected_entities_come_first_and_pages_walk_the_same_order_with_stable_cursors()
    {
        var orderBy = new object[] { new { field = "DEGREE", direction = "DESC" }, new { field = "KIND" } };
        var expected = await ExpectedDegreeOrderAsync();

        var walked = new List<string?>();
        string? after = null;
        for (var page = 0; page < 20; page++)
        {
            var entities = Ok(await app.PostAsync(Entities, new { orderBy, first = 4, after })).GetProperty("entities");
            walked.AddRange(entities.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()));
            if (!entities.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean())
            {
                break;
            }

            after = entities.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        }

        var again = Ok(await app.PostAsync(Entities, new { orderBy, first = 4 })).GetProperty("entities").GetProperty("edges");
        var otherOrder = await app.PostAsync(Entities, new { orderBy = new { field = "DEGREE" }, first = 4, after = again[3].GetProperty("cursor").GetString() });

        Assert.Equal(expected, walked);
        Assert.Equal(["signal", "whatsapp"], walked.Take(2));
        Assert.Equal(again[3].GetProperty("cursor").GetString(), Ok(await app.PostAsync(Entities, new { orderBy, first = 4 })).GetProperty("entities").GetProperty("edges")[3].GetProperty("cursor").GetString());
        Assert.Equal(["BAD_USER_INPUT"], otherOrder.ErrorCodes);
    }

    // Degree descending, then kind's name ascending, then key ascending (the last sort's direction), from the seed files.
    private static async Task<List<string?>> ExpectedDegreeOrderAsync()
    {
        using var entities = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Seed, "entities.json")));
        using var relationships = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Seed, "relationships.json")));
        var ends = relationships.RootElement.EnumerateArray().SelectMany(r => new[] { r.GetProperty("from").GetString(), r.GetProperty("to").GetString() }).ToList();
        return entities.RootElement.EnumerateArray()
            .Select(e => (Key: e.GetProperty("key").GetString(), Kind: e.GetProperty("kind").GetString()))
            .OrderByDescending(e => ends.Count(k => k == e.Key))
            .ThenBy(e => e.Kind, StringComparer.Ordinal)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => e.Key)
            .ToList();
    }

    [Fact]
    public async Task Counts_by_kind_cover_the_whole_filtered_set_not_the_page()
    {
        var data = Ok(await app.PostAsync("""
            {
              platforms: entities(where: { related: { type: AVAILABLE_ON, direction: INCOMING } }, first: 1) { totalCount countsByKind { kind count } }
              all: entities(first: 1) { totalCount countsByKind { kind count } }
            }
            """));

        var platforms = data.GetProperty("platforms");
        Assert.Equal(2, platforms.GetProperty("totalCount").GetInt32());
        Assert.Equal("[{\"kind\":\"PLATFORM\",\"count\":2}]", platforms.GetProperty("countsByKind").GetRawText());
        var all = data.GetProperty("all").GetProperty("countsByKind").EnumerateArray().ToDictionary(c => c.GetProperty("kind").GetString()!, c => c.GetProperty("count").GetInt32());
        Assert.Equal(18, all.Values.Sum());
        Assert.Equal(4, all["REGION"]);
        Assert.Equal(3, all["APP"]);
    }

    [Fact]
    public async Task Linking_telegram_and_whatsapp_by_controversies_answers_the_terms_update_with_its_sentences()
    {
        var links = Ok(await app.PostAsync("""
            { linking(keys: ["telegram", "whatsapp"], kinds: [CONTROVERSY], first: 5) { entity { key } relationships { key type from { key } citations { excerpt } } } }
            """)).GetProperty("linking");
        var anyKind = Ok(await app.PostAsync("""{ linking(keys: ["telegram", "whatsapp"]) { entity { key } } }""")).GetProperty("linking");
        var byType = Ok(await app.PostAsync("""{ linking(keys: ["telegram", "whatsapp"], types: [BENEFITED_FROM]) { entity { key } } }""")).GetProperty("linking");

        var link = Assert.Single(links.EnumerateArray());
        Assert.Equal("whatsapp-terms-update-2021", link.GetProperty("entity").GetProperty("key").GetString());
        Assert.Equal(["telegram-benefited-from-whatsapp-terms-update-2021", "whatsapp-involved-in-whatsapp-terms-update-2021"], Keys(link.GetProperty("relationships")));
        Assert.All(link.GetProperty("relationships").EnumerateArray(), r => Assert.Contains(r.GetProperty("citations").EnumerateArray(), c => !string.IsNullOrWhiteSpace(c.GetProperty("excerpt").GetString())));
        Assert.Contains("whatsapp-terms-update-2021", anyKind.EnumerateArray().Select(l => l.GetProperty("entity").GetProperty("key").GetString()));
        Assert.Empty(byType.EnumerateArray());
    }

    [Fact]
    public async Task Relationships_of_an_entity_filter_on_the_other_end_and_count_by_type()
    {
        var signal = Ok(await app.PostAsync("""
            { entity(key: "signal") { relationships(where: { node: { kind: { eq: PLATFORM }, name: { startsWith: "app" } } }) { totalCount countsByType { type count } nodes { key } } } }
            """)).GetProperty("entity").GetProperty("relationships");

        Assert.Equal(["signal-available-on-app-store", "signal-topped-chart-app-store"], Keys(signal.GetProperty("nodes")));
        Assert.Equal("[{\"type\":\"TOPPED_CHART\",\"count\":1},{\"type\":\"AVAILABLE_ON\",\"count\":1}]", signal.GetProperty("countsByType").GetRawText());
    }

    [Fact]
    public async Task Observations_filter_by_value_and_region_and_sum_up_in_one_unit()
    {
        var data = Ok(await app.PostAsync("""
            {
              shares: observations(metric: "NEW_USERS_SHARE", value: { gte: 20 }) { key }
              asia: observations(region: "asia", value: { gt: 1 }) { key }
              summary: observationSummary(metric: "NEW_USERS_SHARE") { count min max sum unit }
            }
            """));
        var mixed = await app.PostAsync("""{ observationSummary(subject: "telegram") { count } }""");

        Assert.Equal(["telegram-new-users-share-asia", "telegram-new-users-share-europe", "telegram-new-users-share-latin-america"], Keys(data.GetProperty("shares")));
        Assert.Equal(["telegram-new-users-share-asia"], Keys(data.GetProperty("asia")));
        Assert.Equal("{\"count\":4,\"min\":8,\"max\":38,\"sum\":94,\"unit\":\"percent\"}", data.GetProperty("summary").GetRawText());
        Assert.Equal(["BAD_USER_INPUT"], mixed.ErrorCodes);
        Assert.Contains("several units", mixed.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_counts_against_the_cost_limit_by_the_work_of_its_conditions()
    {
        const string nested = """
            query($where: RelationshipFilter) { entities(first: 100) { nodes { relationships(first: 100, where: $where) { nodes { key } } } } }
            """;
        static int Cost(GraphQLResponse response) =>
            int.Parse(System.Text.RegularExpressions.Regex.Match(response.Errors[0].GetProperty("message").GetString()!, "costs ([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        var plain = await app.PostAsync(nested);
        var oneHop = await app.PostAsync(nested, new { where = new { node = new { related = new { type = "OWNS" } } } });
        var hopAndKind = await app.PostAsync(nested, new { where = new { node = new { kind = new { eq = "APP" }, related = new { type = "OWNS", node = new { key = new { eq = "facebook" } } } } } });

        Assert.Equal(["QUERY_TOO_COMPLEX"], plain.ErrorCodes);
        // The relationships field runs once per entity (100): a related hop costs 10, a key or kind 1, each time.
        Assert.Equal(100 * 10, Cost(oneHop) - Cost(plain));
        Assert.Equal(100 * (10 + 1 + 1), Cost(hopAndKind) - Cost(plain));
    }
}
