using KnowledgeGraph.IntegrationTests.Support;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Schema;

public sealed class LanguageTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string Query = """{ entity(key: "middle-east") { name description } en: entity(key: "middle-east") { name(lang: EN) } }""";

    [Fact]
    public async Task Without_accept_language_names_are_english()
    {
        var data = Ok(await app.PostAsync(Query));

        Assert.Equal("Middle East", data.GetProperty("entity").GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("fr-FR,fr;q=0.9,en;q=0.8")]
    [InlineData("de, fr;q=0.5")]
    public async Task Accept_language_sets_the_default_language(string header)
    {
        var data = Ok(await app.PostAsync(Query, acceptLanguage: header));

        Assert.Equal("Moyen-Orient", data.GetProperty("entity").GetProperty("name").GetString());
        Assert.NotEqual(
            Ok(await app.PostAsync(Query)).GetProperty("entity").GetProperty("description").GetString(),
            data.GetProperty("entity").GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_lang_argument_wins_over_accept_language()
    {
        var data = Ok(await app.PostAsync(Query, acceptLanguage: "fr"));

        Assert.Equal("Middle East", data.GetProperty("en").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Accept_language_also_reaches_get_requests()
    {
        var response = await app.GetQueryAsync(Query, acceptLanguage: "fr-CA");

        Assert.Equal("Moyen-Orient", Ok(response).GetProperty("entity").GetProperty("name").GetString());
    }
}
