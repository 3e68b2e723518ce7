using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.PersistedOperations;

/// <summary>Automatic persisted queries as Apollo clients speak them, and trusted documents from schema/operations.</summary>
public sealed class PersistedQueryTests : IClassFixture<KnowledgeGraphApp>
{
    private readonly KnowledgeGraphApp _app;

    public PersistedQueryTests(KnowledgeGraphApp app) => _app = app;

    [Fact]
    public async Task An_unknown_hash_answers_persisted_query_not_found_then_hash_and_query_register_it()
    {
        var query = $"{{ entity(key: \"signal\") {{ name }} __typename }} # {Guid.NewGuid()}";
        var hash = Sha256(query);

        var unknown = await PostPersistedAsync(hash);
        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], unknown.ErrorCodes);
        Assert.Equal("PersistedQueryNotFound", unknown.Errors[0].GetProperty("message").GetString());
        Assert.False(unknown.HasData);
        Assert.Equal("no-store", unknown.Header("Cache-Control"));

        var registered = await PostPersistedAsync(hash, query);
        Assert.Equal(HttpStatusCode.OK, registered.Status);
        Assert.Equal("Signal", registered.Data.GetProperty("entity").GetProperty("name").GetString());

        var byHash = await PostPersistedAsync(hash);
        Assert.Equal(registered.Data.ToString(), byHash.Data.ToString());
    }

    [Fact]
    public async Task A_get_with_only_the_hash_runs_a_registered_query_with_its_variables()
    {
        var query = $"query E($key: String!) {{ entity(key: $key) {{ name }} }} # {Guid.NewGuid()}";
        var hash = Sha256(query);
        var extensions = JsonSerializer.Serialize(new { persistedQuery = new { version = 1, sha256Hash = hash } });

        var unknown = await _app.GetAsync(new Dictionary<string, string> { ["extensions"] = extensions, ["variables"] = """{"key":"telegram"}""" });
        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], unknown.ErrorCodes);

        var registered = await _app.GetAsync(new Dictionary<string, string> { ["query"] = query, ["extensions"] = extensions, ["variables"] = """{"key":"telegram"}""" });
        Assert.Equal("Telegram", registered.Data.GetProperty("entity").GetProperty("name").GetString());

        var byHash = await _app.GetAsync(new Dictionary<string, string> { ["extensions"] = extensions, ["variables"] = """{"key":"whatsapp"}""" });
        Assert.Equal(HttpStatusCode.OK, byHash.Status);
        Assert.Equal("WhatsApp", byHash.Data.GetProperty("entity").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_hash_that_is_not_the_query_s_is_refused_and_nothing_is_registered()
    {
        var query = $"{{ __typename }} # {Guid.NewGuid()}";
        var wrong = Sha256(query + " ");

        var mismatch = await PostPersistedAsync(wrong, query);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Status);
        Assert.Equal(["PERSISTED_QUERY_HASH_MISMATCH"], mismatch.ErrorCodes);

        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], (await PostPersistedAsync(wrong)).ErrorCodes);
    }

    [Fact]
    public async Task Other_versions_and_malformed_hashes_are_refused()
    {
        var version2 = await _app.PostRawAsync("""{"extensions":{"persistedQuery":{"version":2,"sha256Hash":"00"}}}""");
        var shortHash = await _app.PostRawAsync("""{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, version2.Status);
        Assert.Equal(["PERSISTED_QUERY_NOT_SUPPORTED"], version2.ErrorCodes);
        Assert.Equal(HttpStatusCode.BadRequest, shortHash.Status);
        Assert.Equal(["BAD_REQUEST"], shortHash.ErrorCodes);
    }

    [Fact]
    public async Task A_trusted_document_runs_by_its_hash_without_registration()
    {
        var document = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "schema", "operations", "WhoOwnsWhatsApp.graphql"));

        var response = await PostPersistedAsync(Sha256(document));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Facebook", response.Data.GetProperty("entity").GetProperty("owner").GetProperty("name").GetString());
    }

    [Fact]
    public async Task With_only_trusted_documents_others_are_refused_and_trusted_ones_run()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("PersistedOperations:OnlyTrusted", "true")] };
        var document = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "schema", "operations", "WhoOwnsWhatsApp.graphql"));

        var adHoc = await app.PostAsync("{ __typename }");
        var register = await app.PostRawAsync(JsonSerializer.Serialize(new { query = "{ __typename }", extensions = new { persistedQuery = new { version = 1, sha256Hash = Sha256("{ __typename }") } } }));
        var byHash = await app.PostRawAsync(JsonSerializer.Serialize(new { extensions = new { persistedQuery = new { version = 1, sha256Hash = Sha256(document) } } }));
        var sameText = await app.PostAsync(document);

        Assert.Equal(HttpStatusCode.Forbidden, adHoc.Status);
        Assert.Equal(["TRUSTED_DOCUMENT_REQUIRED"], adHoc.ErrorCodes);
        Assert.Equal(["TRUSTED_DOCUMENT_REQUIRED"], register.ErrorCodes);
        Assert.Equal(HttpStatusCode.OK, byHash.Status);
        Assert.Equal("WhatsApp", byHash.Data.GetProperty("entity").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, sameText.Status);
    }

    [Fact]
    public async Task A_manifest_in_the_directory_adds_trusted_documents_and_a_wrong_id_stops_start_up()
    {
        using var directory = new TemporaryDirectory();
        const string Body = "{ entity(key: \"telegram\") { name } }";
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "manifest.json"), JsonSerializer.Serialize(new
        {
            format = "apollo-persisted-query-manifest",
            version = 1,
            operations = new[] { new { id = Sha256(Body), name = "Telegram", type = "query", body = Body } },
        }));
        await using (var app = new KnowledgeGraphApp { Settings = [("PersistedOperations:Directory", directory.Path), ("PersistedOperations:OnlyTrusted", "true")] })
        {
            var response = await app.PostRawAsync(JsonSerializer.Serialize(new { extensions = new { persistedQuery = new { version = 1, sha256Hash = Sha256(Body) } } }));
            Assert.Equal("Telegram", response.Data.GetProperty("entity").GetProperty("name").GetString());
        }

        await File.WriteAllTextAsync(Path.Combine(directory.Path, "manifest.json"), """{"operations":[{"id":"0000","body":"{ __typename }"}]}""");
        await using var broken = new KnowledgeGraphApp { Settings = [("PersistedOperations:Directory", directory.Path)] };
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => broken.PostAsync("{ __typename }"));
        Assert.Contains("manifest.json", failure.ToString(), StringComparison.Ordinal);
    }

    private Task<GraphQLResponse> PostPersistedAsync(string hash, string? query = null) =>
        _app.PostRawAsync(JsonSerializer.Serialize(new { query, extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } } }));

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
