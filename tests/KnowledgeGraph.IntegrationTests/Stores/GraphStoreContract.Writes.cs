using KnowledgeGraph.Domain;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Testing;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.IntegrationTests.Stores;

// Partners' writes, the same for every store: idempotent upserts, retractions with their cascade and reasons,
// history, the revision, all-or-nothing refusals, seed changes that spare partners' records, concurrent writers.
// Records a test writes have keys of their own (a random suffix), so no two tests meet in a shared database.
public abstract partial class GraphStoreContract
{
    private const string SourceKey = "whatsapp-privacy-exodus-2021";
    private static readonly WriteActor Partner = new("key-partner-1", "partner");

    [ContractFact]
    public async Task A_new_record_is_created_then_the_same_write_changes_nothing_and_spends_no_revision()
    {
        var store = await SeededAsync();
        var key = Unique("threema");
        var write = Entities(await AppAsync(key));

        var first = await ValidateAndWriteAsync(store, write);
        var second = await ValidateAndWriteAsync(store, write);

        Assert.Equal(WriteOutcome.Created, Assert.Single(first.Results).Outcome);
        Assert.Equal(WriteOutcome.Unchanged, Assert.Single(second.Results).Outcome);
        Assert.False(second.ChangedAnything);
        Assert.Equal(first.Revision, second.Revision);
        Assert.Equal(first.Revision, await store.GetRevisionAsync(CancellationToken.None));
        var entry = Assert.Single(await store.GetHistoryAsync(RecordType.Entity, key, CancellationToken.None));
        Assert.Equal((WriteOutcome.Created, Partner.Id, first.Revision, (string?)null), (entry.Outcome, entry.Actor, entry.Revision, entry.Reason));
        Assert.Equal(write.Entities[0], (await store.GetEntitiesAsync([new EntityKey(key)], CancellationToken.None))[new EntityKey(key)], EntityComparer.Instance);
    }

    [ContractFact]
    public async Task A_changed_record_is_updated_with_the_next_revision_and_its_history()
    {
        var store = await SeededAsync();
        var key = Unique("threema");
        var created = await ValidateAndWriteAsync(store, Entities(await AppAsync(key)));
        var changed = await AppAsync(key) with { Description = new LocalizedText("Changed.", "Modifié.") };

        var updated = await ValidateAndWriteAsync(store, Entities(changed));
        var history = await store.GetHistoryAsync(RecordType.Entity, key, CancellationToken.None);

        Assert.Equal(WriteOutcome.Updated, Assert.Single(updated.Results).Outcome);
        Assert.Equal(created.Revision + 1, updated.Revision);
        Assert.Equal([WriteOutcome.Created, WriteOutcome.Updated], history.Select(h => h.Outcome));
        Assert.Equal([created.Revision, updated.Revision], history.Select(h => h.Revision));
        Assert.All(history, h => Assert.Equal(Partner.Id, h.Actor));
        Assert.Contains("Modifié.", history[^1].Snapshot, StringComparison.Ordinal);
        Assert.Equal("Changed.", (await store.GetEntitiesAsync([new EntityKey(key)], CancellationToken.None))[new EntityKey(key)].Description.En);
    }

    [ContractFact]
    public async Task A_relationship_rewritten_with_another_type_and_ends_is_read_back_so()
    {
        var store = await SeededAsync();
        var key = Unique("rival");
        var app = await AppAsync(key);
        var relationship = new Relationship(key + "-competes", RelationshipType.CompetesWith, app.Key, new EntityKey("whatsapp"), RelationshipProperties.None, [await CiteAsync("les rivaux de WhatsApp")]);
        await ValidateAndWriteAsync(store, GraphWrite.Empty with { Entities = [app], Relationships = [relationship] });
        var moved = relationship with { Type = RelationshipType.Displaced, To = new EntityKey("telegram"), Properties = new RelationshipProperties(OccurredOn: "2021-01") };

        var receipt = await ValidateAndWriteAsync(store, GraphWrite.Empty with { Relationships = [moved] });
        var read = await store.GetRelationshipsAsync([moved.Key], CancellationToken.None);
        var ofWhatsapp = await store.GetRelationshipsOfAsync([new EntityKey("whatsapp")], RelationshipFilter.All, CancellationToken.None);

        Assert.Equal(WriteOutcome.Updated, Assert.Single(receipt.Results).Outcome);
        var stored = Assert.Single(read).Value;
        Assert.Equal((RelationshipType.Displaced, new EntityKey("telegram"), "2021-01"), (stored.Type, stored.To, stored.Properties.OccurredOn));
        Assert.DoesNotContain(ofWhatsapp[new EntityKey("whatsapp")], r => r.Key == moved.Key);
    }

    [ContractFact]
    public async Task Retracting_an_entity_withdraws_the_facts_about_it_each_with_its_own_history_and_why()
    {
        var store = await SeededAsync();
        var (app, person) = (await AppAsync(Unique("rival")), await PersonAsync(Unique("founder")));
        var cite = await CiteAsync("les rivaux de WhatsApp");
        var competes = new Relationship(app.Key.Value + "-competes", RelationshipType.CompetesWith, app.Key, new EntityKey("whatsapp"), RelationshipProperties.None, [cite]);
        var leads = new Relationship(person.Key.Value + "-leads", RelationshipType.Leads, person.Key, app.Key, new RelationshipProperties(Role: new LocalizedText("founder", "fondateur")), [cite]);
        var users = new Observation(app.Key.Value + "-users", app.Key, "NEW_USERS", 1_000m, "users", Precision.Approximate, "2021-01", null, null, new EntityKey("europe"), null, [cite]) { DateBasis = DateBasis.Stated };
        var quote = new Quote(person.Key.Value + "-says", person.Key, "Bonjour.", Language.Fr, "Hello.", [cite]);
        await ValidateAndWriteAsync(store, GraphWrite.Empty with { Entities = [app, person], Relationships = [competes, leads], Observations = [users], Quotes = [quote] });
        var revision = await store.GetRevisionAsync(CancellationToken.None);

        var receipt = await ValidateAndWriteAsync(store, GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Entity, app.Key.Value, "duplicate of another app")] });

        Assert.Equal(revision + 1, receipt.Revision);
        (RecordType, string)[] withdrawn = [(RecordType.Relationship, competes.Key), (RecordType.Relationship, leads.Key), (RecordType.Observation, users.Key), (RecordType.Entity, app.Key.Value)];
        Assert.Equal(withdrawn.Order(), receipt.Results.Select(r => (r.Type, r.Key)).Order());
        Assert.Equal((RecordType.Entity, app.Key.Value), (receipt.Results[^1].Type, receipt.Results[^1].Key)); // its facts first
        Assert.All(receipt.Results, r => Assert.Equal(WriteOutcome.Retracted, r.Outcome));
        Assert.Empty(await store.GetEntitiesAsync([app.Key], CancellationToken.None));
        Assert.Empty(await store.GetRelationshipsAsync([competes.Key, leads.Key], CancellationToken.None));
        Assert.Empty(await store.GetObservationsAsync([users.Key], CancellationToken.None));
        Assert.Single(await store.GetQuotesAsync([quote.Key], CancellationToken.None)); // the speaker stays, and so do their words
        Assert.Equal(2, (await store.GetEntitiesAsync([person.Key, new EntityKey("whatsapp")], CancellationToken.None)).Count);
        var leadsHistory = await store.GetHistoryAsync(RecordType.Relationship, leads.Key, CancellationToken.None);
        Assert.Equal([WriteOutcome.Created, WriteOutcome.Retracted], leadsHistory.Select(h => h.Outcome));
        Assert.Equal($"retracted with entity '{app.Key}': duplicate of another app", leadsHistory[^1].Reason);
        Assert.Contains("fondateur", leadsHistory[^1].Snapshot, StringComparison.Ordinal); // the record as it stood before
        Assert.Equal("duplicate of another app", (await store.GetHistoryAsync(RecordType.Entity, app.Key.Value, CancellationToken.None))[^1].Reason);

        var again = await ValidateAndWriteAsync(store, GraphWrite.Empty with
        {
            Retractions = [new Retraction(RecordType.Entity, app.Key.Value, "again"), new Retraction(RecordType.Observation, users.Key, "already gone")],
        });

        Assert.All(again.Results, r => Assert.Equal(WriteOutcome.Unchanged, r.Outcome));
        Assert.Equal(receipt.Revision, again.Revision);
        Assert.Equal(receipt.Revision, await store.GetRevisionAsync(CancellationToken.None));
    }

    [ContractFact]
    public async Task Retracting_what_never_existed_or_a_cited_source_is_refused_and_nothing_of_the_write_is_applied()
    {
        var store = await SeededAsync();
        var key = Unique("threema");
        var revision = await store.GetRevisionAsync(CancellationToken.None);

        var unknown = await Assert.ThrowsAsync<WriteValidationException>(async () => await ValidateAndWriteAsync(store, GraphWrite.Empty with
        {
            Entities = [await AppAsync(key)],
            Retractions = [new Retraction(RecordType.Entity, "myspace", "never existed")],
        }));
        var cited = await Assert.ThrowsAsync<WriteValidationException>(async () => await ValidateAndWriteAsync(store, GraphWrite.Empty with
        {
            Entities = [await AppAsync(key)],
            Retractions = [new Retraction(RecordType.Source, SourceKey, "no")],
        }));

        Assert.Equal("retractions[0].key", Assert.Single(unknown.Problems).Path);
        Assert.Contains("'myspace'", unknown.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("retractions[0].key", Assert.Single(cited.Problems).Path);
        Assert.Contains("still cited", cited.Problems[0].Message, StringComparison.Ordinal);
        Assert.Empty(await store.GetEntitiesAsync([new EntityKey(key)], CancellationToken.None));
        Assert.Empty(await store.GetHistoryAsync(RecordType.Entity, key, CancellationToken.None));
        Assert.Single(await store.GetSourcesAsync([SourceKey], CancellationToken.None));
        Assert.Equal(revision, await store.GetRevisionAsync(CancellationToken.None));
    }

    [ContractFact]
    public async Task A_cited_source_keeps_every_excerpt_at_its_offsets_whatever_text_a_write_gives_it()
    {
        var store = await SeededAsync();
        var key = Unique("blog-post");
        var source = new Source(key, new LocalizedText("A post", "Un billet"), Language.En, "2021-01-15", null, "Threema is a rival.");
        var app = await AppAsync(Unique("threema")) with { Citations = [new Citation(key, "Threema", 0, 7)] };
        await ValidateAndWriteAsync(store, GraphWrite.Empty with { Sources = [source] });
        var uncited = await ValidateAndWriteAsync(store, GraphWrite.Empty with { Sources = [source with { Text = "Threema is a Swiss rival." }] });
        await ValidateAndWriteAsync(store, GraphWrite.Empty with { Entities = [app] });

        // Straight to the store, past the validator: the store's own plan, read inside its transaction, refuses it.
        var replaced = await Assert.ThrowsAsync<WriteValidationException>(() =>
            store.WriteAsync(GraphWrite.Empty with { Sources = [source with { Text = "Forty characters of something else." }] }, Partner, CancellationToken.None));
        var article = (await Seed.Value).Graph.Sources.Single(s => s.Key == SourceKey);
        var seedReplaced = await Assert.ThrowsAsync<WriteValidationException>(() =>
            ValidateAndWriteAsync(store, GraphWrite.Empty with { Sources = [article with { Text = "Replaced." }] }));
        var extended = await ValidateAndWriteAsync(store, GraphWrite.Empty with { Sources = [source with { Text = "Threema is a Swiss rival. It is paid." }] });

        Assert.Equal(WriteOutcome.Updated, Assert.Single(uncited.Results).Outcome);
        var problem = Assert.Single(replaced.Problems);
        Assert.Equal("sources[0].text", problem.Path);
        Assert.Contains($"source '{key}' is cited by 1 excerpts", problem.Message, StringComparison.Ordinal);
        Assert.Contains("is cited by", Assert.Single(seedReplaced.Problems).Message, StringComparison.Ordinal);
        Assert.Equal(WriteOutcome.Updated, Assert.Single(extended.Results).Outcome); // every excerpt still stands
        Assert.Equal("Threema is a Swiss rival. It is paid.", (await store.GetSourcesAsync([key], CancellationToken.None))[key].Text);
        Assert.Equal(article.Text, (await store.GetSourcesAsync([SourceKey], CancellationToken.None))[SourceKey].Text);
    }

    [ContractFact]
    public async Task A_source_no_fact_cites_any_more_can_be_retracted()
    {
        var store = await SeededAsync();
        var key = Unique("blog-post");
        var source = new Source(key, new LocalizedText("A post", "Un billet"), Language.En, "2021-01-15", null, "Threema is a rival.");
        var app = await AppAsync(Unique("threema")) with { Citations = [new Citation(key, "Threema", 0, 7)] };
        await ValidateAndWriteAsync(store, GraphWrite.Empty with { Sources = [source], Entities = [app] });

        var refused = await Assert.ThrowsAsync<WriteValidationException>(() => ValidateAndWriteAsync(store, GraphWrite.Empty with
        {
            Retractions = [new Retraction(RecordType.Source, key, "withdrawn")],
        }));
        var recited = app with { Citations = [await CiteAsync("les rivaux de WhatsApp")] };
        var receipt = await ValidateAndWriteAsync(store, GraphWrite.Empty with
        {
            Entities = [recited],
            Retractions = [new Retraction(RecordType.Source, key, "withdrawn")],
        });

        Assert.Contains("still cited 1 times", Assert.Single(refused.Problems).Message, StringComparison.Ordinal);
        Assert.Equal([WriteOutcome.Updated, WriteOutcome.Retracted], receipt.Results.Select(r => r.Outcome));
        Assert.Empty(await store.GetSourcesAsync([key], CancellationToken.None));
    }

    [ContractFact]
    public async Task A_write_without_provenance_or_with_a_wrong_excerpt_is_refused_with_the_path_of_each_problem()
    {
        var store = await SeededAsync();
        var (first, second) = (Unique("threema"), Unique("wire"));
        var uncited = await AppAsync(first) with { Citations = [] };
        var misquoted = await AppAsync(second) with { Citations = [new Citation(SourceKey, "not what it says", 0, 17)] };
        var dangling = new Relationship(first + "-competes-with-nobody", RelationshipType.CompetesWith, new EntityKey(first), new EntityKey("nobody"), RelationshipProperties.None, [await CiteAsync("rivaux de WhatsApp")]);

        var refused = await Assert.ThrowsAsync<WriteValidationException>(() => ValidateAndWriteAsync(store, GraphWrite.Empty with
        {
            Entities = [uncited, misquoted],
            Relationships = [dangling],
        }));

        Assert.Contains(refused.Problems, p => p.Path == "entities[0].citations");
        Assert.Contains(refused.Problems, p => p.Path == "entities[1].citations[0].excerpt" && p.Message.Contains("2021 a commencé", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Path == "relationships[0].to" && p.Message.Contains("'nobody'", StringComparison.Ordinal));
        Assert.Empty(await store.GetEntitiesAsync([new EntityKey(first), new EntityKey(second)], CancellationToken.None));
    }

    [ContractFact]
    public async Task Partners_writes_survive_a_changed_seed_and_the_seed_still_replaces_its_own()
    {
        var store = await SeededAsync();
        var app = await AppAsync(Unique("threema"));
        var cite = await CiteAsync("les rivaux de WhatsApp");
        var competes = new Relationship(app.Key.Value + "-competes", RelationshipType.CompetesWith, app.Key, new EntityKey("telegram"), RelationshipProperties.None, [cite]);
        var aboutTelegram = new Observation(app.Key.Value + "-telegram-users", new EntityKey("telegram"), "NEW_USERS", 5m, "users", Precision.Exact, "2021-01", null, null, null, null, [cite]) { DateBasis = DateBasis.Stated };
        await ValidateAndWriteAsync(store, GraphWrite.Empty with { Entities = [app], Relationships = [competes], Observations = [aboutTelegram] });

        using var directory = new TemporaryDirectory("kg-seed-change");
        var seedCopy = directory.CopyFrom(RepositoryPaths.Seed, "seed");
        var entities = Path.Combine(seedCopy, SeedLoader.EntitiesFile);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(entities))!.AsArray();
        json.First(e => (string?)e!["key"] == "telegram")!["name"]!["en"] = "Telegram Messenger";
        await File.WriteAllTextAsync(entities, json.ToJsonString());

        var applied = await store.ApplySeedAsync(await SeedLoader.LoadAsync(seedCopy, CancellationToken.None), CancellationToken.None);

        Assert.True(applied.Changed);
        Assert.Equal("Telegram Messenger", (await store.GetEntitiesAsync([new EntityKey("telegram")], CancellationToken.None))[new EntityKey("telegram")].Name.En);
        Assert.Single(await store.GetEntitiesAsync([app.Key], CancellationToken.None));
        Assert.Equal(new EntityKey("telegram"), Assert.Single(await store.GetRelationshipsAsync([competes.Key], CancellationToken.None)).Value.To);
        var observations = await store.GetObservationsOfAsync([new EntityKey("telegram")], "NEW_USERS", CancellationToken.None);
        Assert.Contains(observations[new EntityKey("telegram")], o => o.Key == aboutTelegram.Key);
    }

    [ContractFact]
    public async Task Many_writers_at_once_lose_nothing_that_was_acknowledged()
    {
        const int writers = 6;
        const int writesEach = 8;
        var store = await SeededAsync();
        var revision = await store.GetRevisionAsync(CancellationToken.None);
        var run = Unique("app");

        var acknowledged = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var keys = new List<string>();
            for (var i = 0; i < writesEach; i++)
            {
                var key = $"{run}-{w}-{i}";
                var receipt = await ValidateAndWriteAsync(store, Entities(await AppAsync(key)));
                if (receipt.Results.Single().Outcome == WriteOutcome.Created)
                {
                    keys.Add(key);
                }
            }

            return keys;
        })));

        var all = acknowledged.SelectMany(k => k).Select(k => new EntityKey(k)).ToList();
        var stored = await store.GetEntitiesAsync(all, CancellationToken.None);
        Assert.Equal(writers * writesEach, all.Count);
        Assert.Equal(all.Count, stored.Count);
        Assert.Equal(revision + all.Count, await store.GetRevisionAsync(CancellationToken.None));
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static async Task<WriteReceipt> ValidateAndWriteAsync(IGraphStore store, GraphWrite write)
    {
        await WriteValidator.ValidateAsync(write, store, CancellationToken.None);
        return await store.WriteAsync(write, Partner, CancellationToken.None);
    }

    private static GraphWrite Entities(params Entity[] entities) => GraphWrite.Empty with { Entities = entities };

    private static async Task<Entity> AppAsync(string key) => new(
        new EntityKey(key),
        EntityKind.App,
        new LocalizedText(key, key),
        new LocalizedText("A rival of WhatsApp.", "Un rival de WhatsApp."),
        [new EntityAlias(key.ToUpperInvariant(), null)],
        [await CiteAsync("les rivaux de WhatsApp")]);

    private static async Task<Entity> PersonAsync(string key) => await AppAsync(key) with
    {
        Kind = EntityKind.Person,
        Description = new LocalizedText("A founder.", "Un fondateur."),
    };

    private static async Task<Citation> CiteAsync(string excerpt)
    {
        var text = (await Seed.Value).Graph.Sources.Single(s => s.Key == SourceKey).Text;
        var start = text.IndexOf(excerpt, StringComparison.Ordinal);
        Assert.True(start >= 0, $"The seed's source no longer holds \"{excerpt}\".");
        return new Citation(SourceKey, excerpt, start, start + excerpt.Length);
    }

    private sealed class EntityComparer : IEqualityComparer<Entity>
    {
        public static readonly EntityComparer Instance = new();

        public bool Equals(Entity? x, Entity? y) =>
            x is not null && y is not null && RecordSnapshot.Of(x) == RecordSnapshot.Of(y);

        public int GetHashCode(Entity obj) => obj.Key.GetHashCode();
    }
}
