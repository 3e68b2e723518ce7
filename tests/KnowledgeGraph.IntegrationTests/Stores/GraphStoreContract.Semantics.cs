using KnowledgeGraph.Domain;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.IntegrationTests.Stores;

// The rules whose copies once disagreed between the stores, each pinned with a case that tells them apart: which
// words a search must match and in what order hits come, empty filter lists, keys with no results, seed counts.
public abstract partial class GraphStoreContract
{
    [ContractFact]
    public async Task Search_requires_every_word_whole_but_the_last_which_may_be_a_prefix()
    {
        var store = await SeededAsync();
        var entities = (await Seed.Value).Graph.Entities;

        foreach (var text in new[] { "elon musk", "musk elon", "durov telegram", "signal whats", "Élon", "privacy scandal" })
        {
            var terms = SearchTerms.Parse(text);
            var expected = entities.Where(e => MatchesEveryWord(e, terms)).Select(e => e.Key.Value).Order(StringComparer.Ordinal).ToList();
            var hits = await store.SearchAsync(new SearchQuery(text, null, 50), CancellationToken.None);

            Assert.True(expected.Count > 0, $"'{text}' matches no seed entity; pick a text that does");
            Assert.True(expected.Count < entities.Count, $"'{text}' matches every seed entity; pick a text that tells AND from OR");
            Assert.Equal(expected, hits.Select(h => h.Entity.Key.Value).Order(StringComparer.Ordinal));
        }
    }

    [ContractFact]
    public async Task Search_finds_nothing_when_one_word_matches_nothing()
    {
        var store = await SeededAsync();

        var oneWord = await store.SearchAsync(new SearchQuery("elon", null, 50), CancellationToken.None);
        var withMiss = await store.SearchAsync(new SearchQuery("elon zqxwv", null, 50), CancellationToken.None);
        var missNotLast = await store.SearchAsync(new SearchQuery("elo musk", null, 50), CancellationToken.None);

        Assert.NotEmpty(oneWord);
        Assert.Empty(withMiss);
        Assert.Empty(missNotLast); // "elo" is not a whole word, and only the last word may be a prefix
    }

    [ContractFact]
    public async Task Search_puts_the_entity_named_exactly_first_then_orders_by_score_then_key()
    {
        var store = await SeededAsync();

        var musk = await store.SearchAsync(new SearchQuery("Elon Musk", null, 50), CancellationToken.None);
        var byAlias = await store.SearchAsync(new SearchQuery("telegramme", null, 50), CancellationToken.None);
        var top = await store.SearchAsync(new SearchQuery("elon", null, 2), CancellationToken.None);

        Assert.Equal("elon-musk", musk[0].Entity.Key.Value);
        Assert.True(musk.Count > 1);
        Assert.True(musk[0].Score >= SearchRanking.ExactMatchBonus);
        Assert.All(musk.Skip(1), h => Assert.True(h.Score < SearchRanking.ExactMatchBonus));
        Assert.Equal("telegram", byAlias[0].Entity.Key.Value);
        Assert.All(musk.Zip(musk.Skip(1)), p => Assert.True(
            p.First.Score > p.Second.Score || (p.First.Score == p.Second.Score && string.CompareOrdinal(p.First.Entity.Key.Value, p.Second.Entity.Key.Value) < 0),
            $"{p.First.Entity.Key} ({p.First.Score}) before {p.Second.Entity.Key} ({p.Second.Score})"));
        Assert.Equal(2, top.Count);
    }

    [ContractFact]
    public async Task An_empty_list_of_types_or_kinds_means_all()
    {
        var store = await SeededAsync();

        var noTypes = await store.GetRelationshipsOfAsync([K("facebook")], new RelationshipFilter(RelationshipDirection.Both, []), CancellationToken.None);
        var all = await store.GetRelationshipsOfAsync([K("facebook")], RelationshipFilter.All, CancellationToken.None);
        var searchNoKinds = await store.SearchAsync(new SearchQuery("elon", [], 50), CancellationToken.None);
        var searchAll = await store.SearchAsync(new SearchQuery("elon", null, 50), CancellationToken.None);
        var pathNoTypes = await store.FindShortestPathsAsync(new PathQuery(K("elon-musk"), K("whatsapp"), 4, []), CancellationToken.None);
        var pathAll = await store.FindShortestPathsAsync(new PathQuery(K("elon-musk"), K("whatsapp"), 4, null), CancellationToken.None);
        var pageNoKinds = await store.ListEntitiesAsync(new EntityQuery(Kinds: [], First: 100, IncludeTotalCount: true), CancellationToken.None);

        Assert.NotEmpty(all[K("facebook")]);
        Assert.Equal(all[K("facebook")].Select(r => r.Key), noTypes[K("facebook")].Select(r => r.Key));
        Assert.NotEmpty(searchAll);
        Assert.Equal(searchAll.Select(h => h.Entity.Key), searchNoKinds.Select(h => h.Entity.Key));
        Assert.Equal(2, pathNoTypes.Count);
        Assert.Equal(pathAll.Select(p => string.Join(" ", p.Steps.Select(s => s.Relationship.Key))), pathNoTypes.Select(p => string.Join(" ", p.Steps.Select(s => s.Relationship.Key))));
        Assert.Equal((await Seed.Value).Graph.Entities.Count, pageNoKinds.TotalCount);
    }

    [ContractFact]
    public async Task Facts_of_each_key_answer_every_key_asked_and_reads_by_key_leave_missing_keys_out()
    {
        var store = await SeededAsync();
        EntityKey[] keys = [K("tesla"), K("no-such-entity"), K("europe")];
        static IEnumerable<string> Sorted(IEnumerable<EntityKey> k) => k.Select(x => x.Value).Order(StringComparer.Ordinal);

        var relationships = await store.GetRelationshipsOfAsync(keys, new RelationshipFilter(RelationshipDirection.Outgoing, [RelationshipType.Owns]), CancellationToken.None);
        var observations = await store.GetObservationsOfAsync(keys, null, CancellationToken.None);
        var quotes = await store.GetQuotesOfAsync(keys, CancellationToken.None);
        var entities = await store.GetEntitiesAsync(keys, CancellationToken.None);
        var sources = await store.GetSourcesAsync(["no-such-source"], CancellationToken.None);

        Assert.Equal(Sorted(keys), Sorted(relationships.Keys));
        Assert.All(relationships.Values, Assert.Empty);
        Assert.Equal(Sorted(keys), Sorted(observations.Keys));
        Assert.All(observations.Values, Assert.Empty);
        Assert.Equal(Sorted(keys), Sorted(quotes.Keys));
        Assert.All(quotes.Values, Assert.Empty);
        Assert.Equal(["europe", "tesla"], Sorted(entities.Keys));
        Assert.Empty(sources);
    }

    [ContractFact]
    public async Task Seed_counts_are_the_seed_own_whatever_partners_wrote_besides()
    {
        var store = await CreateStoreAsync();
        var seed = await Seed.Value;

        var first = await store.ApplySeedAsync(seed, CancellationToken.None);
        await ValidateAndWriteAsync(store, Entities(await AppAsync(Unique("counted"))));
        var again = await store.ApplySeedAsync(seed, CancellationToken.None);

        var expected = (seed.Graph.Entities.Count, seed.Graph.Relationships.Count, seed.Graph.Observations.Count, seed.Graph.Quotes.Count, seed.Graph.Sources.Count);
        Assert.True(first.Changed);
        Assert.Equal(expected, (first.Entities, first.Relationships, first.Observations, first.Quotes, first.Sources));
        Assert.False(again.Changed);
        Assert.Equal(expected, (again.Entities, again.Relationships, again.Observations, again.Quotes, again.Sources));
    }

    // The rule, written out independently of any store: the entity's names, aliases and descriptions, folded and cut
    // into words, hold each whole word, and a word starting with the last.
    private static bool MatchesEveryWord(Entity entity, SearchTerms terms)
    {
        var texts = new[] { entity.Name.En, entity.Name.Fr, entity.Description.En, entity.Description.Fr }.Concat(entity.Aliases.Select(a => a.Text));
        var words = texts.SelectMany(t => SearchTerms.Fold(t).Split(' ')).ToHashSet(StringComparer.Ordinal);
        return terms.WholeWords.All(words.Contains) && words.Any(w => w.StartsWith(terms.Prefix!, StringComparison.Ordinal));
    }
}
