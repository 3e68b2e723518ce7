using KnowledgeGraph.Domain;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.IntegrationTests.Stores;

// How the source knows a fact (issue 11), the same for every store: provenance, dates and shares kept as written,
// claims read by key and by entity and withdrawn with their entity, facts paged by basis, citations placed.
public abstract partial class GraphStoreContract
{
    [ContractFact]
    public async Task A_facts_basis_reporter_rationale_hedge_dates_and_share_are_read_back_as_written()
    {
        var store = await SeededAsync();
        var key = Unique("rival");
        var relationship = new Relationship(
            key + "-topped", RelationshipType.ToppedChart, new EntityKey(key), new EntityKey("app-store"), RelationshipProperties.None,
            [await CiteAsync("Télégramme, mais surtout Signal, ils servent apparemment cet objectif")])
        {
            Provenance = new FactProvenance(Basis.Reported, new EntityKey("pavel-durov"), Hedge: "apparemment"),
            PeriodStart = "2021-01-04",
            PeriodEnd = "2021-01-10",
            DateBasis = DateBasis.RelativeToSource,
        };
        var total = new Observation(key + "-total", new EntityKey(key), "NEW_USERS", 25_000_000m, "users", Precision.Rounded, "2021-01", null, null, null, null, [await CiteAsync("Selon Pavel Durov")])
        {
            DateBasis = DateBasis.Stated,
        };
        var share = new Observation(key + "-share", new EntityKey(key), "NEW_USERS_SHARE", 38m, "percent", Precision.Exact, null, null, null, null, null, [await CiteAsync("Sur les 25 millions")])
        {
            Provenance = new FactProvenance(Basis.Inferred, Rationale: new LocalizedText("The sentence says so.", "La phrase le dit.")),
            ShareOf = total.Key,
        };

        await ValidateAndWriteAsync(store, Entities(await AppAsync(key)) with { Relationships = [relationship], Observations = [total, share] });
        var again = await ValidateAndWriteAsync(store, GraphWrite.Empty with { Relationships = [relationship], Observations = [total, share] });

        var read = (await store.GetRelationshipsAsync([relationship.Key], CancellationToken.None))[relationship.Key];
        var figures = await store.GetObservationsAsync([total.Key, share.Key], CancellationToken.None);
        Assert.Equal(RecordSnapshot.Of(relationship), RecordSnapshot.Of(read));
        Assert.Equal(RecordSnapshot.Of(total), RecordSnapshot.Of(figures[total.Key]));
        Assert.Equal(RecordSnapshot.Of(share), RecordSnapshot.Of(figures[share.Key]));
        Assert.All(again.Results, r => Assert.Equal(WriteOutcome.Unchanged, r.Outcome));
    }

    [ContractFact]
    public async Task Claims_are_read_by_key_and_by_entity_and_go_with_a_retracted_entity()
    {
        var store = await SeededAsync();
        var key = Unique("rival");
        var claim = new Claim(
            key + "-reading", new LocalizedText("Many want to leave WhatsApp.", "Beaucoup veulent quitter WhatsApp."),
            [new EntityKey(key), new EntityKey("whatsapp")], new FactProvenance(Basis.Stated, Hedge: "apparemment"),
            [await CiteAsync("Télégramme, mais surtout Signal, ils servent apparemment cet objectif")]);

        await ValidateAndWriteAsync(store, Entities(await AppAsync(key)) with { Claims = [claim] });
        var byKey = await store.GetClaimsAsync([claim.Key], CancellationToken.None);
        var aboutRival = await store.QueryClaimsAsync([new EntityKey(key)], CancellationToken.None);
        var all = await store.QueryClaimsAsync(null, CancellationToken.None);
        var retracted = await ValidateAndWriteAsync(store, GraphWrite.Empty with { Retractions = [new Retraction(RecordType.Entity, key, "a test")] });

        Assert.Equal(RecordSnapshot.Of(claim), RecordSnapshot.Of(byKey[claim.Key]));
        Assert.Equal([claim.Key], aboutRival.Select(c => c.Key));
        Assert.Contains(all, c => c.Key == claim.Key);
        Assert.Contains(retracted.Results, r => (r.Type, r.Key, r.Outcome) == (RecordType.Claim, claim.Key, WriteOutcome.Retracted));
        Assert.Empty(await store.GetClaimsAsync([claim.Key], CancellationToken.None));
        Assert.Equal([WriteOutcome.Created, WriteOutcome.Retracted], (await store.GetHistoryAsync(RecordType.Claim, claim.Key, CancellationToken.None)).Select(h => h.Outcome));
    }

    [ContractFact]
    public async Task Facts_are_paged_by_key_keeping_only_the_bases_asked_for()
    {
        var store = await SeededAsync();
        var key = Unique("aaa-rival");
        var cite = await CiteAsync("Selon Pavel Durov");
        var reported = new FactProvenance(Basis.Reported, new EntityKey("pavel-durov"));
        var write = Entities(await AppAsync(key)) with
        {
            Relationships = [new Relationship(key + "-a", RelationshipType.CompetesWith, new EntityKey(key), new EntityKey("whatsapp"), RelationshipProperties.None, [cite]) { Provenance = reported }],
            Observations = [new Observation(key + "-b", new EntityKey(key), "NEW_USERS", 1m, "users", Precision.Exact, null, null, null, null, null, [cite]) { Provenance = reported }],
            Claims = [new Claim(key + "-a", new LocalizedText("A.", "A."), [new EntityKey(key)], reported, [cite])],
        };
        await ValidateAndWriteAsync(store, write);

        var first = await store.ListFactsAsync(new FactQuery([Basis.Reported], 2, null), CancellationToken.None);
        var second = await store.ListFactsAsync(new FactQuery([Basis.Reported], 2, FactCursor.Of(first.Facts[^1])), CancellationToken.None);
        var stated = await store.ListFactsAsync(new FactQuery([Basis.Stated], 100, null), CancellationToken.None);

        // Keys sort the page, then the type's name: the claim and the relationship share a key.
        var mine = first.Facts.Concat(second.Facts).Select(FactCursor.Of).Where(c => c.Key.StartsWith(key, StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [new FactCursor(key + "-a", RecordType.Claim), new FactCursor(key + "-a", RecordType.Relationship), new FactCursor(key + "-b", RecordType.Observation)],
            mine);
        Assert.True(first.HasNextPage);
        Assert.IsType<Claim>(first.Facts[0]);
        Assert.All(first.Facts.Concat(second.Facts), f => Assert.Equal(Basis.Reported, ProvenanceOf(f).Basis));
        Assert.DoesNotContain(stated.Facts, f => FactCursor.Of(f).Key.StartsWith(key, StringComparison.Ordinal));
        Assert.All(stated.Facts, f => Assert.Equal(Basis.Stated, ProvenanceOf(f).Basis));
    }

    [ContractFact]
    public async Task A_citation_without_offsets_is_placed_where_its_excerpt_stands_and_refused_when_it_is_ambiguous()
    {
        var store = await SeededAsync();
        var key = Unique("rival");
        var exact = await CiteAsync("Selon Pavel Durov");
        var unplaced = exact with { Start = Citation.Unplaced, End = Citation.Unplaced };
        var entity = await AppAsync(key) with { Citations = [unplaced] };

        var placed = await WriteValidator.ValidateAsync(Entities(entity), store, CancellationToken.None);
        var ambiguous = await Assert.ThrowsAsync<WriteValidationException>(() =>
            WriteValidator.ValidateAsync(Entities(entity with { Citations = [unplaced with { Excerpt = "WhatsApp" }] }), store, CancellationToken.None));
        var absent = await Assert.ThrowsAsync<WriteValidationException>(() =>
            WriteValidator.ValidateAsync(Entities(entity with { Citations = [unplaced with { Excerpt = "nowhere in the article" }] }), store, CancellationToken.None));

        Assert.Equal(exact, Assert.Single(placed.Entities[0].Citations));
        var problem = Assert.Single(ambiguous.Problems);
        Assert.Equal("entities[0].citations[0].excerpt", problem.Path);
        Assert.Contains("occurs 6 times", problem.Message, StringComparison.Ordinal);
        Assert.Contains("does not occur", Assert.Single(absent.Problems).Message, StringComparison.Ordinal);
    }

    private static FactProvenance ProvenanceOf(object fact) => fact switch
    {
        Relationship r => r.Provenance,
        Observation o => o.Provenance,
        Claim c => c.Provenance,
        _ => throw new ArgumentException("not a fact", nameof(fact)),
    };
}
