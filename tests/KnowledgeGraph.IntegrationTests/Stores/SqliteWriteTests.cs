using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using KnowledgeGraph.Writes;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>Partners' writes on the embedded store: idempotent upserts, retractions, history, atomicity, concurrency.</summary>
public sealed class SqliteWriteTests : IAsyncLifetime, IDisposable
{
    private const string SourceKey = "whatsapp-privacy-exodus-2021";
    private static readonly WriteActor Partner = new("key-partner-1", "partner");

    private readonly TemporaryDirectory _directory = new("kg-writes");
    private readonly SqliteGraphStore _store;
    private string _text = string.Empty;

    public SqliteWriteTests() => _store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path });

    public async Task InitializeAsync()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        await _store.ApplySeedAsync(seed, CancellationToken.None);
        _text = seed.Graph.Sources.Single().Text;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_new_entity_is_created_then_the_same_write_changes_nothing_and_says_so()
    {
        var write = Entities(Rivals("threema"));

        var first = await ValidateAndWriteAsync(write);
        var second = await ValidateAndWriteAsync(write);

        Assert.Equal(WriteOutcome.Created, Assert.Single(first.Results).Outcome);
        Assert.Equal(WriteOutcome.Unchanged, Assert.Single(second.Results).Outcome);
        Assert.Equal(first.Revision, second.Revision);
        Assert.Single(await _store.GetHistoryAsync(RecordType.Entity, "threema", CancellationToken.None));
    }

    [Fact]
    public async Task A_changed_record_is_updated_with_a_new_revision_and_history()
    {
        var created = await ValidateAndWriteAsync(Entities(Rivals("threema")));
        var changed = Rivals("threema") with { Description = new LocalizedText("Changed.", "Modifié.") };

        var updated = await ValidateAndWriteAsync(Entities(changed));
        var history = await _store.GetHistoryAsync(RecordType.Entity, "threema", CancellationToken.None);

        Assert.Equal(WriteOutcome.Updated, Assert.Single(updated.Results).Outcome);
        Assert.Equal(created.Revision + 1, updated.Revision);
        Assert.Equal([WriteOutcome.Created, WriteOutcome.Updated], history.Select(h => h.Outcome));
        Assert.All(history, h => Assert.Equal(Partner.Id, h.Actor));
        Assert.Contains("Modifié.", history[^1].Snapshot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retracting_an_entity_withdraws_the_facts_about_it_and_keeps_why()
    {
        var receipt = await ValidateAndWriteAsync(GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Entity, "elon-musk", "test retraction")] });

        var gone = await _store.GetEntitiesAsync([new EntityKey("elon-musk")], CancellationToken.None);
        var leads = await _store.GetRelationshipsAsync(["elon-musk-leads-tesla"], CancellationToken.None);
        var history = await _store.GetHistoryAsync(RecordType.Relationship, "elon-musk-leads-tesla", CancellationToken.None);
        var again = await ValidateAndWriteAsync(GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Entity, "elon-musk", "again")] });

        Assert.Empty(gone);
        Assert.Empty(leads);
        Assert.Contains(receipt.Results, r => r is { Type: RecordType.Relationship, Key: "elon-musk-leads-tesla", Outcome: WriteOutcome.Retracted });
        var entry = Assert.Single(history);
        Assert.Equal("retracted with entity 'elon-musk': test retraction", entry.Reason);
        Assert.Equal(WriteOutcome.Unchanged, Assert.Single(again.Results).Outcome);
    }

    [Fact]
    public async Task Retracting_what_never_existed_or_a_cited_source_is_refused_and_nothing_is_written()
    {
        var revision = await _store.GetRevisionAsync(CancellationToken.None);

        var unknown = await Assert.ThrowsAsync<WriteValidationException>(() => ValidateAndWriteAsync(GraphWrite.Empty with
        {
            Entities = [Rivals("threema")],
            Retractions = [new Retraction(RecordType.Entity, "myspace", "never existed")],
        }));
        var cited = await Assert.ThrowsAsync<WriteValidationException>(() => ValidateAndWriteAsync(GraphWrite.Empty with
        {
            Retractions = [new Retraction(RecordType.Source, SourceKey, "no")],
        }));

        Assert.Equal("retractions[0].key", Assert.Single(unknown.Problems).Path);
        Assert.Contains("still cited", Assert.Single(cited.Problems).Message, StringComparison.Ordinal);
        Assert.Empty(await _store.GetEntitiesAsync([new EntityKey("threema")], CancellationToken.None));
        Assert.Equal(revision, await _store.GetRevisionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_write_without_provenance_or_with_a_wrong_excerpt_is_refused_with_the_path_of_each_problem()
    {
        var uncited = Rivals("threema") with { Citations = [] };
        var misquoted = Rivals("wire") with { Citations = [new Citation(SourceKey, "not what it says", 0, 17)] };
        var dangling = new Relationship("threema-competes-with-nobody", RelationshipType.CompetesWith, new EntityKey("threema"), new EntityKey("nobody"), RelationshipProperties.None, [Cite("rivaux de WhatsApp")]);

        var refused = await Assert.ThrowsAsync<WriteValidationException>(() => ValidateAndWriteAsync(GraphWrite.Empty with
        {
            Entities = [uncited, misquoted],
            Relationships = [dangling],
        }));

        Assert.Contains(refused.Problems, p => p.Path == "entities[0].citations");
        Assert.Contains(refused.Problems, p => p.Path == "entities[1].citations[0].excerpt" && p.Message.Contains("2021 a commencé", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Path == "relationships[0].to" && p.Message.Contains("'nobody'", StringComparison.Ordinal));
        Assert.Empty(await _store.GetEntitiesAsync([new EntityKey("threema"), new EntityKey("wire")], CancellationToken.None));
    }

    [Fact]
    public async Task Partners_writes_survive_a_changed_seed()
    {
        await ValidateAndWriteAsync(Entities(Rivals("threema")));
        var seedCopy = _directory.CopyFrom(RepositoryPaths.Seed, "seed");
        var entities = Path.Combine(seedCopy, SeedLoader.EntitiesFile);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(entities))!.AsArray();
        json.First(e => (string?)e!["key"] == "telegram")!["name"]!["en"] = "Telegram Messenger";
        await File.WriteAllTextAsync(entities, json.ToJsonString());

        var applied = await _store.ApplySeedAsync(await SeedLoader.LoadAsync(seedCopy, CancellationToken.None), CancellationToken.None);

        Assert.True(applied.Changed);
        Assert.Single(await _store.GetEntitiesAsync([new EntityKey("threema")], CancellationToken.None));
    }

    [Fact]
    public async Task Many_writers_at_once_lose_nothing_that_was_acknowledged()
    {
        const int writers = 8;
        const int writesEach = 15;

        var acknowledged = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var keys = new List<string>();
            for (var i = 0; i < writesEach; i++)
            {
                var key = $"app-{w}-{i}";
                var receipt = await ValidateAndWriteAsync(Entities(Rivals(key)));
                if (receipt.Results.Single().Outcome == WriteOutcome.Created)
                {
                    keys.Add(key);
                }
            }

            return keys;
        })));

        var all = acknowledged.SelectMany(k => k).Select(k => new EntityKey(k)).ToList();
        var stored = await _store.GetEntitiesAsync(all, CancellationToken.None);
        Assert.Equal(writers * writesEach, all.Count);
        Assert.Equal(all.Count, stored.Count);
        Assert.Equal(all.Count, (await _store.GetRevisionAsync(CancellationToken.None)) - 0);
    }

    private async Task<WriteReceipt> ValidateAndWriteAsync(GraphWrite write)
    {
        await WriteValidator.ValidateAsync(write, _store, CancellationToken.None);
        return await _store.WriteAsync(write, Partner, CancellationToken.None);
    }

    private static GraphWrite Entities(params Entity[] entities) => GraphWrite.Empty with { Entities = entities };

    private Entity Rivals(string key) => new(
        new EntityKey(key),
        EntityKind.App,
        new LocalizedText(key, key),
        new LocalizedText("A rival of WhatsApp.", "Un rival de WhatsApp."),
        [],
        [Cite("les rivaux de WhatsApp")]);

    private Citation Cite(string excerpt)
    {
        var start = _text.IndexOf(excerpt, StringComparison.Ordinal);
        return new Citation(SourceKey, excerpt, start, start + excerpt.Length);
    }
}
