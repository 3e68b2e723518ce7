using KnowledgeGraph.Api.Cli;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.Exchange;

/// <summary>An import from the command line reaches a running server's response cache: the server re-reads the store's revision.</summary>
[Collection(RedisGroup.Name)]
public sealed class CliImportCacheTests(RedisFixture redis)
{
    private const string Tesla = """{ entity(key: "tesla") { description(lang: EN) citations { excerpt start end } } }""";

    [Fact]
    public async Task A_cli_import_makes_the_servers_next_read_a_miss_with_the_imported_data()
    {
        var prefix = $"kg-test-{Guid.NewGuid():N}:";
        using var folder = new TemporaryDirectory("kg-cli-cache");
        (string Key, string Value)[] settings = [.. redis.SettingsFor(prefix), ("Sqlite:DataDirectory", folder.Path)];
        await using var server = new KnowledgeGraphApp { Settings = settings };
        var revision = await server.RevisionAsync();

        var before = await server.PostAsync(Tesla);
        Assert.Equal("HIT", (await server.PostAsync(Tesla)).Header("X-Cache"));
        var citation = before.Data.GetProperty("entity").GetProperty("citations")[0];
        var csv = Path.Combine(folder.Path, "tesla.csv");
        await File.WriteAllTextAsync(csv, "key,kind,name_en,name_fr,description_en,description_fr,citation1_source,citation1_start,citation1_end,citation1_excerpt\n"
            + $"tesla,COMPANY,Tesla,Tesla,Imported by the CLI.,Importé par la CLI.,whatsapp-privacy-exodus-2021,{citation.GetProperty("start").GetInt32()},{citation.GetProperty("end").GetInt32()},\"{citation.GetProperty("excerpt").GetString()}\"\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var status = await KnowledgeGraphCli.RunAsync(["import", csv], output, error, settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        Assert.True(status == 0, output + error.ToString());
        // The server reads the store's revision again within Cache:RevisionRefresh.
        await server.WaitForRevisionAsync(revision + 1);
        var after = await server.PostAsync(Tesla);

        Assert.Equal("MISS", after.Header("X-Cache"));
        Assert.Equal("Imported by the CLI.", after.Data.GetProperty("entity").GetProperty("description").GetString());
    }
}
