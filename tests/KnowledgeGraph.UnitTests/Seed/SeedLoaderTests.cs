using System.Text.Json.Nodes;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.Seed;

using KnowledgeGraph.Testing;

namespace KnowledgeGraph.UnitTests.Seed;

public sealed class SeedLoaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kg-seed-" + Guid.NewGuid().ToString("N"));

    public SeedLoaderTests() => CopyDirectory(RepositoryPaths.Seed, _directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_published_seed_loads_with_the_required_keys()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);

        string[] required =
        [
            "facebook", "whatsapp", "telegram", "signal", "pavel-durov", "elon-musk", "tesla", "spacex", "twitter",
            "app-store", "google-play", "asia", "europe", "latin-america", "middle-east", "whatsapp-terms-update-2021",
            "facebook-privacy-scandals",
        ];
        var keys = seed.Graph.Entities.Select(e => e.Key.Value).ToHashSet();
        Assert.All(required, key => Assert.Contains(key, keys));
        Assert.Equal(64, seed.ContentHash.Length);
    }

    [Fact]
    public async Task Every_kind_the_contract_names_is_present_in_the_seed()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);

        Assert.Equal(Enum.GetValues<EntityKind>().ToHashSet(), seed.Graph.Entities.Select(e => e.Kind).ToHashSet());
    }

    [Fact]
    public async Task Every_record_cites_an_excerpt_that_stands_at_its_offsets()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        var text = seed.Graph.Sources.Single().Text;

        var citations = seed.Graph.Entities.SelectMany(e => e.Citations)
            .Concat(seed.Graph.Relationships.SelectMany(r => r.Citations))
            .Concat(seed.Graph.Observations.SelectMany(o => o.Citations))
            .Concat(seed.Graph.Quotes.SelectMany(q => q.Citations))
            .ToList();

        Assert.NotEmpty(citations);
        Assert.All(citations, c => Assert.Equal(c.Excerpt, text[c.Start..c.End]));
        Assert.All(seed.Graph.Entities, e => Assert.NotEmpty(e.Citations));
        Assert.All(seed.Graph.Relationships, r => Assert.NotEmpty(r.Citations));
    }

    [Fact]
    public async Task Loading_twice_gives_the_same_hash_and_a_change_gives_another()
    {
        var first = await SeedLoader.LoadAsync(_directory, CancellationToken.None);
        var again = await SeedLoader.LoadAsync(_directory, CancellationToken.None);
        Edit(SeedLoader.EntitiesFile, entities => entities[0]!["description"]!["en"] = "Changed.");
        var changed = await SeedLoader.LoadAsync(_directory, CancellationToken.None);

        Assert.Equal(first.ContentHash, again.ContentHash);
        Assert.NotEqual(first.ContentHash, changed.ContentHash);
    }

    [Fact]
    public async Task A_dangling_reference_names_the_file_the_entry_and_the_missing_key()
    {
        Edit(SeedLoader.RelationshipsFile, r => Find(r, "facebook-owns-whatsapp")["to"] = "whatsup");

        var problem = await SingleProblemAsync();

        Assert.Equal("relationships.json", problem.File);
        Assert.Contains("facebook-owns-whatsapp", problem.Entry);
        Assert.Equal("to: no entity has the key 'whatsup'", problem.Problem);
    }

    [Fact]
    public async Task A_duplicate_key_is_refused()
    {
        Edit(SeedLoader.EntitiesFile, entities => entities.Add(Find(entities, "signal").DeepClone()));

        var problem = await SingleProblemAsync();

        Assert.Equal("entities.json", problem.File);
        Assert.Equal("key: 'signal' appears twice in this write", problem.Problem);
    }

    [Fact]
    public async Task An_excerpt_that_is_not_at_its_offsets_is_refused_with_what_stands_there()
    {
        Edit(SeedLoader.EntitiesFile, entities => Find(entities, "telegram")["citations"]![0]!["start"] = 0);

        var problem = await SingleProblemAsync();

        Assert.Equal("entities.json", problem.File);
        Assert.Contains("'telegram'", problem.Entry);
        Assert.Matches("citations\\[0\\]\\.excerpt: the excerpt \".+\" is not at 0\\.\\.\\d+ of source 'whatsapp-privacy-exodus-2021', which reads \"2021 a commenc", problem.Problem);
    }

    [Fact]
    public async Task Offsets_past_the_end_of_the_source_are_refused()
    {
        Edit(SeedLoader.QuotesFile, quotes => quotes[0]!["citations"]![0]!["end"] = 100_000);

        var problem = await SingleProblemAsync();

        Assert.Equal("quotes.json", problem.File);
        Assert.Contains("outside source", problem.Problem);
    }

    [Fact]
    public async Task An_unknown_kind_is_refused_with_the_kinds_allowed()
    {
        Edit(SeedLoader.EntitiesFile, entities => Find(entities, "tesla")["kind"] = "CORPORATION");

        var problem = await SingleProblemAsync();

        Assert.Contains("'tesla'", problem.Entry);
        Assert.StartsWith("kind: unknown value 'CORPORATION' (expected one of COMPANY, PERSON, APP", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_relationship_type_is_refused()
    {
        Edit(SeedLoader.RelationshipsFile, r => Find(r, "facebook-owns-whatsapp")["type"] = "POSSESSES");

        var problem = await SingleProblemAsync();

        Assert.StartsWith("type: unknown value 'POSSESSES'", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_without_citations_is_refused()
    {
        Edit(SeedLoader.ObservationsFile, observations => observations[0]!["citations"] = new JsonArray());

        var problem = await SingleProblemAsync();

        Assert.Equal("observations.json", problem.File);
        Assert.StartsWith("citations: every fact must cite its source", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_property_is_refused_rather_than_dropped()
    {
        Edit(SeedLoader.EntitiesFile, entities => Find(entities, "signal")["nmae"] = "Signal");

        var problem = await SingleProblemAsync();

        Assert.Equal("entities.json", problem.File);
        Assert.Contains("'signal'", problem.Entry);
        Assert.Equal("property 'nmae' is not part of the format (see seed/README.md)", problem.Problem);
    }

    [Fact]
    public async Task A_key_that_is_not_kebab_case_is_refused()
    {
        Edit(SeedLoader.EntitiesFile, entities => Find(entities, "spacex")["key"] = "Space_X");

        var problems = await ProblemsAsync();

        Assert.Contains(problems, p => p.File == "entities.json" && p.Problem.StartsWith("key: 'Space_X' is not lower-case kebab-case", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_observation_region_must_be_a_region()
    {
        Edit(SeedLoader.ObservationsFile, observations => observations.First(o => o!["region"] is not null)!["region"] = "facebook");

        var problem = await SingleProblemAsync();

        Assert.Equal("region: 'facebook' is a COMPANY, not a REGION", problem.Problem);
    }

    [Fact]
    public async Task A_quote_speaker_must_be_a_person()
    {
        Edit(SeedLoader.QuotesFile, quotes => quotes[0]!["speaker"] = "telegram");

        var problem = await SingleProblemAsync();

        Assert.Equal("speaker: 'telegram' is a APP, not a PERSON", problem.Problem);
    }

    [Fact]
    public async Task Malformed_json_names_the_file()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, SeedLoader.QuotesFile), "[ { \"key\": ");

        var problem = await SingleProblemAsync();

        Assert.Equal("quotes.json", problem.File);
        Assert.StartsWith("not valid JSON", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_refused()
    {
        File.Delete(Path.Combine(_directory, SeedLoader.ObservationsFile));

        var problem = await SingleProblemAsync();

        Assert.Equal(("observations.json", "the file is missing"), (problem.File, problem.Problem));
    }

    [Fact]
    public async Task A_source_file_outside_the_seed_folder_is_refused()
    {
        Edit(SeedLoader.SourcesFile, sources => sources[0]!["file"] = "../../etc/passwd");

        var problems = await ProblemsAsync();

        Assert.Contains(problems, p => p.File == "sources.json" && p.Problem.Contains("outside the seed folder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_source_without_its_publication_date_or_its_file_is_refused_by_name()
    {
        Edit(SeedLoader.SourcesFile, sources =>
        {
            sources[0]!.AsObject().Remove("publishedOn");
            sources[0]!.AsObject().Remove("file");
        });

        var problems = await ProblemsAsync();

        var problem = Assert.Single(problems, p => p.File == "sources.json");
        Assert.Contains("publishedOn", problem.Problem, StringComparison.Ordinal);
        Assert.Contains("file", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_of_a_seed_document_without_its_text_is_refused_by_name()
    {
        const string Document = """{ "sources": [ { "key": "s", "title": { "en": "S", "fr": "S" }, "language": "en", "publishedOn": "2021" } ] }""";

        var row = Assert.Single(SeedImportReader.ReadDocument(Document));

        Assert.Null(row.Record);
        Assert.Contains("text", Assert.Single(row.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once_in_one_message()
    {
        Edit(SeedLoader.EntitiesFile, entities => Find(entities, "tesla")["kind"] = "CORPORATION");
        Edit(SeedLoader.RelationshipsFile, r => Find(r, "facebook-owns-whatsapp")["to"] = "whatsup");

        var exception = await Assert.ThrowsAsync<SeedValidationException>(() => SeedLoader.LoadAsync(_directory, CancellationToken.None));

        Assert.True(exception.Problems.Count >= 2);
        Assert.Contains("entities.json, entry 'tesla'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("relationships.json, entry 'facebook-owns-whatsapp'", exception.Message, StringComparison.Ordinal);
    }

    private static JsonNode Find(JsonArray array, string key) =>
        array.First(item => (string?)item!["key"] == key) ?? throw new InvalidOperationException($"No entry '{key}'.");

    private void Edit(string file, Action<JsonArray> edit)
    {
        var path = Path.Combine(_directory, file);
        var array = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        edit(array);
        File.WriteAllText(path, array.ToJsonString());
    }

    private async Task<IReadOnlyList<SeedProblem>> ProblemsAsync()
    {
        var exception = await Assert.ThrowsAsync<SeedValidationException>(() => SeedLoader.LoadAsync(_directory, CancellationToken.None));
        return exception.Problems;
    }

    private async Task<SeedProblem> SingleProblemAsync() => Assert.Single(await ProblemsAsync());

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
