using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using KnowledgeGraph.Api.Cli;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Testing;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Exchange;

/// <summary>Exports over HTTP and from the command line, in every format, and the seed format's round trip.</summary>
public sealed class ExportTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private static readonly XNamespace GraphMl = GraphMlWriter.Namespace;

    [Fact]
    public async Task An_export_around_whatsapp_at_depth_1_holds_facebook_and_the_owns_edge_as_a_named_download()
    {
        using var response = await GetAsync("/export?format=seed-json&around=whatsapp&depth=1");
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("knowledge-graph-whatsapp-depth-1.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var entities = KeysOf(root.GetProperty("entities"));
        Assert.Contains("facebook", entities);
        Assert.Contains("whatsapp", entities);
        Assert.DoesNotContain("tesla", entities); // two hops away, through Elon Musk
        var owns = root.GetProperty("relationships").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "facebook-owns-whatsapp");
        Assert.Equal(("OWNS", "facebook", "whatsapp"), (owns.GetProperty("type").GetString(), owns.GetProperty("from").GetString(), owns.GetProperty("to").GetString()));
        Assert.All(root.GetProperty("relationships").EnumerateArray(), r =>
            Assert.True(entities.Contains(r.GetProperty("from").GetString()) && entities.Contains(r.GetProperty("to").GetString())));
        Assert.Equal("whatsapp-privacy-exodus-2021", Assert.Single(root.GetProperty("sources").EnumerateArray()).GetProperty("key").GetString());
    }

    [Fact]
    public async Task An_export_by_kinds_holds_only_those_kinds_and_the_edges_between_them()
    {
        using var response = await GetAsync("/export?format=entities-csv&kinds=APP,COMPANY");
        var csv = await response.Content.ReadAsStringAsync();
        using var relationshipsResponse = await GetAsync("/export?format=relationships-csv&kinds=APP,COMPANY");
        var relationships = GraphCsv.ReadRelationships(new StringReader(await relationshipsResponse.Content.ReadAsStringAsync()));
        var entities = GraphCsv.ReadEntities(new StringReader(csv));

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["facebook", "signal", "spacex", "telegram", "tesla", "whatsapp"], entities.Select(e => e.Key));
        Assert.All(entities, e => Assert.Empty(e.Problems));
        Assert.Contains(relationships, r => r.Key == "facebook-owns-whatsapp");
        Assert.DoesNotContain(relationships, r => r.Key == "pavel-durov-founded-telegram");
    }

    [Fact]
    public async Task Graphml_is_well_formed_with_every_attribute_declared_as_a_key_and_every_edge_between_nodes()
    {
        using var response = await GetAsync("/export?format=graphml&around=whatsapp&depth=2");
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.Root!;

        Assert.Equal("application/graphml+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(GraphMl + "graphml", root.Name);
        var keys = root.Elements(GraphMl + "key").ToDictionary(k => (string)k.Attribute("id")!, k => (For: (string)k.Attribute("for")!, Name: (string?)k.Attribute("attr.name"), Type: (string?)k.Attribute("attr.type")));
        Assert.All(keys.Values, k => Assert.True(k.Name is not null && k.Type is "string" or "int", $"{k.Name} {k.Type}"));
        Assert.Contains(keys.Values, k => k is { For: "node", Name: "kind" });
        Assert.Contains(keys.Values, k => k is { For: "edge", Name: "type" });
        Assert.Contains(keys.Values, k => k is { For: "edge", Name: "citations" });
        var graph = root.Element(GraphMl + "graph")!;
        Assert.Equal("directed", (string?)graph.Attribute("edgedefault"));
        var nodes = graph.Elements(GraphMl + "node").Select(n => (string)n.Attribute("id")!).ToList();
        Assert.Equal(nodes.Count, nodes.Distinct().Count());
        Assert.Contains("facebook", nodes);
        foreach (var element in graph.Elements())
        {
            var kind = element.Name.LocalName;
            Assert.All(element.Elements(GraphMl + "data"), d => Assert.Equal(kind, keys[(string)d.Attribute("key")!].For));
        }

        var edges = graph.Elements(GraphMl + "edge").ToList();
        Assert.All(edges, e => Assert.True(nodes.Contains((string)e.Attribute("source")!) && nodes.Contains((string)e.Attribute("target")!)));
        var owns = edges.Single(e => (string?)e.Attribute("id") == "facebook-owns-whatsapp");
        Assert.Equal("OWNS", Data(owns, keys, "type"));
        var citations = JsonNode.Parse(Data(owns, keys, "citations"))!.AsArray();
        Assert.Equal("les rivaux de WhatsApp profitent de la déception du service Facebook", (string?)citations[0]!["excerpt"]);
    }

    [Fact]
    public async Task Json_ld_has_a_context_and_every_fact_carries_its_citations_with_source_excerpt_and_offsets()
    {
        using var response = await GetAsync("/export?format=jsonld");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;

        Assert.Equal("application/ld+json", response.Content.Headers.ContentType?.MediaType);
        var context = root.GetProperty("@context");
        Assert.Equal("https://schema.org/", context.GetProperty("schema").GetString());
        Assert.Equal("kg:citation", context.GetProperty("citations").GetProperty("@id").GetString());
        var graph = root.GetProperty("@graph").EnumerateArray().ToList();
        var facts = graph.Where(n => !n.GetProperty("@id").GetString()!.StartsWith("kgd:source:", StringComparison.Ordinal)).ToList();
        Assert.Equal(18 + 21 + 7 + 1 + 14, facts.Count);
        Assert.All(facts, fact =>
        {
            var citations = fact.GetProperty("citations").EnumerateArray().ToList();
            Assert.NotEmpty(citations);
            Assert.All(citations, c =>
            {
                Assert.Equal("kgd:source:whatsapp-privacy-exodus-2021", c.GetProperty("source").GetString());
                Assert.False(string.IsNullOrEmpty(c.GetProperty("excerpt").GetString()));
                Assert.True(c.GetProperty("end").GetInt32() > c.GetProperty("start").GetInt32());
            });
        });
        var owns = graph.Single(n => n.GetProperty("@id").GetString() == "kgd:relationship:facebook-owns-whatsapp");
        Assert.Equal(("OWNS", "kgd:entity:facebook"), (owns.GetProperty("relationshipType").GetString(), owns.GetProperty("from").GetString()));
        var whatsapp = graph.Single(n => n.GetProperty("@id").GetString() == "kgd:entity:whatsapp");
        Assert.Equal("WhatsApp", whatsapp.GetProperty("name").GetProperty("en").GetString());
    }

    [Fact]
    public async Task An_export_around_an_entity_brings_the_figure_a_share_is_of_with_its_subject_and_reimports_on_its_own()
    {
        await using var own = new KnowledgeGraphApp();
        var partner = await own.IssueKeyAsync(ApiRole.Partner);
        static object Cite() => new { source = "whatsapp-privacy-exodus-2021", excerpt = "les rivaux de WhatsApp" };
        static object App(string key, string name) => new { key, kind = "APP", name = new { en = name, fr = name }, description = new { en = "An app.", fr = "Une application." }, citations = new[] { Cite() } };
        var input = new
        {
            entities = new[] { App("share-app", "Share App"), App("base-app", "Base App") },
            observations = new object[]
            {
                new { key = "base-app-users", subject = "base-app", metric = "NEW_USERS", value = 100.0, unit = "users", precision = "EXACT", citations = new[] { Cite() } },
                new { key = "share-app-part", subject = "share-app", metric = "NEW_USERS_SHARE", value = 25.0, unit = "percent", precision = "EXACT", shareOf = "base-app-users", citations = new[] { Cite() } },
            },
        };
        var written = Ok(await own.PostWithKeyAsync(partner, "mutation($input: GraphWriteInput!) { write(input: $input) { changed } }", new { input }));

        using var client = own.CreateClient();
        var exported = await client.GetStringAsync(new Uri("/export?format=seed-json&around=share-app&depth=0", UriKind.Relative));
        var document = JsonNode.Parse(exported)!;
        await using var fresh = new KnowledgeGraphApp { Settings = [("Store:SeedOnStart", "false")] };
        var freshPartner = await fresh.IssueKeyAsync(ApiRole.Partner);
        var report = Ok(await fresh.PostWithKeyAsync(freshPartner, "mutation($c: String!) { importGraph(format: SEED_JSON, content: $c) { created rejected } }", new { c = exported })).GetProperty("importGraph");

        Assert.True(written.GetProperty("write").GetProperty("changed").GetBoolean());
        Assert.Equal(["base-app-users", "share-app-part"], document["observations"]!.AsArray().Select(o => (string?)o!["key"]));
        Assert.Equal(["base-app", "share-app"], document["entities"]!.AsArray().Select(e => (string?)e!["key"]));
        Assert.Equal((1 + 2 + 2, 0), (report.GetProperty("created").GetInt32(), report.GetProperty("rejected").GetInt32()));
    }

    [Fact]
    public async Task The_whole_graph_in_the_seed_format_reimports_into_a_fresh_app_as_the_same_graph()
    {
        using var response = await GetAsync("/export?format=seed-json");
        var exported = await response.Content.ReadAsStringAsync();
        await using var fresh = new KnowledgeGraphApp { Settings = [("Store:SeedOnStart", "false")] };
        var partner = await fresh.IssueKeyAsync(ApiRole.Partner);

        var report = Ok(await fresh.PostWithKeyAsync(partner, "mutation($c: String!) { importGraph(format: SEED_JSON, content: $c) { created rejected } }", new { c = exported })).GetProperty("importGraph");
        using var again = await fresh.CreateClient().GetAsync(new Uri("/export?format=seed-json", UriKind.Relative));
        var reexported = JsonNode.Parse(await again.Content.ReadAsStringAsync())!;
        var original = JsonNode.Parse(exported)!;

        Assert.Equal((1 + 18 + 21 + 7 + 1 + 14, 0), (report.GetProperty("created").GetInt32(), report.GetProperty("rejected").GetInt32()));
        foreach (var section in new[] { "sources", "entities", "relationships", "observations", "quotes" })
        {
            Assert.True(JsonNode.DeepEquals(original[section], reexported[section]), $"{section} differ after the round trip");
        }
    }

    [Fact]
    public async Task The_cli_on_a_data_folder_without_a_graph_says_so_and_writes_nothing()
    {
        using var folder = new TemporaryDirectory("kg-cli-empty");
        var settings = new Dictionary<string, string?> { ["Sqlite:DataDirectory"] = Path.Combine(folder.Path, "data") };
        var target = Path.Combine(folder.Path, "out.graphml");
        var csv = Path.Combine(folder.Path, "in.csv");
        await File.WriteAllTextAsync(csv, "key,kind,name_en,name_fr,description_en,description_fr,citation1_source,citation1_start,citation1_end,citation1_excerpt\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var export = await KnowledgeGraphCli.RunAsync(["export", "--format", "graphml", "--output", target], output, error, settings);
        var import = await KnowledgeGraphCli.RunAsync(["import", csv], output, error, settings);

        Assert.Equal((1, 1), (export, import));
        Assert.Equal(2, error.ToString().Split("The store is not ready", StringSplitOptions.None).Length - 1);
        Assert.Contains("./build.sh run", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task The_cli_exports_a_seed_folder_that_the_seed_loader_accepts_and_that_equals_the_seed()
    {
        using var folder = new TemporaryDirectory("kg-export");
        var target = Path.Combine(folder.Path, "seed");
        var graphml = Path.Combine(folder.Path, "around.graphml");
        // The app starts on first use, which creates and seeds its data folder; this test may be the class's first.
        app.CreateClient().Dispose();
        var settings = new Dictionary<string, string?> { ["Sqlite:DataDirectory"] = app.DataDirectory };
        using var output = new StringWriter();
        using var error = new StringWriter();

        var status = await KnowledgeGraphCli.RunAsync(["export", "--format", "seed", "--output", target], output, error, settings);
        var around = await KnowledgeGraphCli.RunAsync(["export", "--format", "graphml", "--around", "whatsapp", "--depth", "2", "--output", graphml], output, error, settings);
        Assert.True((status, around) == (0, 0), $"exit codes {status} and {around}: {error}");
        var loaded = await SeedLoader.LoadAsync(target, CancellationToken.None);

        Assert.Equal((18, 21, 7, 1), (loaded.Graph.Entities.Count, loaded.Graph.Relationships.Count, loaded.Graph.Observations.Count, loaded.Graph.Quotes.Count));
        // Equal as records: the export writes every fact's basis (and a dated fact's dateBasis) explicitly, where a seed may
        // leave the defaults out.
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        static IEnumerable<string> Records(KnowledgeGraph.Domain.GraphSnapshot graph) =>
            new object[][] { [.. graph.Sources], [.. graph.Entities], [.. graph.Relationships], [.. graph.Observations], [.. graph.Quotes], [.. graph.Claims] }
                .SelectMany(records => records.Select(KnowledgeGraph.Writes.RecordSnapshot.Of)).Order(StringComparer.Ordinal);
        Assert.Equal(Records(seed.Graph), Records(loaded.Graph));

        Assert.Equal("graphml", XDocument.Load(graphml).Root!.Name.LocalName);
    }

    [Fact]
    public async Task Exports_follow_the_anonymous_reads_rule_and_refuse_bad_parameters()
    {
        await using var closed = new KnowledgeGraphApp { Settings = [("Auth:AllowAnonymousReads", "false")] };
        var reader = await closed.IssueKeyAsync(ApiRole.Reader);
        using var client = closed.CreateClient();

        using var anonymous = await client.GetAsync(new Uri("/export?format=graphml", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/export?format=graphml");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader);
        using var withKey = await client.SendAsync(request);
        using var unknownFormat = await GetAsync("/export?format=pdf");
        using var unknownEntity = await GetAsync("/export?around=nobody");
        using var tooDeep = await GetAsync("/export?around=whatsapp&depth=99");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownFormat.StatusCode);
        Assert.Contains("graphml", await unknownFormat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownEntity.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string url)
    {
        using var client = app.CreateClient();
        return await client.GetAsync(new Uri(url, UriKind.Relative));
    }

    private static HashSet<string?> KeysOf(JsonElement list) => [.. list.EnumerateArray().Select(e => e.GetProperty("key").GetString())];

    private static string Data(XElement element, Dictionary<string, (string For, string? Name, string? Type)> keys, string name) =>
        element.Elements(GraphMl + "data").Single(d => keys[(string)d.Attribute("key")!].Name == name).Value;
}
