using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.UnitTests.Storage;

/// <summary>The meaning Core gives every query before any store sees it.</summary>
public class QueryNormalisationTests
{
    [Fact]
    public void An_empty_list_of_types_or_kinds_means_all_in_every_query()
    {
        Assert.Null(new RelationshipFilter(RelationshipDirection.Both, []).Types);
        Assert.Null(new PathQuery(new("a"), new("b"), 3, []).Types);
        Assert.Null(new SearchQuery("x", [], 5).Kinds);
        Assert.Null(new EntityQuery(Kinds: []).Kinds);
        Assert.Equal(RelationshipFilter.All, new RelationshipFilter(RelationshipDirection.Both, []));
    }

    [Fact]
    public void Filters_hold_each_value_once_in_a_fixed_order()
    {
        var filter = new RelationshipFilter(RelationshipDirection.Outgoing, [RelationshipType.Owns, RelationshipType.Leads, RelationshipType.Owns]);

        Assert.Equal(new[] { RelationshipType.Leads, RelationshipType.Owns }.Order(), filter.Types);
        Assert.Equal(filter, new RelationshipFilter(RelationshipDirection.Outgoing, [RelationshipType.Leads, RelationshipType.Owns]));
    }

    [Fact]
    public void An_empty_list_of_keys_matches_nothing_rather_than_everything()
    {
        Assert.Empty(new EntityQuery(Keys: []).Keys!);
        Assert.Null(new EntityQuery().Keys);
    }

    [Fact]
    public void Name_filters_are_bounded_and_an_empty_one_is_no_filter()
    {
        Assert.Null(new EntityQuery(NameContains: "").NameContains);
        Assert.Equal(new string('a', EntityQuery.MaxNameContainsLength), new EntityQuery(NameContains: new string('a', EntityQuery.MaxNameContainsLength)).NameContains);
        Assert.Throws<InvalidQueryException>(() => new EntityQuery(NameContains: new string('a', EntityQuery.MaxNameContainsLength + 1)));
    }

    [Fact]
    public void Path_hops_are_capped_for_every_store()
    {
        Assert.Equal(PathQuery.MaxHopsLimit, new PathQuery(new("a"), new("b"), 50, null).MaxHops);
        Assert.False(new PathQuery(new("a"), new("a"), 3, null).IsRunnable);
    }

    [Theory]
    [InlineData("Camille Torvena", new[] { "camille", "torvena" }, "torvena")]
    [InlineData("  CHLOÉ   méj ", new[] { "chloe", "mej" }, "mej")]
    [InlineData("name:telegram* OR (\"", new[] { "name", "telegram", "or" }, "or")]
    [InlineData("moyen-orient", new[] { "moyen", "orient" }, "orient")]
    [InlineData(" * ", new string[0], null)]
    public void Search_text_becomes_folded_words_the_last_a_prefix(string text, string[] words, string? prefix)
    {
        var terms = SearchTerms.Parse(text);

        Assert.Equal(words, terms.Words);
        Assert.Equal(prefix, terms.Prefix);
        Assert.Equal(words.SkipLast(1), terms.WholeWords);
    }

    [Fact]
    public void A_search_considers_only_its_first_words()
    {
        var terms = SearchTerms.Parse(string.Join(' ', Enumerable.Range(1, 16).Select(i => $"w{i}")));

        Assert.Equal(SearchTerms.MaxWords, terms.Words.Count);
        Assert.Equal("w8", terms.Prefix);
    }

    [Fact]
    public void Ranking_puts_an_exact_name_first_then_relevance_then_key_and_keeps_the_page()
    {
        static Entity E(string key, string name) =>
            new(new(key), EntityKind.App, new(name, name), new("d", "d"), [new EntityAlias(name + " alias", null)], []);
        var query = new SearchQuery("Signal", null, 2);

        var hits = SearchRanking.Rank(query, [(E("b-app", "Signal Boost"), 9.0), (E("signal", "Signal"), 1.0), (E("a-app", "Signal Lite"), 9.0)]);

        Assert.Equal(["signal", "a-app"], hits.Select(h => h.Entity.Key.Value));
        Assert.Equal(1.0 + SearchRanking.ExactMatchBonus, hits[0].Score);
    }

    [Fact]
    public void Facts_of_each_key_answer_every_key_asked_with_an_empty_list_when_none()
    {
        var answer = StoreAnswers.ForEachKey([new EntityKey("a"), new EntityKey("b"), new EntityKey("a")], ["a1", "a2"], s => new EntityKey(s[..1]));

        Assert.Equal(2, answer.Count);
        Assert.Equal(["a1", "a2"], answer[new("a")]);
        Assert.Empty(answer[new("b")]);
    }

    [Fact]
    public void Lists_already_grouped_answer_every_key_asked_once_with_an_empty_list_when_none()
    {
        var groups = new Dictionary<EntityKey, List<string>> { [new("a")] = ["a1", "a2"], [new("c")] = ["c1"] };

        var answer = StoreAnswers.ForEachKey([new EntityKey("a"), new EntityKey("b"), new EntityKey("a")], groups);

        Assert.Equal([new EntityKey("a"), new EntityKey("b")], answer.Keys);
        Assert.Equal(["a1", "a2"], answer[new("a")]);
        Assert.Empty(answer[new("b")]);
    }

    [Fact]
    public void An_entitys_relationships_are_ordered_by_ordinal_key_and_a_loop_read_both_ways_is_kept_once()
    {
        var self = new EntityKey("signal");
        Relationship Of(string key) => new(key, RelationshipType.Owns, self, self, new RelationshipProperties(), []);
        // The loop "m" is read once as outgoing and once as incoming; upper case sorts before lower case by ordinal.
        var read = new List<Relationship> { Of("m"), Of("b"), Of("Z"), Of("m"), Of("a") };

        StoreAnswers.SortByKeyOnce(read);

        Assert.Equal(["Z", "a", "b", "m"], read.Select(r => r.Key));
    }
}
