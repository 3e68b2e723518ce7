using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;

namespace KnowledgeGraph.UnitTests.Neo4j;

public class LuceneQueryTests
{
    [Theory]
    [InlineData("name:telegram", "+name +(telegram telegram*)")]
    [InlineData("tele*", "+(tele tele*)")]
    [InlineData("signal~2", "+signal +(2 2*)")]
    [InlineData("(a OR b)", "+a +or +(b b*)")]
    [InlineData("\"quoted\"", "+(quoted quoted*)")]
    [InlineData(@"back\slash/", "+back +(slash slash*)")]
    [InlineData("+must -not && || ! ^ { } ?", "+must +(not not*)")]
    public void Lucene_syntax_in_user_text_only_separates_required_words(string text, string expected) =>
        Assert.Equal(expected, LuceneQuery.Build(SearchTerms.Parse(text)));

    [Fact]
    public void Every_word_is_required_and_operator_words_are_searched_not_obeyed() =>
        Assert.Equal("+signal +and +(telegram telegram*)", LuceneQuery.Build(SearchTerms.Parse("signal AND telegram")));

    [Fact]
    public void The_last_word_also_matches_as_a_prefix_when_a_wildcard_can_match_the_folded_index()
    {
        Assert.Equal("+(teleg teleg*)", LuceneQuery.Build(SearchTerms.Parse("Teleg")));
        Assert.Equal("+(telegramme telegramme*)", LuceneQuery.Build(SearchTerms.Parse("Télégramme"))); // Core folds accents
        Assert.Equal("+camille +łodz", LuceneQuery.Build(SearchTerms.Parse("Camille Łódź"))); // not ASCII once folded: matched whole, the analyzer folds it
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("*** ()")]
    public void Blank_text_makes_no_query(string? text) => Assert.Null(LuceneQuery.Build(SearchTerms.Parse(text)));
}
