using KnowledgeGraph.Domain;
using KnowledgeGraph.Security;
using KnowledgeGraph.Store.Neo4j;
using KnowledgeGraph.Store.Neo4j.Transport;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>
/// The Neo4j write path without a server: what the store reads and sends in the write's transaction, and how it plays
/// the write against the records it read. The same behaviour runs against a real Neo4j in the contract suite.
/// </summary>
public class Neo4jWriteTests
{
    private static readonly WriteActor Partner = new("key-partner-1", "partner");
    private static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly Citation[] Cite = [new("article", "Telegram", 0, 8)];

    private static readonly Entity Telegram = CypherSnapshotTests.SmallSeed().Graph.Entities[0];
    private static readonly Entity Durov = CypherSnapshotTests.SmallSeed().Graph.Entities[1];
    private static readonly Relationship Leads = CypherSnapshotTests.SmallSeed().Graph.Relationships[0];
    private static readonly Observation Users = CypherSnapshotTests.SmallSeed().Graph.Observations[0];
    private static readonly Quote Privacy = CypherSnapshotTests.SmallSeed().Graph.Quotes[0];
    private static readonly Source Article = CypherSnapshotTests.SmallSeed().Graph.Sources[0];

    [Fact]
    public async Task A_write_is_one_transaction_locked_read_once_then_written_in_batches_and_approved()
    {
        var runner = Runner(revision: 8, existing: []);
        var threema = Telegram with { Key = new("threema"), Name = new("Threema", "Threema") };
        var write = GraphWrite.Empty with
        {
            Entities = [threema],
            Relationships = [Leads with { Key = "durov-competes-threema", Type = RelationshipType.CompetesWith, To = threema.Key }],
            Observations = [Users with { Key = "threema-users", Subject = threema.Key }],
            Quotes = [Privacy with { Key = "durov-threema" }],
        };

        var receipt = await Store(runner).WriteAsync(write, Partner, default);

        Assert.Equal(8, receipt.Revision);
        Assert.All(receipt.Results, r => Assert.Equal(WriteOutcome.Created, r.Outcome));
        Assert.Equal(
            ["Begin", "LockRevision", "WriteSnapshots", "MergeEntities", "DeleteRelationships", "CreateRelationships", "WriteObservations", "WriteQuotes", "AddHistory", "Commit"],
            runner.Log);
        CypherSnapshotTests.Approve("Write.Transaction", "[\n" + string.Join(",\n", runner.Statements.Select(CypherSnapshotTests.Render)) + "\n]");
    }

    [Fact]
    public async Task A_write_that_changes_nothing_rolls_back_and_spends_no_revision()
    {
        var runner = Runner(revision: 5, existing: [Telegram, Leads]);

        var receipt = await Store(runner).WriteAsync(GraphWrite.Empty with { Entities = [Telegram], Relationships = [Leads] }, Partner, default);

        Assert.Equal(4, receipt.Revision);
        Assert.All(receipt.Results, r => Assert.Equal(WriteOutcome.Unchanged, r.Outcome));
        Assert.Equal(["Begin", "LockRevision", "WriteSnapshots", "Rollback"], runner.Log);
    }

    [Fact]
    public async Task A_changed_record_is_updated_and_a_changed_relationship_is_laid_again()
    {
        var runner = Runner(revision: 3, existing: [Telegram, Leads]);
        var moved = Leads with { Type = RelationshipType.Founded };

        var receipt = await Store(runner).WriteAsync(GraphWrite.Empty with { Entities = [Telegram], Relationships = [moved] }, Partner, default);

        Assert.Equal([WriteOutcome.Unchanged, WriteOutcome.Updated], receipt.Results.Select(r => r.Outcome));
        Assert.Equal(["Begin", "LockRevision", "WriteSnapshots", "DeleteRelationships", "CreateRelationships", "AddHistory", "Commit"], runner.Log);
        Assert.Equal(["durov-leads-telegram"], (IEnumerable<string>)runner.Sent("DeleteRelationships").Parameters["keys"]!);
        var row = Assert.Single(Rows(runner.Sent("CreateRelationships")));
        Assert.Equal(("FOUNDED", "write"), ((string)row["type"]!, (string)((Dictionary<string, object?>)row["properties"]!)["origin"]!));
        var history = Assert.Single(Rows(runner.Sent("AddHistory")));
        Assert.Equal(("Relationship", "Updated", 3L, "key-partner-1", "2025-03-04T05:06:07.0000000+00:00"),
            ((string)history["recordType"]!, (string)history["outcome"]!, (long)history["revision"]!, (string)history["actor"]!, (string)history["at"]!));
        Assert.Equal(RecordSnapshot.Of(moved), history["snapshot"]);
    }

    [Fact]
    public async Task Retracting_an_entity_takes_its_relationships_observations_and_quotes_each_with_history()
    {
        var runner = Runner(revision: 2, existing: [Telegram, Durov, Leads, Users, Privacy]);

        var receipt = await Store(runner).WriteAsync(
            GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Entity, "pavel-durov", "test")] }, Partner, default);

        Assert.Equal(
            [(RecordType.Relationship, "durov-leads-telegram"), (RecordType.Quote, "durov-privacy"), (RecordType.Entity, "pavel-durov")],
            receipt.Results.Select(r => (r.Type, r.Key)));
        Assert.All(receipt.Results, r => Assert.Equal(WriteOutcome.Retracted, r.Outcome));
        Assert.Equal(["Begin", "LockRevision", "WriteSnapshots", "DeleteRelationships", "DeleteRecords", "AddHistory", "Commit"], runner.Log);
        var snapshotRead = runner.Sent("WriteSnapshots").Parameters;
        Assert.Equal(["pavel-durov"], (IEnumerable<string>)snapshotRead["retractedEntities"]!);
        var deleted = runner.Sent("DeleteRecords").Parameters;
        Assert.Equal(["pavel-durov"], (List<string>)deleted["entityKeys"]!);
        Assert.Equal(["durov-privacy"], (List<string>)deleted["quoteKeys"]!);
        Assert.Empty((List<string>)deleted["observationKeys"]!); // Durov's figure is about Telegram: it stays
        var reasons = Rows(runner.Sent("AddHistory")).Select(h => (string?)h["reason"]).ToList();
        Assert.Equal(["retracted with entity 'pavel-durov': test", "retracted with entity 'pavel-durov': test", "test"], reasons);
        Assert.Equal([0L, 1L, 2L], Rows(runner.Sent("AddHistory")).Select(h => (long)h["sequence"]!));
    }

    [Fact]
    public async Task Retracting_an_unknown_key_is_refused_unless_it_was_retracted_before()
    {
        var refusedRunner = Runner(revision: 2, existing: []);
        var againRunner = Runner(revision: 2, existing: [], retracted: [(RecordType.Entity, "myspace")]);
        var write = GraphWrite.Empty with { Entities = [Telegram], Retractions = [new Retraction(RecordType.Entity, "myspace", "gone")] };

        var refused = await Assert.ThrowsAsync<WriteValidationException>(() => Store(refusedRunner).WriteAsync(write, Partner, default));
        var again = await Store(againRunner).WriteAsync(write with { Entities = [] }, Partner, default);

        Assert.Equal("retractions[0].key", Assert.Single(refused.Problems).Path);
        Assert.Equal(["Begin", "LockRevision", "WriteSnapshots", "Rollback"], refusedRunner.Log);
        Assert.Equal(WriteOutcome.Unchanged, Assert.Single(again.Results).Outcome);
        Assert.Equal(["Begin", "LockRevision", "WriteSnapshots", "Rollback"], againRunner.Log);
    }

    [Fact]
    public async Task A_cited_source_cannot_be_retracted_and_its_citings_are_read_only_then()
    {
        var runner = Runner(revision: 2, existing: [Article], citing: [Telegram, Leads]);

        var refused = await Assert.ThrowsAsync<WriteValidationException>(() => Store(runner).WriteAsync(
            GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Source, "article", "no")] }, Partner, default));

        Assert.Contains("still cited 2 times", Assert.Single(refused.Problems).Message, StringComparison.Ordinal);
        Assert.Equal(["Begin", "LockRevision", "WriteSnapshots", "CitingRecords", "Rollback"], runner.Log);
        Assert.Equal(["\"source\":\"article\""], (IEnumerable<string>)runner.Sent("CitingRecords").Parameters["patterns"]!);
    }

    [Fact]
    public async Task A_new_text_for_a_cited_source_is_refused_once_its_citings_are_read()
    {
        var runner = Runner(revision: 2, existing: [Article], citing: [Telegram, Leads]);

        var refused = await Assert.ThrowsAsync<WriteValidationException>(() => Store(runner).WriteAsync(
            GraphWrite.Empty with { Sources = [Article with { Text = "Replaced." }] }, Partner, default));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal("sources[0].text", problem.Path);
        Assert.Contains("cited by 2 excerpts", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["Begin", "LockRevision", "WriteSnapshots", "CitingRecords", "Rollback"], runner.Log);
    }

    [Fact]
    public async Task A_record_that_went_away_since_validation_refuses_the_whole_write()
    {
        var runner = Runner(revision: 2, existing: [], written: 0);

        var refused = await Assert.ThrowsAsync<WriteValidationException>(() =>
            Store(runner).WriteAsync(GraphWrite.Empty with { Relationships = [Leads] }, Partner, default));

        Assert.Contains("no longer exists", Assert.Single(refused.Problems).Message, StringComparison.Ordinal);
        Assert.Equal("Rollback", runner.Log[^1]);
        Assert.DoesNotContain("AddHistory", runner.Log);
        Assert.DoesNotContain("Commit", runner.Log);
    }

    [Fact]
    public async Task History_and_revision_are_read_back()
    {
        var node = new CypherNode("h1", ["History"], new Dictionary<string, object?>
        {
            ["recordType"] = "Entity",
            ["recordKey"] = "telegram",
            ["outcome"] = "Retracted",
            ["actor"] = "key-1",
            ["at"] = "2025-03-04T05:06:07.0000000+00:00",
            ["reason"] = "why",
            ["snapshot"] = "{}",
            ["revision"] = 4L,
            ["sequence"] = 0L,
        });
        var runner = new RecordingCypherRunner()
            .Answer("HistoryOf", RecordingCypherRunner.Result(["h"], [node]))
            .Answer("Revision", RecordingCypherRunner.Result(["revision"], [4L]));

        var history = await Store(runner).GetHistoryAsync(RecordType.Entity, "telegram", default);
        var revision = await Store(runner).GetRevisionAsync(default);

        Assert.Equal(new HistoryEntry(RecordType.Entity, "telegram", WriteOutcome.Retracted, "key-1", At, "why", "{}", 4), Assert.Single(history));
        Assert.Equal(4, revision);
        Assert.Equal(new Dictionary<string, object?> { ["type"] = "Entity", ["key"] = "telegram" }, runner.Sent("HistoryOf").Parameters);
    }

    [Fact]
    public async Task Api_keys_are_nodes_found_by_hash_and_revoked_once()
    {
        var created = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var node = new CypherNode("k1", ["ApiKey"], new Dictionary<string, object?>
        {
            ["id"] = "key_1",
            ["name"] = "partner",
            ["role"] = "Partner",
            ["hash"] = "abc",
            ["createdAt"] = "2025-01-01T00:00:00.0000000+00:00",
        });
        var runner = new RecordingCypherRunner()
            .Answer("ApiKeyByHash", RecordingCypherRunner.Result(["k"], [node]))
            .Answer("RevokeApiKey", RecordingCypherRunner.Result(["revoked"], [1L]));
        var store = new Neo4jApiKeyStore(runner);

        await store.AddAsync(new ApiKeyRecord("key_1", "partner", ApiRole.Partner, created, null), "abc", default);
        var found = await store.FindByHashAsync("abc", default);
        var revoked = await store.RevokeAsync("key_1", created, default);

        Assert.Equal(new ApiKeyRecord("key_1", "partner", ApiRole.Partner, created, null), found);
        Assert.True(revoked);
        var added = (IReadOnlyDictionary<string, object?>)runner.Sent("AddApiKey").Parameters["key"]!;
        Assert.Equal(("abc", "Partner", "2025-01-01T00:00:00.0000000+00:00"), ((string)added["hash"]!, (string)added["role"]!, (string)added["createdAt"]!));
        Assert.DoesNotContain(added.Values, v => v is string s && s.StartsWith("kg_", StringComparison.Ordinal));
    }

    private static Neo4jGraphStore Store(RecordingCypherRunner runner) => new(runner) { Clock = new FixedClock(At) };

    private static List<Dictionary<string, object?>> Rows(CypherStatement statement) =>
        ((System.Collections.IEnumerable)statement.Parameters.Values.Single()!).Cast<Dictionary<string, object?>>().ToList();

    /// <summary>
    /// A runner that answers the write's statements as Neo4j would for a graph holding <paramref name="existing"/> and
    /// the source every test record cites.
    /// </summary>
    private static RecordingCypherRunner Runner(
        long revision, object[] existing, object[]? citing = null, (RecordType Type, string Key)[]? retracted = null, long? written = null) =>
        new RecordingCypherRunner()
            .Answer("LockRevision", RecordingCypherRunner.Result(["revision"], [revision]))
            .Answer("WriteSnapshots", RecordingCypherRunner.Result(
                ["sources", "entities", "relationships", "observations", "quotes", "retracted"],
                [.. Lists([Article, .. existing.Where(r => r is not Source)]), (retracted ?? []).Select(r => (object?)new Dictionary<string, object?> { ["type"] = r.Type.ToString(), ["key"] = r.Key }).ToList()]))
            .Answer("CitingRecords", RecordingCypherRunner.Result(["entities", "relationships", "observations", "quotes"], [.. Lists(citing ?? []).Skip(1)]))
            .Answer("CreateRelationships", s => Written(s, written))
            .Answer("WriteObservations", s => Written(s, written))
            .Answer("WriteQuotes", s => Written(s, written));

    private static CypherResult Written(CypherStatement statement, long? written) =>
        RecordingCypherRunner.Result(["written"], [written ?? Rows(statement).Count]);

    // The lists WriteSnapshots returns: nodes of sources and entities, {record, from, to} maps of the others.
    private static object?[] Lists(object[] records) =>
    [
        records.OfType<Source>().Select(s => (object?)Node(Neo4jRecords.SourceRow(s, "seed"))).ToList(),
        records.OfType<Entity>().Select(e => (object?)Node(Neo4jRecords.EntityRow(e, "seed"))).ToList(),
        records.OfType<Relationship>().Select(r => (object?)Map(
            new CypherRelationship("r:" + r.Key, "n:" + r.From, "n:" + r.To, Vocabulary.ToWireName(r.Type), Properties(Neo4jRecords.RelationshipRow(r, "seed"))),
            r.From.Value, r.To.Value)).ToList(),
        records.OfType<Observation>().Select(o => (object?)Map(Node(Properties(Neo4jRecords.ObservationRow(o, "seed"))), o.Subject.Value, o.Region?.Value)).ToList(),
        records.OfType<Quote>().Select(q => (object?)Map(Node(Properties(Neo4jRecords.QuoteRow(q, "seed"))), q.Speaker.Value, null)).ToList(),
    ];

    private static Dictionary<string, object?> Properties(Dictionary<string, object?> row) => (Dictionary<string, object?>)row["properties"]!;

    // As Neo4j stores a map set on a node: null values are absent properties.
    private static CypherNode Node(Dictionary<string, object?> properties) =>
        new("n:" + properties["key"], [], properties.Where(p => p.Value is not null).ToDictionary());

    private static Dictionary<string, object?> Map(object record, string from, string? to) => new() { ["record"] = record, ["from"] = from, ["to"] = to };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
