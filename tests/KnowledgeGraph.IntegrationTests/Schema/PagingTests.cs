using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Schema;

public sealed class PagingTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string PageQuery = """
        query($first: Int, $after: String, $last: Int, $before: String, $order: [EntityOrder!], $lang: Language, $kinds: [EntityKind!]) {
          entities(first: $first, after: $after, last: $last, before: $before, orderBy: $order, lang: $lang, kinds: $kinds) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { key name(lang: $lang) } }
          }
        }
        """;

    [Fact]
    public async Task Paging_forwards_visits_every_entity_once_in_key_order()
    {
        var all = await AllKeysAsync(new { first = 100 });
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await PageAsync(new { first = 5, after });
            seen.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()!));
            Assert.Equal(after is not null, page.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
            pages++;
        }
        while (after is not null);

        Assert.Equal(all, seen);
        Assert.Equal(all.OrderBy(k => k, StringComparer.Ordinal), seen);
        Assert.Equal((all.Count + 4) / 5, pages);
    }

    [Fact]
    public async Task Paging_backwards_from_the_end_visits_the_same_entities_in_the_same_order()
    {
        var all = await AllKeysAsync(new { first = 100 });
        var seen = new List<string>();
        string? before = null;
        do
        {
            var page = await PageAsync(new { last = 4, before });
            seen.InsertRange(0, page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()!));
            Assert.Equal(before is not null, page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
            before = page.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("startCursor").GetString() : null;
        }
        while (before is not null);

        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task Ordering_by_name_follows_the_language_and_ignores_case()
    {
        var english = await AllNamesAsync(new { first = 100, order = new { field = "NAME" }, lang = "EN" });
        var french = await AllNamesAsync(new { first = 100, order = new { field = "NAME", direction = "DESC" }, lang = "FR" });

        Assert.Equal(english.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), english);
        Assert.Equal(french.OrderByDescending(n => n, StringComparer.OrdinalIgnoreCase), french);
        Assert.Contains("Moyen-Orient", french);
        Assert.Contains("Middle East", english);
    }

    [Fact]
    public async Task Kinds_and_where_filter_and_total_count_counts_the_filtered_set()
    {
        var data = Ok(await app.PostAsync("""
            {
              regions: entities(kinds: [REGION]) { totalCount edges { node { kind } } }
              named: entities(where: { nameContains: "GOOGLE" }) { totalCount edges { node { key } } }
              picked: entities(where: { keys: ["signal", "tesla", "nobody"] }) { totalCount }
            }
            """));

        Assert.Equal(4, data.GetProperty("regions").GetProperty("totalCount").GetInt32());
        Assert.All(data.GetProperty("regions").GetProperty("edges").EnumerateArray(), e => Assert.Equal("REGION", e.GetProperty("node").GetProperty("kind").GetString()));
        Assert.Equal(["google-play"], Keys(data.GetProperty("named").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")).ToJsonArray()));
        Assert.Equal(2, data.GetProperty("picked").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_page_size_above_the_maximum_is_clamped_and_a_negative_one_is_refused()
    {
        var big = await PageAsync(new { first = 99_999_999 });
        var negative = await app.PostAsync(PageQuery, new { first = -1 });

        Assert.True(big.GetProperty("edges").GetArrayLength() <= 100);
        Assert.Contains("BAD_USER_INPUT", negative.ErrorCodes);
    }

    [Fact]
    public async Task A_cursor_from_another_ordering_or_a_forged_one_is_refused_clearly()
    {
        var byKey = await PageAsync(new { first = 2 });
        var cursor = byKey.GetProperty("pageInfo").GetProperty("endCursor").GetString();

        var otherOrdering = await app.PostAsync(PageQuery, new { first = 2, after = cursor, order = new { field = "NAME" } });
        var forged = await app.PostAsync(PageQuery, new { first = 2, after = "bm90LWEtY3Vyc29y" });
        var mixed = await app.PostAsync(PageQuery, new { first = 2, last = 2 });

        Assert.Contains("BAD_USER_INPUT", otherOrdering.ErrorCodes);
        Assert.Contains("another ordering", otherOrdering.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("BAD_USER_INPUT", forged.ErrorCodes);
        Assert.Contains("BAD_USER_INPUT", mixed.ErrorCodes);
    }

    [Fact]
    public async Task Relationship_connections_page_forwards_and_backwards()
    {
        const string query = """
            query($first: Int, $after: String, $last: Int, $before: String) {
              entity(key: "signal") { relationships(first: $first, after: $after, last: $last, before: $before) {
                totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { key } } } }
            }
            """;
        var whole = Ok(await app.PostAsync(query, new { first = 100 })).GetProperty("entity").GetProperty("relationships");
        var all = whole.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()).ToList();

        var first = Ok(await app.PostAsync(query, new { first = 3 })).GetProperty("entity").GetProperty("relationships");
        var second = Ok(await app.PostAsync(query, new { first = 3, after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).GetProperty("entity").GetProperty("relationships");
        var back = Ok(await app.PostAsync(query, new { last = 3, before = second.GetProperty("pageInfo").GetProperty("startCursor").GetString() })).GetProperty("entity").GetProperty("relationships");

        Assert.True(all.Count > 6);
        Assert.Equal(all.Take(3), first.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()));
        Assert.Equal(all.Skip(3).Take(3), second.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()));
        Assert.Equal(all.Take(3), back.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()));
        Assert.True(second.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        Assert.False(back.GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        Assert.Equal(all.Count, second.GetProperty("totalCount").GetInt32());
    }

    private async Task<JsonElement> PageAsync(object variables) =>
        Ok(await app.PostAsync(PageQuery, variables)).GetProperty("entities");

    private async Task<List<string>> AllKeysAsync(object variables) =>
        (await PageAsync(variables)).GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("key").GetString()!).ToList();

    private async Task<List<string>> AllNamesAsync(object variables) =>
        (await PageAsync(variables)).GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("name").GetString()!).ToList();
}

internal static class JsonTestExtensions
{
    public static JsonElement ToJsonArray(this IEnumerable<JsonElement> items) =>
        JsonSerializer.SerializeToElement(items.ToList());
}
