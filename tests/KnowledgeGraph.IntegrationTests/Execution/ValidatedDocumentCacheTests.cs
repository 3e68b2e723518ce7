using System.Net;
using GraphQL.DI;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Execution;

/// <summary>
/// A repeated document is validated once, yet every rule whose verdict can change from one request to the next still
/// holds on the repeat: the caller's role, variables that reach the cost, the transport's operation types.
/// </summary>
public sealed class ValidatedDocumentCacheTests : IAsyncLifetime, IAsyncDisposable
{
    private const string History = """{ history(type: ENTITY, key: "whatsapp") { outcome actor } }""";

    private readonly KnowledgeGraphApp _app = new() { Settings = [("Cache:Enabled", "false")] };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    async ValueTask IAsyncDisposable.DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_invalid_document_is_refused_the_first_time_and_every_time_after()
    {
        for (var i = 0; i < 3; i++)
        {
            var response = await _app.PostAsync("{ entity(key: \"whatsapp\") { noSuchField } }");

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
            Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], response.ErrorCodes);
        }
    }

    [Fact]
    public async Task A_document_an_admin_ran_is_refused_to_an_anonymous_caller_and_to_a_reader_when_sent_again()
    {
        var admin = await _app.IssueKeyAsync(ApiRole.Admin);
        var reader = await _app.IssueKeyAsync(ApiRole.Reader);

        var asAdmin = await _app.PostWithKeyAsync(admin, History);
        var anonymous = await _app.PostAsync(History);
        var asReader = await _app.PostWithKeyAsync(reader, History);
        var asAdminAgain = await _app.PostWithKeyAsync(admin, History);

        Assert.True(asAdmin.Status == HttpStatusCode.OK, asAdmin.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(["UNAUTHENTICATED"], anonymous.ErrorCodes);
        Assert.Equal(HttpStatusCode.Forbidden, asReader.Status);
        Assert.Equal(["FORBIDDEN"], asReader.ErrorCodes);
        Assert.True(asAdminAgain.Status == HttpStatusCode.OK, asAdminAgain.ToString());
    }

    [Fact]
    public async Task A_document_whose_page_size_is_a_variable_is_costed_again_with_each_request_variables()
    {
        const string Pages = """
            query($outer: Int, $inner: Int) {
              entities(first: $outer) { edges { node { key relationships(first: $inner) { edges { node { type } } } } } }
            }
            """;

        var small = await _app.PostAsync(Pages, new { outer = 5, inner = 5 });
        var huge = await _app.PostAsync(Pages, new { outer = 100, inner = 100 });

        Assert.True(small.Status == HttpStatusCode.OK, small.ToString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, huge.Status);
        Assert.Equal(["QUERY_TOO_COMPLEX"], huge.ErrorCodes);
    }

    [Fact]
    public async Task A_document_whose_cost_is_in_its_text_is_refused_the_first_time_and_every_time_after()
    {
        const string Huge = "{ entities(first: 100) { edges { node { relationships(first: 100) { edges { node { type } } } } } } }";

        for (var i = 0; i < 2; i++)
        {
            var response = await _app.PostAsync(Huge);

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
            Assert.Equal(["QUERY_TOO_COMPLEX"], response.ErrorCodes);
        }
    }

    [Fact]
    public async Task A_mutation_that_ran_over_post_is_still_refused_over_get()
    {
        var post = await _app.PostAsync("mutation { __typename }");
        var get = await _app.GetQueryAsync("mutation { __typename }");

        Assert.True(post.Status == HttpStatusCode.OK, post.ToString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.Status);
        Assert.Equal(["METHOD_NOT_ALLOWED"], get.ErrorCodes);
    }

    [Fact]
    public async Task The_documents_kept_stay_within_their_byte_budget()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Cache:Enabled", "false"), ("Cache:DocumentMemoryBytes", "65536")] };
        var cache = app.Services.GetServices<IConfigureExecution>().OfType<ValidatedDocumentCache>().Single();

        // Each document is at least 47 characters, so at least 1,128 bytes by the cache's estimate: at most 58 fit in 64 KiB.
        for (var i = 0; i < 200; i++)
        {
            var response = await app.PostAsync($"{{ entity(key: \"whatsapp\") {{ key name a{i}: kind }} }}");
            Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
            Assert.InRange(cache.MemoryBytes, 1, 65536);
        }

        Assert.InRange(cache.Count, 1, 65536 / (47 * ValidatedDocumentCache.BytesPerCharacter));
    }
}
