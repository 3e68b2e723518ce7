using System.Net;
using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Caching;

/// <summary>The response cache in process (no Redis configured): what is cached, under which key, and when not.</summary>
public sealed class ResponseCacheTests : IAsyncDisposable
{
    private const string Owner = """query Owner($key: String!) { entity(key: $key) { name ... on App { owner { name } } } }""";

    private readonly KnowledgeGraphApp _app = new();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_repeated_query_is_a_miss_then_a_hit_with_the_same_body()
    {
        var first = await _app.PostAsync(Owner, new { key = "whatsapp" });
        var second = await _app.PostAsync(Owner, new { key = "whatsapp" });

        Assert.Equal("MISS", first.Header("X-Cache"));
        Assert.Equal("HIT", second.Header("X-Cache"));
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.MediaType, second.MediaType);
    }

    [Fact]
    public async Task Whitespace_comments_and_variable_order_do_not_change_the_key()
    {
        await _app.PostAsync("{ entity(key: \"signal\") { name key } }");
        var reformatted = await _app.PostAsync("# the same document\nquery {\n  entity(key: \"signal\") {\n    name,\n    key\n  }\n}\n");

        Assert.Equal("HIT", reformatted.Header("X-Cache"));

        const string Two = "query($a: String!, $b: String!) { a: entity(key: $a) { name } b: entity(key: $b) { name } }";
        await _app.PostRawAsync("""{"query":"query($a: String!, $b: String!) { a: entity(key: $a) { name } b: entity(key: $b) { name } }","variables":{"a":"signal","b":"telegram"}}""");
        var reordered = await _app.PostRawAsync("""{"variables":{"b":"telegram","a":"signal"},"query":"query($a: String!, $b: String!) { a: entity(key: $a) { name } b: entity(key: $b) { name } }"}""");

        Assert.Equal("HIT", reordered.Header("X-Cache"));
        Assert.NotEmpty(Two);
    }

    [Fact]
    public async Task Different_variables_languages_or_media_types_are_different_entries()
    {
        var whatsapp = await _app.PostAsync(Owner, new { key = "whatsapp" }, acceptLanguage: "en");
        var signal = await _app.PostAsync(Owner, new { key = "signal" }, acceptLanguage: "en");
        var french = await _app.PostAsync(Owner, new { key = "whatsapp" }, acceptLanguage: "fr");
        var legacy = await _app.PostAsync(Owner, new { key = "whatsapp" }, acceptLanguage: "en", accept: "application/json");

        Assert.Equal("MISS", whatsapp.Header("X-Cache"));
        Assert.Equal("MISS", signal.Header("X-Cache"));
        Assert.Equal("MISS", french.Header("X-Cache"));
        Assert.Equal("MISS", legacy.Header("X-Cache"));
        Assert.NotEqual(whatsapp.Body, signal.Body);
        Assert.Equal("application/json", legacy.MediaType);

        Assert.Equal("HIT", (await _app.PostAsync(Owner, new { key = "whatsapp" }, acceptLanguage: "fr")).Header("X-Cache"));
    }

    [Fact]
    public async Task Responses_with_errors_are_never_cached()
    {
        const string Bad = "{ path(from: \"no-such-entity\", to: \"whatsapp\") { length } }";
        var first = await _app.PostAsync(Bad);
        var second = await _app.PostAsync(Bad);

        Assert.NotEmpty(first.Errors);
        Assert.Equal("BYPASS", first.Header("X-Cache"));
        Assert.Equal("BYPASS", second.Header("X-Cache"));

        var invalid = await _app.PostAsync("{ noSuchField }");
        Assert.Equal("BYPASS", invalid.Header("X-Cache"));
        var unparsable = await _app.PostAsync("{ entity(");
        Assert.Equal("BYPASS", unparsable.Header("X-Cache"));
    }

    [Fact]
    public async Task Mutations_and_transport_errors_bypass_the_cache()
    {
        var mutation = await _app.PostAsync("mutation { __typename }");
        var notAcceptable = await _app.PostAsync("{ __typename }", accept: "text/html");
        var notJson = await _app.PostRawAsync("{", "application/json");

        Assert.Equal("BYPASS", mutation.Header("X-Cache"));
        Assert.Equal("BYPASS", notAcceptable.Header("X-Cache"));
        Assert.Equal("BYPASS", notJson.Header("X-Cache"));
    }

    [Fact]
    public async Task A_get_query_is_cached_like_a_post()
    {
        var first = await _app.GetQueryAsync("{ entity(key: \"telegram\") { name } }");
        var second = await _app.GetQueryAsync("{ entity(key: \"telegram\") { name } }");

        Assert.Equal("MISS", first.Header("X-Cache"));
        Assert.Equal("HIT", second.Header("X-Cache"));
    }

    [Fact]
    public async Task Moving_the_graph_revision_makes_the_next_read_a_miss()
    {
        await _app.PostAsync(Owner, new { key = "telegram" });
        Assert.Equal("HIT", (await _app.PostAsync(Owner, new { key = "telegram" })).Header("X-Cache"));

        var revision = _app.Services.GetRequiredService<IGraphRevision>();
        revision.Advance(await revision.GetAsync(CancellationToken.None) + 1);

        Assert.Equal("MISS", (await _app.PostAsync(Owner, new { key = "telegram" })).Header("X-Cache"));
        Assert.Equal("HIT", (await _app.PostAsync(Owner, new { key = "telegram" })).Header("X-Cache"));
    }

    [Fact]
    public async Task With_the_cache_disabled_every_response_is_a_bypass()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Cache:Enabled", "false")] };

        var first = await app.PostAsync(Owner, new { key = "whatsapp" });
        var second = await app.PostAsync(Owner, new { key = "whatsapp" });

        Assert.Equal("BYPASS", first.Header("X-Cache"));
        Assert.Equal("BYPASS", second.Header("X-Cache"));
        Assert.Equal(first.Body, second.Body);
    }
}
