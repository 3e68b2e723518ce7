using KnowledgeGraph.Domain;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.IntegrationTests.Stores;

// Filters, orders and counts: every store plans them itself (SQL, Cypher), so each rule is pinned by a case that would
// tell two plans apart.
public abstract partial class GraphStoreContract
{
    private static EntityCondition? Where(EntityFilterSpec spec) => spec.Normalise();

    private static async Task<List<string>> KeysAsync(IGraphStore store, EntityFilterSpec spec, IReadOnlyCollection<EntityKind>? kinds = null)
    {
        var page = await store.ListEntitiesAsync(new EntityQuery(Kinds: kinds, First: 100, Where: Where(spec)), CancellationToken.None);
        return page.Items.Select(i => i.Entity.Key.Value).ToList();
    }

    [ContractFact]
    public async Task A_related_filter_follows_type_direction_and_the_node_condition()
    {
        var store = await SeededAsync();
        var facebook = new EntityFilterSpec { KeyEq = "facebook" };

        Assert.Equal(["whatsapp"], await KeysAsync(store, new() { Related = new(RelationshipType.Owns, RelationshipDirection.Incoming, facebook) }));
        Assert.Empty(await KeysAsync(store, new() { Related = new(RelationshipType.Owns, RelationshipDirection.Outgoing, facebook) }));
        Assert.Equal(["whatsapp"], await KeysAsync(store, new() { Related = new(RelationshipType.Owns, RelationshipDirection.Both, facebook) }));
        Assert.Equal(["facebook"], await KeysAsync(store, new() { Related = new(RelationshipType.Owns, RelationshipDirection.Outgoing) }));
        Assert.Equal(
            ["facebook", "pavel-durov", "signal", "telegram", "whatsapp"],
            await KeysAsync(store, new() { Or = [new() { Related = new(RelationshipType.Owns) }, new() { Related = new(RelationshipType.CompetesWith) }, new() { KindEq = EntityKind.Person, KeyIn = ["pavel-durov"] }] }));
    }

    [ContractFact]
    public async Task Not_related_means_no_such_relationship_and_related_nodes_nest()
    {
        var store = await SeededAsync();
        var involvedWithWhatsApp = new EntityFilterSpec { KindEq = EntityKind.Controversy, Related = new(RelationshipType.InvolvedIn, RelationshipDirection.Incoming, new() { KeyEq = "whatsapp" }) };

        Assert.Equal(["whatsapp"], await KeysAsync(store, new() { KindEq = EntityKind.App, Not = new() { Related = new(RelationshipType.BenefitedFrom) } }));
        Assert.Equal(
            ["signal", "telegram"],
            await KeysAsync(store, new() { KindEq = EntityKind.App, Not = new() { KeyEq = "whatsapp" }, Related = new(RelationshipType.BenefitedFrom, RelationshipDirection.Outgoing, involvedWithWhatsApp) }));
        Assert.Equal(
            ["telegram"],
            await KeysAsync(store, new() { And = [new() { Related = new(RelationshipType.BenefitedFrom, RelationshipDirection.Outgoing) }, new() { Not = new() { Related = new(RelationshipType.ToppedChart) } }] }));
    }

    [ContractFact]
    public async Task Names_match_either_language_ignoring_case_and_accents()
    {
        var store = await SeededAsync();

        Assert.Equal(["latin-america"], await KeysAsync(store, new() { NameContains = "AMERIQUE" }));
        Assert.Equal(["latin-america"], await KeysAsync(store, new() { NameStartsWith = "amérique" }));
        Assert.Equal(["middle-east"], await KeysAsync(store, new() { NameEq = "moyen-orient" }));
        Assert.Empty(await KeysAsync(store, new() { NameEq = "moyen" }));
        Assert.Equal(["facebook-privacy-scandals"], await KeysAsync(store, new() { NameContains = "confidentialite" }));
        Assert.Equal(["asia"], await KeysAsync(store, new() { NameStartsWith = "as" }, [EntityKind.Region]));
    }

    [ContractFact]
    public async Task Names_outside_ascii_match_as_core_folds_them_through_eq_startswith_contains_and_the_deprecated_name_contains()
    {
        var store = await SeededAsync();
        // English and French names, so that either language's column is the one that matches.
        var names = new (string Key, string En, string Fr)[]
        {
            (Unique("elysee"), "Elysee Chat", "Élysée Messagerie"),
            (Unique("strasse"), "Straße", "Rue"),
            (Unique("istanbul"), "Bosphorus", "İstanbul Bağlantı"),
            (Unique("telegram-ru"), "Телеграм", "Télégramme russe"),
            (Unique("odysseus"), "Odysseus", "Οδυσσέας"),
        };
        var entities = new List<Entity>();
        foreach (var (key, en, fr) in names)
        {
            entities.Add(await AppAsync(key) with { Name = new LocalizedText(en, fr) });
        }

        await ValidateAndWriteAsync(store, Entities([.. entities]));
        var keys = names.Select(n => n.Key).ToList();
        async Task<List<string>> Matching(EntityFilterSpec name) => await KeysAsync(store, new() { KeyIn = keys, And = [name] });
        async Task<List<string>> Legacy(string text) =>
            (await store.ListEntitiesAsync(new EntityQuery(Keys: [.. keys.Select(k => new EntityKey(k))], NameContains: text, First: 100), CancellationToken.None))
                .Items.Select(i => i.Entity.Key.Value).ToList();
        string Key(string prefix) => names.Single(n => n.Key.StartsWith(prefix, StringComparison.Ordinal)).Key;

        Assert.Equal([Key("elysee")], await Matching(new() { NameEq = "ÉLYSÉE MESSAGERIE" }));
        Assert.Equal([Key("elysee")], await Matching(new() { NameStartsWith = "E\u0301lyse\u0301e" }));
        Assert.Equal([Key("strasse")], await Matching(new() { NameEq = "STRASSE" }));
        Assert.Equal([Key("strasse")], await Matching(new() { NameStartsWith = "straß" }));
        Assert.Equal([Key("istanbul")], await Matching(new() { NameStartsWith = "ISTANBUL" }));
        Assert.Equal([Key("istanbul")], await Matching(new() { NameContains = "bağlanti" }));
        Assert.Equal([Key("telegram-ru")], await Matching(new() { NameEq = "телеграм" }));
        Assert.Equal([Key("telegram-ru")], await Matching(new() { NameStartsWith = "ТЕЛЕ" }));
        Assert.Equal([Key("odysseus")], await Matching(new() { NameEq = "ΟΔΥΣΣΕΑΣ" }));
        Assert.Equal([Key("odysseus")], await Matching(new() { NameContains = "σσεας" }));
        Assert.Empty(await Matching(new() { NameStartsWith = "δυσ" }));
        Assert.Empty(await Matching(new() { NameEq = "Οδυσσέα" }));

        // The deprecated nameContains, in the filter and on the query, is name: { contains } by another name.
        foreach (var text in new[] { "ÉLYSÉE", "strasse", "İSTANBUL", "ТЕЛЕГРАМ", "ΟΔΥΣΣΈΑΣ" })
        {
            var expected = await Matching(new() { NameContains = text });
            Assert.Single(expected);
            Assert.Equal(expected, await Matching(new() { LegacyNameContains = text }));
            Assert.Equal(expected, await Legacy(text));
        }
    }

    [ContractFact]
    public async Task An_observation_filter_checks_the_metric_and_every_bound()
    {
        var store = await SeededAsync();
        EntityFilterSpec Figure(string metric, NumberRange range) => new() { Observation = new(metric, range) };

        Assert.Equal(["telegram"], await KeysAsync(store, Figure("MONTHLY_ACTIVE_USERS", new(Gt: 100_000_000))));
        Assert.Empty(await KeysAsync(store, Figure("MONTHLY_ACTIVE_USERS", new(Gt: 500_000_000))));
        Assert.Equal(["telegram"], await KeysAsync(store, Figure("MONTHLY_ACTIVE_USERS", new(Gte: 500_000_000, Lte: 500_000_000))));
        Assert.Equal(["telegram"], await KeysAsync(store, Figure("NEW_USERS_SHARE", new(Eq: 8))));
        Assert.Empty(await KeysAsync(store, Figure("NEW_USERS_SHARE", new(Gt: 8, Lt: 21))));
        Assert.Empty(await KeysAsync(store, Figure("NO_SUCH_METRIC", NumberRange.Any)));
    }

    [ContractFact]
    public async Task Orders_chain_and_pages_walk_them_with_cursors_both_ways()
    {
        var store = await SeededAsync();
        var graph = (await Seed.Value).Graph;
        int Degree(EntityKey key) => graph.Relationships.Count(r => r.From == key) + graph.Relationships.Count(r => r.To == key);
        var expected = graph.Entities
            .OrderByDescending(e => Degree(e.Key))
            .ThenBy(e => Vocabulary.ToWireName(e.Kind), StringComparer.Ordinal)
            .ThenBy(e => e.Key.Value, StringComparer.Ordinal)
            .Select(e => e.Key.Value)
            .ToList();
        EntityQuery Query(int? first = null, EntityCursor? after = null, int? last = null, EntityCursor? before = null) =>
            new(OrderBy: EntityOrderField.Degree, Descending: true, ThenBy: [new(EntityOrderField.Kind)], First: first, After: after, Last: last, Before: before);

        var walked = new List<string>();
        var pages = new List<EntityPage>();
        EntityCursor? cursor = null;
        for (var i = 0; i < 10; i++)
        {
            var page = await store.ListEntitiesAsync(Query(first: 5, after: cursor), CancellationToken.None);
            pages.Add(page);
            walked.AddRange(page.Items.Select(p => p.Entity.Key.Value));
            if (!page.HasNextPage)
            {
                break;
            }

            cursor = page.Items[^1].Cursor;
        }

        var back = await store.ListEntitiesAsync(Query(last: 5, before: pages[1].Items[0].Cursor), CancellationToken.None);

        Assert.Equal(expected, walked);
        Assert.Equal(["8", "APP"], pages[0].Items[0].Cursor.SortValues);
        Assert.Equal(pages[0].Items.Select(i => i.Entity.Key), back.Items.Select(i => i.Entity.Key));
        Assert.False(back.HasPreviousPage);
        Assert.True(pages[1].HasPreviousPage);
    }

    [ContractFact]
    public async Task Ordering_by_kind_then_name_breaks_the_last_ties_by_key_in_the_last_direction()
    {
        var store = await SeededAsync();

        var page = await store.ListEntitiesAsync(
            new EntityQuery(Kinds: [EntityKind.App, EntityKind.Company], OrderBy: EntityOrderField.Kind, Descending: true, ThenBy: [new(EntityOrderField.Name)], First: 10),
            CancellationToken.None);

        Assert.Equal(["facebook", "spacex", "tesla", "signal", "telegram", "whatsapp"], page.Items.Select(i => i.Entity.Key.Value));
        Assert.Equal(["COMPANY", "Facebook"], page.Items[0].Cursor.SortValues);
    }

    [ContractFact]
    public async Task Counts_by_kind_and_the_total_cover_the_filtered_set_whatever_the_page()
    {
        var store = await SeededAsync();

        var page = await store.ListEntitiesAsync(
            new EntityQuery(First: 1, Where: Where(new() { Or = [new() { KindIn = [EntityKind.Region, EntityKind.Company] }, new() { KeyEq = "signal" }] }), IncludeTotalCount: true, IncludeCountsByKind: true),
            CancellationToken.None);
        var unasked = await store.ListEntitiesAsync(new EntityQuery(First: 1), CancellationToken.None);

        Assert.Single(page.Items);
        Assert.Equal(8, page.TotalCount);
        Assert.Equal([new KindCount(EntityKind.App, 1), new KindCount(EntityKind.Company, 3), new KindCount(EntityKind.Region, 4)], page.CountsByKind);
        Assert.Null(unasked.CountsByKind);
    }

    [ContractFact]
    public async Task Relationships_of_entities_keep_those_whose_other_end_meets_the_node_condition()
    {
        var store = await SeededAsync();

        var found = await store.GetRelationshipsOfAsync(
            [K("signal"), K("whatsapp")],
            new RelationshipFilter(RelationshipDirection.Both, null, Where(new() { KindEq = EntityKind.Platform, NameContains = "play" })),
            CancellationToken.None);
        var incomingApps = await store.GetRelationshipsOfAsync(
            [K("whatsapp")], new RelationshipFilter(RelationshipDirection.Incoming, [RelationshipType.CompetesWith, RelationshipType.Owns], Where(new() { KindEq = EntityKind.App })), CancellationToken.None);

        Assert.Equal(["signal-available-on-google-play", "signal-topped-chart-google-play"], found[K("signal")].Select(r => r.Key));
        Assert.Equal(["whatsapp-available-on-google-play"], found[K("whatsapp")].Select(r => r.Key));
        Assert.Equal(["signal-competes-with-whatsapp", "telegram-competes-with-whatsapp"], incomingApps[K("whatsapp")].Select(r => r.Key));
    }

    [ContractFact]
    public async Task Observations_filter_by_value_range_and_region()
    {
        var store = await SeededAsync();

        var shares = await store.QueryObservationsAsync(new ObservationQuery(Metric: "NEW_USERS_SHARE", Value: new NumberRange(Gte: 21, Lt: 38)), CancellationToken.None);
        var asia = await store.QueryObservationsAsync(new ObservationQuery(Region: K("asia"), Value: new NumberRange(Gt: 30)), CancellationToken.None);
        var none = await store.QueryObservationsAsync(new ObservationQuery(Region: K("europe"), Value: new NumberRange(Gt: 30)), CancellationToken.None);

        Assert.Equal(["telegram-new-users-share-europe", "telegram-new-users-share-latin-america"], shares.Select(o => o.Key));
        Assert.Equal(["telegram-new-users-share-asia"], asia.Select(o => o.Key));
        Assert.Empty(none);
    }
}
