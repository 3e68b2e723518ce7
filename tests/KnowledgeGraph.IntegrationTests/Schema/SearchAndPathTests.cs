using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Schema;

public sealed class SearchAndPathTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string Search = "query($text: String!, $kinds: [EntityKind!], $first: Int) { search(text: $text, kinds: $kinds, first: $first) { score entity { key } } }";

    [Theory]
    [InlineData("telegramme", "telegram")]
    [InlineData("TÉLÉGRAMME", "telegram")]
    [InlineData("moyen orient", "middle-east")]
    [InlineData("amerique latine", "latin-america")]
    [InlineData("durov", "pavel-durov")]
    [InlineData("musk", "elon-musk")]
    public async Task Search_ignores_case_and_accents_in_both_languages(string text, string expected)
    {
        var hits = Ok(await app.PostAsync(Search, new { text })).GetProperty("search");

        Assert.Equal(expected, hits[0].GetProperty("entity").GetProperty("key").GetString());
    }

    [Fact]
    public async Task Search_ranks_best_first_and_filters_by_kind()
    {
        var all = Ok(await app.PostAsync(Search, new { text = "signal" })).GetProperty("search");
        var endorsements = Ok(await app.PostAsync(Search, new { text = "signal", kinds = new[] { "ENDORSEMENT" } })).GetProperty("search");

        var scores = all.EnumerateArray().Select(h => h.GetProperty("score").GetDouble()).ToList();
        Assert.Equal("signal", all[0].GetProperty("entity").GetProperty("key").GetString());
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.True(all.GetArrayLength() > 1);
        var endorsement = Assert.Single(endorsements.EnumerateArray());
        Assert.Equal("musk-endorses-signal-2021", endorsement.GetProperty("entity").GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("telegram OR NOT")]
    [InlineData("*")]
    [InlineData("'); DROP TABLE entities; --")]
    [InlineData("MATCH (n) DETACH DELETE n")]
    public async Task Search_syntax_in_the_text_is_harmless(string text)
    {
        var response = await app.PostAsync(Search, new { text });
        var after = Ok(await app.PostAsync("""{ entities { totalCount } }""")).GetProperty("entities").GetProperty("totalCount").GetInt32();

        Assert.True(response.Errors.Count == 0 || response.ErrorCodes.All(c => c == "BAD_USER_INPUT"), response.ToString());
        Assert.Equal(18, after);
    }

    [Fact]
    public async Task Search_refuses_an_empty_text_or_a_page_too_large()
    {
        Assert.Contains("BAD_USER_INPUT", (await app.PostAsync(Search, new { text = "  " })).ErrorCodes);
        Assert.Contains("BAD_USER_INPUT", (await app.PostAsync(Search, new { text = "signal", first = 1000 })).ErrorCodes);
    }

    private const string PathQuery = """
        query($from: String!, $to: String!, $maxHops: Int, $types: [RelationshipType!]) {
          path(from: $from, to: $to, maxHops: $maxHops, types: $types) {
            length steps { from { key } to { key } forward relationship { type citations { excerpt } } }
          }
        }
        """;

    [Fact]
    public async Task The_shortest_paths_link_musk_to_whatsapp_with_each_step_cited()
    {
        var paths = Ok(await app.PostAsync(PathQuery, new { from = "elon-musk", to = "whatsapp" })).GetProperty("path");

        Assert.True(paths.GetArrayLength() >= 1);
        var lengths = paths.EnumerateArray().Select(p => p.GetProperty("length").GetInt32()).Distinct().ToList();
        var length = Assert.Single(lengths);
        foreach (var path in paths.EnumerateArray())
        {
            var steps = path.GetProperty("steps").EnumerateArray().ToList();
            Assert.Equal(length, steps.Count);
            Assert.Equal("elon-musk", steps[0].GetProperty("from").GetProperty("key").GetString());
            Assert.Equal("whatsapp", steps[^1].GetProperty("to").GetProperty("key").GetString());
            for (var i = 1; i < steps.Count; i++)
            {
                Assert.Equal(steps[i - 1].GetProperty("to").GetProperty("key").GetString(), steps[i].GetProperty("from").GetProperty("key").GetString());
            }

            Assert.All(steps, s => Assert.NotEmpty(s.GetProperty("relationship").GetProperty("citations").EnumerateArray()));
        }
    }

    [Fact]
    public async Task Restricting_types_finds_a_longer_path_or_none()
    {
        var any = Ok(await app.PostAsync(PathQuery, new { from = "elon-musk", to = "signal" })).GetProperty("path");
        var viaEndorsement = Ok(await app.PostAsync(PathQuery, new { from = "elon-musk", to = "signal", types = new[] { "GAVE", "ENDORSES" } })).GetProperty("path");
        var impossible = Ok(await app.PostAsync(PathQuery, new { from = "elon-musk", to = "signal", types = new[] { "OWNS" } })).GetProperty("path");

        var path = Assert.Single(viaEndorsement.EnumerateArray());
        Assert.Equal(["GAVE", "ENDORSES"], path.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("relationship").GetProperty("type").GetString()));
        Assert.True(any[0].GetProperty("length").GetInt32() <= 2);
        Assert.Equal(0, impossible.GetArrayLength());
    }

    [Fact]
    public async Task A_hop_limit_below_the_distance_finds_nothing()
    {
        var paths = Ok(await app.PostAsync(PathQuery, new { from = "pavel-durov", to = "elon-musk", maxHops = 1 })).GetProperty("path");

        Assert.Equal(0, paths.GetArrayLength());
    }

    [Fact]
    public async Task Paths_walk_relationships_against_their_direction_when_needed()
    {
        var paths = Ok(await app.PostAsync(PathQuery, new { from = "whatsapp", to = "facebook", maxHops = 1 })).GetProperty("path");

        var step = Assert.Single(Assert.Single(paths.EnumerateArray()).GetProperty("steps").EnumerateArray());
        Assert.False(step.GetProperty("forward").GetBoolean());
        Assert.Equal("OWNS", step.GetProperty("relationship").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unknown_ends_and_out_of_range_hops_are_clear_errors()
    {
        var unknown = await app.PostAsync(PathQuery, new { from = "elon-musk", to = "myspace" });
        var tooFar = await app.PostAsync(PathQuery, new { from = "elon-musk", to = "whatsapp", maxHops = 50 });

        Assert.Equal(["NOT_FOUND"], unknown.ErrorCodes);
        Assert.Contains("myspace", unknown.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["BAD_USER_INPUT"], tooFar.ErrorCodes);
    }
}
