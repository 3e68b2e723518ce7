using System.Text.Encodings.Web;
using System.Text.Json;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;
using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>
/// The Cypher text and parameters each store method sends, approved in Snapshots/. A change shows up as a diff to
/// review; <c>UPDATE_SNAPSHOTS=1 dotnet test</c> rewrites them. Each read must be exactly one statement.
/// </summary>
public class CypherSnapshotTests
{
    private static readonly JsonSerializerOptions SnapshotJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Dictionary<string, Func<IGraphStore, Task>> Cases = new(StringComparer.Ordinal)
    {
        ["GetEntities"] = s => s.GetEntitiesAsync([new("whatsapp"), new("telegram"), new("whatsapp")], default),
        ["GetRelationships"] = s => s.GetRelationshipsAsync(["facebook-owns-whatsapp"], default),
        ["GetObservations"] = s => s.GetObservationsAsync(["telegram-new-users-72h"], default),
        ["GetQuotes"] = s => s.GetQuotesAsync(["durov-privacy"], default),
        ["GetRelationshipsOf.Outgoing.Owns"] = s => s.GetRelationshipsOfAsync([new("facebook")], new(RelationshipDirection.Outgoing, [RelationshipType.Owns]), default),
        ["GetRelationshipsOf.Both.AllTypes"] = s => s.GetRelationshipsOfAsync([new("signal"), new("telegram")], RelationshipFilter.All, default),
        ["GetObservationsOf"] = s => s.GetObservationsOfAsync([new("telegram")], "NEW_USERS", default),
        ["GetQuotesOf"] = s => s.GetQuotesOfAsync([new("pavel-durov")], default),
        ["GetSources.All"] = s => s.GetSourcesAsync(null, default),
        ["GetSources.ByKey"] = s => s.GetSourcesAsync(["whatsapp-privacy-exodus-2021"], default),
        ["Search"] = s => s.SearchAsync(new SearchQuery("Télégramme name:x*", [EntityKind.App], 5), default),
        ["FindShortestPaths"] = s => s.FindShortestPathsAsync(new PathQuery(new("elon-musk"), new("whatsapp"), 4, [RelationshipType.Gave, RelationshipType.Endorses, RelationshipType.CompetesWith]), default),
        ["FindShortestPaths.HopsCapped"] = s => s.FindShortestPathsAsync(new PathQuery(new("elon-musk"), new("whatsapp"), 50, null, 3), default),
        ["ListEntities.FirstPage"] = s => s.ListEntitiesAsync(new EntityQuery(First: 5, IncludeTotalCount: true), default),
        ["ListEntities.AfterByNameFr"] = s => s.ListEntitiesAsync(new EntityQuery(Kinds: [EntityKind.App], OrderBy: EntityOrderField.Name, Language: Language.Fr, First: 2, After: new EntityCursor("Signal", "signal")), default),
        ["ListEntities.LastBeforeDescending"] = s => s.ListEntitiesAsync(new EntityQuery(NameContains: "Tel", Descending: true, Last: 3, Before: new EntityCursor("telegram", "telegram")), default),
        ["QueryObservations"] = s => s.QueryObservationsAsync(new ObservationQuery(new("telegram"), "NEW_USERS_SHARE", new("europe")), default),
        ["QueryQuotes"] = s => s.QueryQuotesAsync(new EntityKey("pavel-durov"), default),
        ["CheckHealth"] = s => s.CheckHealthAsync(default),

        // The contract cases the stores once answered differently (GraphStoreContract.Semantics.cs).
        ["Search.EveryWord"] = s => s.SearchAsync(new SearchQuery("durov telegram", null, 50), default),
        ["Search.WordsCapped"] = s => s.SearchAsync(new SearchQuery("one two three four five six seven eight nine ten", null, 10), default),
        ["Search.NoKinds"] = s => s.SearchAsync(new SearchQuery("elon", [], 50), default),
        ["GetRelationshipsOf.NoTypes"] = s => s.GetRelationshipsOfAsync([new("facebook")], new(RelationshipDirection.Both, []), default),
        ["GetRelationshipsOf.KeysWithNone"] = s => s.GetRelationshipsOfAsync([new("tesla"), new("no-such-entity"), new("europe")], new(RelationshipDirection.Outgoing, [RelationshipType.Owns]), default),
        ["FindShortestPaths.NoTypes"] = s => s.FindShortestPathsAsync(new PathQuery(new("elon-musk"), new("whatsapp"), 4, []), default),
        ["ListEntities.NoKinds"] = s => s.ListEntitiesAsync(new EntityQuery(Kinds: [], First: 100, IncludeTotalCount: true), default),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Each_store_method_sends_one_approved_statement(string name)
    {
        var runner = new RecordingCypherRunner()
            .Answer(Neo4jCypher.ListEntitiesAscending.Name, EmptyPage)
            .Answer(Neo4jCypher.ListEntitiesDescending.Name, EmptyPage);

        await Cases[name](new Neo4jGraphStore(runner));

        var statement = Assert.Single(runner.Statements);
        Approve(name, Render(statement));
    }

    [Fact]
    public void The_seed_transaction_is_approved()
    {
        var statements = Neo4jGraphStore.SeedStatements(SmallSeed());

        Approve("ApplySeed.Transaction", "[\n" + string.Join(",\n", statements.Select(Render)) + "\n]");
    }

    internal static CypherResult EmptyPage => RecordingCypherRunner.Result(["page", "sortValues", "anyBefore", "total", "countsByKind"], [new List<object?>(), new List<object?>(), false, 0L, new List<object?>()]);

    internal static LoadedSeed SmallSeed()
    {
        Citation[] cite = [new("article", "Telegram", 0, 8)];
        var entities = new List<Entity>
        {
            new(new("telegram"), EntityKind.App, new("Telegram", "Telegram"), new("A messaging app.", "Une messagerie."), [new("Télégramme", Language.Fr)], cite),
            new(new("pavel-durov"), EntityKind.Person, new("Pavel Durov", "Pavel Durov"), new("Founder.", "Fondateur."), [], cite),
            new(new("europe"), EntityKind.Region, new("Europe", "Europe"), new("A region.", "Une région."), [], cite),
        };
        var relationships = new List<Relationship>
        {
            new("durov-leads-telegram", RelationshipType.Leads, new("pavel-durov"), new("telegram"), new(Role: new("head", "patron")), cite),
        };
        var observations = new List<Observation>
        {
            new("telegram-new-users-europe", new("telegram"), "NEW_USERS_SHARE", 27.5m, "percent", Precision.Exact, "2021-01", null, "PT72H", new("europe"), null, cite),
        };
        var quotes = new List<Quote> { new("durov-privacy", new("pavel-durov"), "Les gens...", Language.Fr, "People...", cite) };
        var sources = new List<Source> { new("article", new("Title", "Titre"), Language.Fr, "2021-01-13", null, "Telegram a battu...") };
        return new LoadedSeed(new GraphSnapshot(sources, entities, relationships, observations, quotes), "hash-1");
    }

    internal static string Render(CypherStatement statement) =>
        JsonSerializer.Serialize(
            new { name = statement.Name, text = statement.Text.Split('\n'), parameters = statement.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary() },
            SnapshotJson).ReplaceLineEndings("\n");

    internal static void Approve(string name, string actual)
    {
        var path = Path.Combine(RepoPaths.Snapshots, name + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(RepoPaths.Snapshots);
            File.WriteAllText(path, actual + "\n");
            return;
        }

        Assert.True(File.Exists(path), $"No approved snapshot {path}; run the tests with UPDATE_SNAPSHOTS=1, review the file and commit it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n").TrimEnd('\n'), actual);
    }
}
