using System.Text.Json;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;
using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>
/// The Cypher the filters, orders and counts plan (Neo4jFilterCypher): approved in Snapshots/ like every statement,
/// and put through Neo4j's own parser, since these texts are made per query rather than kept in the catalogue.
/// </summary>
public class FilterCypherTests
{
    private static readonly EntityFilterSpec FacebookOwns = new()
    {
        Related = new RelatedSpec(RelationshipType.Owns, RelationshipDirection.Incoming, new EntityFilterSpec { KeyEq = "facebook" }),
    };

    private static readonly EntityFilterSpec GainedButNotWhatsApp = new()
    {
        KindEq = EntityKind.App,
        Not = new EntityFilterSpec { KeyEq = "whatsapp" },
        Related = new RelatedSpec(
            RelationshipType.BenefitedFrom,
            RelationshipDirection.Outgoing,
            new EntityFilterSpec { KindEq = EntityKind.Controversy, Related = new RelatedSpec(RelationshipType.InvolvedIn) }),
    };

    private static readonly EntityFilterSpec MoreThan100MillionMonthlyUsers = new()
    {
        Observation = new ObservationSpec("MONTHLY_ACTIVE_USERS", new NumberRange(Gt: 100_000_000)),
    };

    private static readonly EntityFilterSpec NamesOrKeys = new()
    {
        Or = [new EntityFilterSpec { NameStartsWith = "Télé" }, new EntityFilterSpec { NameEq = "Signal" }, new EntityFilterSpec { KeyIn = ["facebook", "tesla"] }],
        Not = new EntityFilterSpec { Related = new RelatedSpec(RelationshipType.Owns) },
    };

    private static readonly Dictionary<string, Func<IGraphStore, Task>> Cases = new(StringComparer.Ordinal)
    {
        ["ListEntities.Filter.FacebookOwns"] = s => s.ListEntitiesAsync(new EntityQuery(First: 10, Where: FacebookOwns.Normalise()), default),
        ["ListEntities.Filter.GainedButNotWhatsApp"] = s => s.ListEntitiesAsync(new EntityQuery(First: 10, Where: GainedButNotWhatsApp.Normalise(), IncludeTotalCount: true), default),
        ["ListEntities.Filter.MonthlyActiveUsers"] = s => s.ListEntitiesAsync(new EntityQuery(First: 10, Where: MoreThan100MillionMonthlyUsers.Normalise()), default),
        ["ListEntities.Filter.NamesOrKeys.CountsByKind"] = s => s.ListEntitiesAsync(new EntityQuery(Kinds: [EntityKind.App, EntityKind.Company], First: 10, Where: NamesOrKeys.Normalise(), IncludeCountsByKind: true), default),
        ["ListEntities.OrderByDegreeThenKind.After"] = s => s.ListEntitiesAsync(
            new EntityQuery(OrderBy: EntityOrderField.Degree, Descending: true, ThenBy: [new EntitySort(EntityOrderField.Kind)], First: 5, After: new EntityCursor(["7", "APP"], "whatsapp")), default),
        ["GetRelationshipsOf.ToNodes"] = s => s.GetRelationshipsOfAsync([new("signal")], new RelationshipFilter(RelationshipDirection.Outgoing, null, new EntityFilterSpec { KindEq = EntityKind.Platform }.Normalise()), default),
        ["QueryObservations.InRange"] = s => s.QueryObservationsAsync(new ObservationQuery(Metric: "NEW_USERS_SHARE", Value: new NumberRange(Gte: 20, Lt: 38)), default),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Each_filtered_read_sends_one_approved_statement(string name)
    {
        var runner = Runner();

        await Cases[name](new Neo4jGraphStore(runner));

        var statement = Assert.Single(runner.Statements);
        Assert.DoesNotContain("facebook", statement.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("MONTHLY_ACTIVE_USERS", statement.Text, StringComparison.Ordinal);
        CypherSnapshotTests.Approve(name, CypherSnapshotTests.Render(statement));
    }

    [NodeFact]
    public async Task Every_planned_statement_passes_neo4js_cypher_linter()
    {
        var templates = new List<CypherTemplate>();
        foreach (var (name, run) in Cases)
        {
            var runner = Runner();
            await run(new Neo4jGraphStore(runner));
            var statement = Assert.Single(runner.Statements);
            templates.Add(new CypherTemplate(name, statement.Text, [.. statement.Parameters.Keys]));
        }

        var directory = Tools.CypherLintDirectory();

        var file = Path.Combine(Path.GetTempPath(), $"cypher-filters-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(await CypherLintTests.LintInputAsync(templates)));
        try
        {
            var (code, output) = Tools.Run("node", $"lint.mjs \"{file}\"", directory, TimeSpan.FromMinutes(2));
            Assert.True(code == 0, output);
            Assert.Contains($"{templates.Count} statements linted, 0 diagnostics.", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static RecordingCypherRunner Runner() => new RecordingCypherRunner()
        .Answer(Neo4jCypher.ListEntitiesAscending.Name, CypherSnapshotTests.EmptyPage)
        .Answer(Neo4jCypher.ListEntitiesDescending.Name, CypherSnapshotTests.EmptyPage);
}
