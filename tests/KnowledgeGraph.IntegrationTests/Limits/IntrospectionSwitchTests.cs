using System.Net;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary><c>Limits:Introspection</c> and <c>Limits:Suggestions</c>: on by default, switchable per environment.</summary>
public sealed class IntrospectionSwitchTests
{
    private const string Typo = "{ entiti(key: \"whatsapp\") { name } }";

    [Fact]
    public async Task By_default_introspection_the_sdl_and_suggestions_are_on()
    {
        await using var app = new KnowledgeGraphApp();

        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("{ __schema { queryType { name } } }")).Status);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/graphql/schema.graphql"), accept: null)).Status);
        Assert.Contains("Did you mean", (await app.PostAsync(Typo)).Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ __schema { queryType { name } } }")]
    [InlineData("{ __type(name: \"Query\") { fields { name } } }")]
    public async Task With_introspection_off_schema_and_type_are_422_INTROSPECTION_DISABLED(string query)
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Limits:Introspection", "false")] };

        var response = await app.PostAsync(query);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.Status);
        Assert.Equal(["INTROSPECTION_DISABLED"], response.ErrorCodes);
    }

    [Fact]
    public async Task With_introspection_off_the_sdl_is_gone_suggestions_too_and_typename_still_works()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Limits:Introspection", "false")] };

        Assert.Equal(HttpStatusCode.NotFound, (await app.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/graphql/schema.graphql"), accept: null)).Status);
        var typo = await app.PostAsync(Typo);
        Assert.Equal(["GRAPHQL_VALIDATION_FAILED"], typo.ErrorCodes);
        Assert.DoesNotContain("Did you mean", typo.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("entity", typo.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.PostAsync("{ __typename }")).Status);
    }

    [Fact]
    public async Task Suggestions_can_be_switched_on_their_own()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Limits:Introspection", "false"), ("Limits:Suggestions", "true")] };

        Assert.Contains("Did you mean", (await app.PostAsync(Typo)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggestions_can_be_switched_off_with_introspection_on()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Limits:Suggestions", "false")] };

        Assert.DoesNotContain("Did you mean", (await app.PostAsync(Typo)).Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean", (await app.PostAsync("{ entity(kee: \"whatsapp\") { name } }")).Body, StringComparison.Ordinal);
    }
}
