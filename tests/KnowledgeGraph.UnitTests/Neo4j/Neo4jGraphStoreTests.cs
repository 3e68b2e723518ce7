using System.Text;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;
using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>The store's own logic (decoding, paging, seeding flow) over a recording runner.</summary>
public class Neo4jGraphStoreTests
{
    private static CypherResult Fixture(string name) => QueryApiResponseReader.Read(Encoding.UTF8.GetBytes(RepoPaths.Fixture(name))).Result;

    private static CypherNode EntityNode(string key, string name) => new(
        "4:db:" + key,
        ["Entity", "App"],
        new Dictionary<string, object?>
        {
            ["key"] = key,
            ["kind"] = "APP",
            ["nameEn"] = name,
            ["nameFr"] = name + " (fr)",
            ["descriptionEn"] = "d",
            ["descriptionFr"] = "d",
            ["aliases"] = """[{"text":"Télégramme","language":"fr"},{"text":"TG","language":null}]""",
            ["citations"] = """[{"source":"article","excerpt":"Telegram","start":1189,"end":1197}]""",
        });

    [Fact]
    public async Task Empty_batches_cost_no_round_trip()
    {
        var runner = new RecordingCypherRunner();
        var store = new Neo4jGraphStore(runner);

        Assert.Empty(await store.GetEntitiesAsync([], default));
        Assert.Empty(await store.GetRelationshipsOfAsync([], RelationshipFilter.All, default));
        Assert.Empty(await store.SearchAsync(new SearchQuery("  ", null, 10), default));
        Assert.Empty(await store.FindShortestPathsAsync(new PathQuery(new("a"), new("a"), 3, null), default));
        Assert.Empty(runner.Statements);
    }

    [Fact]
    public async Task Entities_decode_with_aliases_and_citations()
    {
        var runner = new RecordingCypherRunner().Answer("EntitiesByKeys", RecordingCypherRunner.Result(["e"], [EntityNode("telegram", "Telegram")]));

        var entities = await new Neo4jGraphStore(runner).GetEntitiesAsync([new("telegram"), new("missing")], default);

        var telegram = Assert.Single(entities).Value;
        Assert.Equal(EntityKind.App, telegram.Kind);
        Assert.Equal("Telegram (fr)", telegram.Name.Fr);
        Assert.Equal([new EntityAlias("Télégramme", Language.Fr), new EntityAlias("TG", null)], telegram.Aliases);
        Assert.Equal(new Citation("article", "Telegram", 1189, 1197), Assert.Single(telegram.Citations));
    }

    [Fact]
    public async Task Relationships_of_entities_are_grouped_by_entity_with_typed_properties()
    {
        var runner = new RecordingCypherRunner().Answer("RelationshipsOfEntities", Fixture("relationships-of-entities.json"));

        var groups = await new Neo4jGraphStore(runner).GetRelationshipsOfAsync([new("whatsapp"), new("durov")], RelationshipFilter.All, default);

        var owns = Assert.Single(groups[new("whatsapp")]);
        Assert.Equal((RelationshipType.Owns, new EntityKey("facebook"), new EntityKey("whatsapp")), (owns.Type, owns.From, owns.To));
        Assert.Equal(new Citation("whatsapp-privacy-exodus-2021", "Facebook", 10, 18), Assert.Single(owns.Citations));
        var leads = Assert.Single(groups[new("durov")]);
        Assert.Equal(new LocalizedText("founder and chief executive", "fondateur et directeur"), leads.Properties.Role);
        Assert.Null(leads.Properties.Note);
    }

    [Fact]
    public async Task Paths_keep_walking_order_and_each_relationship_its_own_direction()
    {
        var runner = new RecordingCypherRunner().Answer("ShortestPaths", Fixture("shortest-path.json"));

        var paths = await new Neo4jGraphStore(runner).FindShortestPathsAsync(new PathQuery(new("whatsapp"), new("facebook-privacy-scandals"), 3, null), default);

        var path = Assert.Single(paths);
        Assert.Equal(2, path.Length);
        Assert.Equal(new EntityKey("whatsapp"), path.Steps[0].From);
        Assert.Equal(new EntityKey("facebook"), path.Steps[0].To);
        Assert.Equal(new EntityKey("facebook"), path.Steps[0].Relationship.From); // walked against its direction
        Assert.Equal(new EntityKey("whatsapp"), path.Steps[0].Relationship.To);
        Assert.Equal(RelationshipType.InvolvedIn, path.Steps[1].Relationship.Type);
        Assert.Equal("2018", path.Steps[1].Relationship.Properties.OccurredOn);
    }

    [Fact]
    public async Task A_forward_page_drops_the_look_ahead_item_and_reports_both_sides()
    {
        var page = RecordingCypherRunner.Result(
            ["page", "anyBefore", "total"],
            [new List<object?> { EntityNode("signal", "Signal"), EntityNode("telegram", "Telegram"), EntityNode("whatsapp", "WhatsApp") }, true, 7L]);
        var runner = new RecordingCypherRunner().Answer("ListEntitiesAscending", page);

        var result = await new Neo4jGraphStore(runner).ListEntitiesAsync(
            new EntityQuery(OrderBy: EntityOrderField.Name, First: 2, After: new EntityCursor("Facebook", "facebook"), IncludeTotalCount: true), default);

        Assert.Equal(["signal", "telegram"], result.Items.Select(i => i.Entity.Key.Value));
        Assert.Equal(new EntityCursor("Telegram", "telegram"), result.Items[1].Cursor);
        Assert.True(result.HasNextPage);
        Assert.True(result.HasPreviousPage);
        Assert.Equal(7, result.TotalCount);
        var statement = Assert.Single(runner.Statements);
        Assert.Equal(3, statement.Parameters["limit"]);
        Assert.Equal("facebook", statement.Parameters["f0"]); // names compare lower-cased
        Assert.Equal("facebook", statement.Parameters["f1"]);
        Assert.Contains("ORDER BY e.sortEn ASC, e.key ASC", statement.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backward_page_walks_the_reverse_order_and_turns_the_page_round()
    {
        var page = RecordingCypherRunner.Result(
            ["page", "anyBefore", "total"],
            [new List<object?> { EntityNode("telegram", "Telegram"), EntityNode("signal", "Signal") }, false, 0L]);
        var runner = new RecordingCypherRunner().Answer("ListEntitiesDescending", page);

        var result = await new Neo4jGraphStore(runner).ListEntitiesAsync(
            new EntityQuery(Last: 2, Before: new EntityCursor("whatsapp", "whatsapp")), default);

        Assert.Equal("ListEntitiesDescending", Assert.Single(runner.Statements).Name);
        Assert.Equal(["signal", "telegram"], result.Items.Select(i => i.Entity.Key.Value));
        Assert.False(result.HasPreviousPage);
        Assert.False(result.HasNextPage);
        Assert.Null(result.TotalCount);
    }

    [Fact]
    public async Task A_new_seed_is_written_in_one_transaction_after_the_schema()
    {
        var runner = new RecordingCypherRunner();

        var applied = await new Neo4jGraphStore(runner).ApplySeedAsync(CypherSnapshotTests.SmallSeed(), default);

        Assert.True(applied.Changed);
        Assert.Equal((3, 1, 1, 1, 1), (applied.Entities, applied.Relationships, applied.Observations, applied.Quotes, applied.Sources));
        var expected = Neo4jCypher.Schema.Select(s => s.Name)
            .Concat(["AwaitIndexes", "SeedHash", "Begin", "LockRevision", "PruneSeed", "MergeSources", "MergeEntities", "MergeRelationships", "MergeObservations", "MergeQuotes", "MergeClaims", "RecordSeed", "Commit"]);
        Assert.Equal(expected, runner.Log);
    }

    [Fact]
    public async Task An_unchanged_seed_writes_nothing()
    {
        var runner = new RecordingCypherRunner().Answer("SeedHash", RecordingCypherRunner.Result(["contentHash"], ["hash-1"]));

        var applied = await new Neo4jGraphStore(runner).ApplySeedAsync(CypherSnapshotTests.SmallSeed(), default);

        Assert.False(applied.Changed);
        Assert.DoesNotContain("Begin", runner.Log);
        Assert.Equal("SeedHash", runner.Log[^1]);
    }

    [Fact]
    public async Task A_seed_that_fails_midway_is_rolled_back_whole()
    {
        var runner = new RecordingCypherRunner { FailInTransaction = "MergeRelationships" };

        await Assert.ThrowsAsync<Neo4jQueryException>(() => new Neo4jGraphStore(runner).ApplySeedAsync(CypherSnapshotTests.SmallSeed(), default));

        Assert.Equal(["Failed MergeRelationships", "Rollback"], runner.Log[^2..]);
        Assert.DoesNotContain("Commit", runner.Log);
        Assert.DoesNotContain("RecordSeed", runner.Log);
    }

    [Fact]
    public void Seed_rows_keep_decimals_exact_and_names_sortable_like_sqlite()
    {
        var seed = CypherSnapshotTests.SmallSeed();
        var observation = Neo4jRecords.ObservationRow(seed.Graph.Observations[0], Neo4jRecords.SeedOrigin);
        var entity = Neo4jRecords.EntityRow(seed.Graph.Entities[0], Neo4jRecords.SeedOrigin);

        var properties = (Dictionary<string, object?>)observation["properties"]!;
        Assert.Equal("27.5", properties["valueText"]);
        Assert.Equal("europe", observation["region"]);
        Assert.Equal("telegram", entity["sortEn"]);
        Assert.Equal("Télégramme", entity["aliasText"]);
        Assert.Equal("École École", Neo4jRecords.SortKey("ÉCOLE École")); // ASCII only, as SQLite's NOCASE
    }
}
