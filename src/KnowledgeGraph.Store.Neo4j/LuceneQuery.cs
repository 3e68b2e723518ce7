using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// Core's search terms as a query for the full-text index, with the same meaning as in every store: every word is
/// required (<c>+</c>), all but the last as whole words, the last as a whole word or the start of one. The words are
/// Core's folded runs of letters and digits, so they hold no Lucene syntax, and lower case makes <c>and</c>,
/// <c>or</c>, <c>not</c> plain words.
/// </summary>
public static class LuceneQuery
{
    /// <summary>The query, or null when the terms hold no word to search for.</summary>
    public static string? Build(SearchTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Prefix is not { } prefix)
        {
            return null;
        }

        // Wildcard terms skip the analyzer, so a prefix can only match the index's folded tokens when it is plain
        // ASCII already; a word with other letters is matched whole, which the analyzer folds the way Core does.
        var last = prefix.All(char.IsAsciiLetterOrDigit) ? $"+({prefix} {prefix}*)" : "+" + prefix;
        return string.Join(' ', terms.WholeWords.Select(word => "+" + word).Append(last));
    }
}
