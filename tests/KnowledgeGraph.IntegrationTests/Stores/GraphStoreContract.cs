using KnowledgeGraph.Domain;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// What every <see cref="IGraphStore"/> must do, checked against the real seed. Each store has a subclass that says
/// how to get a store; the facts are the same for all of them.
/// </summary>
public abstract partial class GraphStoreContract
{
    private static readonly Lazy<Task<LoadedSeed>> Seed = new(() => SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None));

    /// <summary>A store of this kind, not yet seeded (it may hold an earlier seed of the same graph).</summary>
    protected abstract Task<IGraphStore> CreateStoreAsync();

    private async Task<IGraphStore> SeededAsync()
    {
        var store = await CreateStoreAsync();
        await store.ApplySeedAsync(await Seed.Value, CancellationToken.None);
        return store;
    }

    private static EntityKey K(string key) => new(key);

    [ContractFact]
    public async Task Entities_are_read_by_key_and_missing_keys_are_simply_absent()
    {
        var store = await SeededAsync();

        var found = await store.GetEntitiesAsync([K("telegram"), K("pavel-durov"), K("no-such-entity")], CancellationToken.None);

        Assert.Equal(["pavel-durov", "telegram"], found.Keys.Select(k => k.Value).Order(StringComparer.Ordinal));
        var telegram = found[K("telegram")];
        Assert.Equal(EntityKind.App, telegram.Kind);
        Assert.Contains(telegram.Aliases, a => a.Text == "Télégramme" && a.Language == Language.Fr);
        Assert.NotEmpty(telegram.Citations);
        Assert.All(telegram.Citations, c => Assert.Equal("whatsapp-privacy-exodus-2021", c.Source));
    }

    [ContractFact]
    public async Task Relationships_are_read_by_key_with_their_properties()
    {
        var store = await SeededAsync();

        var found = await store.GetRelationshipsAsync(["pavel-durov-leads-telegram", "nope"], CancellationToken.None);

        var leads = Assert.Single(found).Value;
        Assert.Equal((RelationshipType.Leads, K("pavel-durov"), K("telegram")), (leads.Type, leads.From, leads.To));
        Assert.NotNull(leads.Properties.Role);
        Assert.NotEmpty(leads.Citations);
    }

    [ContractFact]
    public async Task Relationships_of_entities_follow_direction_and_type_ordered_by_key()
    {
        var store = await SeededAsync();

        var outgoing = await store.GetRelationshipsOfAsync([K("signal")], new RelationshipFilter(RelationshipDirection.Outgoing, [RelationshipType.AvailableOn, RelationshipType.ToppedChart]), CancellationToken.None);
        var incoming = await store.GetRelationshipsOfAsync([K("whatsapp"), K("tesla")], new RelationshipFilter(RelationshipDirection.Incoming, null), CancellationToken.None);
        var both = await store.GetRelationshipsOfAsync([K("facebook")], RelationshipFilter.All, CancellationToken.None);

        Assert.Equal(
            ["signal-available-on-app-store", "signal-available-on-google-play", "signal-topped-chart-app-store", "signal-topped-chart-google-play"],
            outgoing[K("signal")].Select(r => r.Key));
        Assert.All(incoming[K("whatsapp")], r => Assert.Equal(K("whatsapp"), r.To));
        Assert.Equal(
            ["facebook-owns-whatsapp", "signal-competes-with-whatsapp", "signal-displaced-whatsapp", "telegram-competes-with-whatsapp"],
            incoming[K("whatsapp")].Select(r => r.Key));
        Assert.Equal(["elon-musk-leads-tesla"], incoming[K("tesla")].Select(r => r.Key));
        Assert.Equal(
            ["facebook-involved-in-facebook-privacy-scandals", "facebook-owns-whatsapp"],
            both[K("facebook")].Select(r => r.Key));
    }

    [ContractFact]
    public async Task Observations_are_read_by_subject_metric_and_region()
    {
        var store = await SeededAsync();

        var ofTelegram = await store.GetObservationsOfAsync([K("telegram"), K("signal")], "NEW_USERS_SHARE", CancellationToken.None);
        var inEurope = await store.QueryObservationsAsync(new ObservationQuery(Region: K("europe")), CancellationToken.None);
        var byKey = await store.GetObservationsAsync(["telegram-new-users-72h"], CancellationToken.None);

        Assert.Equal(4, ofTelegram[K("telegram")].Count);
        Assert.Empty(ofTelegram.GetValueOrDefault(K("signal")) ?? []); // absent or empty: both stores' answers are accepted
        Assert.Equal(ofTelegram[K("telegram")].Select(o => o.Key).Order(StringComparer.Ordinal), ofTelegram[K("telegram")].Select(o => o.Key));
        var europe = Assert.Single(inEurope);
        Assert.Equal((27m, K("europe"), "NEW_USERS_SHARE"), (europe.Value, europe.Region!.Value, europe.Metric));
        Assert.Equal(25_000_000m, byKey["telegram-new-users-72h"].Value);
        Assert.Null(byKey["telegram-new-users-72h"].Region);
    }

    [ContractFact]
    public async Task Quotes_are_read_by_speaker_and_by_key()
    {
        var store = await SeededAsync();

        var ofDurov = await store.GetQuotesOfAsync([K("pavel-durov"), K("elon-musk")], CancellationToken.None);
        var all = await store.QueryQuotesAsync(null, CancellationToken.None);
        var ofMusk = await store.QueryQuotesAsync(K("elon-musk"), CancellationToken.None);

        var quote = Assert.Single(ofDurov[K("pavel-durov")]);
        Assert.Empty(ofDurov.GetValueOrDefault(K("elon-musk")) ?? []);
        Assert.Equal(Language.Fr, quote.Language);
        Assert.NotNull(quote.TranslationEn);
        Assert.Equal([quote.Key], all.Select(q => q.Key));
        Assert.Empty(ofMusk);
        Assert.Equal(quote, (await store.GetQuotesAsync([quote.Key], CancellationToken.None))[quote.Key], QuoteComparer.Instance);
    }

    [ContractFact]
    public async Task Sources_are_read_all_or_by_key_with_their_text()
    {
        var store = await SeededAsync();

        var all = await store.GetSourcesAsync(null, CancellationToken.None);
        var none = await store.GetSourcesAsync(["nope"], CancellationToken.None);

        var source = Assert.Single(all).Value;
        Assert.Equal(Language.Fr, source.Language);
        Assert.Contains("Telegram", source.Text, StringComparison.Ordinal);
        Assert.Empty(none);
    }

    [ContractFact]
    public async Task Pages_walk_forwards_and_backwards_over_the_same_order()
    {
        var store = await SeededAsync();
        var apps = new[] { EntityKind.App, EntityKind.Platform };

        var first = await store.ListEntitiesAsync(new EntityQuery(Kinds: apps, OrderBy: EntityOrderField.Name, First: 2, IncludeTotalCount: true), CancellationToken.None);
        var second = await store.ListEntitiesAsync(new EntityQuery(Kinds: apps, OrderBy: EntityOrderField.Name, First: 2, After: first.Items[^1].Cursor), CancellationToken.None);
        var back = await store.ListEntitiesAsync(new EntityQuery(Kinds: apps, OrderBy: EntityOrderField.Name, Last: 2, Before: second.Items[0].Cursor), CancellationToken.None);

        // App Store, Google Play, Signal, Telegram, Twitter, WhatsApp
        Assert.Equal(6, first.TotalCount);
        Assert.Equal(["app-store", "google-play"], first.Items.Select(i => i.Entity.Key.Value));
        Assert.False(first.HasPreviousPage);
        Assert.True(first.HasNextPage);
        Assert.Equal(["signal", "telegram"], second.Items.Select(i => i.Entity.Key.Value));
        Assert.True(second.HasPreviousPage);
        Assert.True(second.HasNextPage);
        Assert.Equal(first.Items.Select(i => i.Entity.Key), back.Items.Select(i => i.Entity.Key));
        Assert.False(back.HasPreviousPage);
        Assert.True(back.HasNextPage);
    }

    [ContractFact]
    public async Task Pages_filter_by_name_and_order_descending_by_key()
    {
        var store = await SeededAsync();

        var page = await store.ListEntitiesAsync(new EntityQuery(NameContains: "MUSK", Descending: true, First: 10), CancellationToken.None);

        Assert.Equal(["musk-endorses-signal-2021", "elon-musk"], page.Items.Select(i => i.Entity.Key.Value));
        Assert.Null(page.TotalCount);
        Assert.False(page.HasNextPage);
    }

    [ContractFact]
    public async Task Search_ignores_accents_and_case_and_filters_by_kind()
    {
        var store = await SeededAsync();

        var telegramme = await store.SearchAsync(new SearchQuery("telegramme", null, 5), CancellationToken.None);
        var upper = await store.SearchAsync(new SearchQuery("SIGNAL", [EntityKind.App], 5), CancellationToken.None);
        var syntax = await store.SearchAsync(new SearchQuery("name:telegram* OR (\"", null, 5), CancellationToken.None);

        Assert.Equal("telegram", telegramme[0].Entity.Key.Value);
        Assert.Equal("signal", upper[0].Entity.Key.Value);
        Assert.All(upper, h => Assert.Equal(EntityKind.App, h.Entity.Kind));
        Assert.All(telegramme.Zip(telegramme.Skip(1)), pair => Assert.True(pair.First.Score >= pair.Second.Score));
        Assert.NotNull(syntax); // query syntax in user text is searched for, never an error
    }

    [ContractFact]
    public async Task Shortest_paths_are_found_in_either_direction_within_types_and_hops()
    {
        var store = await SeededAsync();
        RelationshipType[] endorsement = [RelationshipType.Gave, RelationshipType.Endorses, RelationshipType.Displaced];

        var any = await store.FindShortestPathsAsync(new PathQuery(K("elon-musk"), K("whatsapp"), 4, null), CancellationToken.None);
        var restricted = await store.FindShortestPathsAsync(new PathQuery(K("elon-musk"), K("whatsapp"), 4, endorsement), CancellationToken.None);
        var tooShort = await store.FindShortestPathsAsync(new PathQuery(K("elon-musk"), K("whatsapp"), 2, endorsement), CancellationToken.None);

        Assert.Equal(2, any.Count);
        Assert.All(any, p => Assert.Equal(3, p.Length));
        Assert.Equal(["signal-competes-with-whatsapp", "signal-displaced-whatsapp"], any.Select(p => p.Steps[^1].Relationship.Key));
        Assert.Equal([K("elon-musk"), K("musk-endorses-signal-2021"), K("signal")], any[0].Steps.Select(s => s.From));
        Assert.All(any, p => Assert.Equal(K("whatsapp"), p.Steps[^1].To));
        var path = Assert.Single(restricted);
        Assert.Equal(["elon-musk-gave-musk-endorses-signal-2021", "musk-endorses-signal-2021-endorses-signal", "signal-displaced-whatsapp"], path.Steps.Select(s => s.Relationship.Key));
        Assert.Empty(tooShort);
    }

    [ContractFact]
    public async Task Applying_the_same_seed_again_changes_nothing()
    {
        var store = await SeededAsync();
        var before = await store.ListEntitiesAsync(new EntityQuery(First: 100, IncludeTotalCount: true), CancellationToken.None);

        var again = await store.ApplySeedAsync(await Seed.Value, CancellationToken.None);
        var after = await store.ListEntitiesAsync(new EntityQuery(First: 100, IncludeTotalCount: true), CancellationToken.None);

        Assert.False(again.Changed);
        Assert.Equal((await Seed.Value).Graph.Entities.Count, after.TotalCount);
        Assert.Equal(before.Items.Select(i => i.Entity.Key), after.Items.Select(i => i.Entity.Key));
    }

    [ContractFact]
    public async Task Health_is_reported_for_a_seeded_store()
    {
        var store = await SeededAsync();

        var health = await store.CheckHealthAsync(CancellationToken.None);

        Assert.True(health.IsHealthy, health.Description);
    }

    private sealed class QuoteComparer : IEqualityComparer<Quote>
    {
        public static readonly QuoteComparer Instance = new();

        public bool Equals(Quote? x, Quote? y) =>
            x is not null && y is not null && x.Key == y.Key && x.Speaker == y.Speaker && x.Text == y.Text && x.Citations.SequenceEqual(y.Citations);

        public int GetHashCode(Quote obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
