using KnowledgeGraph.Store.Neo4j;

namespace KnowledgeGraph.UnitTests.Neo4j;

public class LuceneQueryTests
{
    [Theory]
    [InlineData("name:telegram", @"name\:telegram")]
    [InlineData("tele*", @"tele\*")]
    [InlineData("signal~2", @"signal\~2")]
    [InlineData("(a OR b)", @"\(a")]
    [InlineData("\"quoted\"", "\\\"quoted\\\"")]
    [InlineData(@"back\slash/", @"back\\slash\/")]
    [InlineData("[a TO z]", @"\[a")]
    [InlineData("+must -not && || ! ^ { } ?", @"\+must")]
    public void Lucene_syntax_in_user_text_is_escaped(string text, string expectedStart)
    {
        var query = LuceneQuery.Build(text);

        Assert.NotNull(query);
        Assert.StartsWith(expectedStart, query, StringComparison.Ordinal);
        // Every syntax character that remains is preceded by a backslash, except the prefix stars the builder adds.
        for (var i = 0; i < query.Length; i++)
        {
            if ("+-&|!(){}[]^\"~?:/".Contains(query[i], StringComparison.Ordinal))
            {
                Assert.True(i > 0 && query[i - 1] == '\\', $"'{query[i]}' at {i} of {query} is not escaped");
            }
        }
    }

    [Fact]
    public void Operator_words_are_lowered_so_they_are_searched_not_obeyed()
    {
        Assert.Equal("signal signal* and telegram telegram*", LuceneQuery.Build("signal AND telegram"));
        Assert.Equal("not", LuceneQuery.Escape("NOT"));
    }

    [Fact]
    public void Plain_words_also_match_as_prefixes()
    {
        Assert.Equal("Teleg teleg*", LuceneQuery.Build("Teleg"));
        Assert.Equal("Télégramme", LuceneQuery.Build("Télégramme")); // the analyzer folds it; a wildcard would not be
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_text_makes_no_query(string? text) => Assert.Null(LuceneQuery.Build(text));
}
