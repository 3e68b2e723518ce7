using System.Text;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// Builds the Lucene query for the full-text index from what a user typed. Every character Lucene's query parser
/// treats as syntax is escaped and the operator words are lower-cased, so user text can only ever be words to match:
/// no field names, wildcards, fuzziness, ranges or boolean logic of the user's own.
/// </summary>
public static class LuceneQuery
{
    // Lucene classic query parser syntax: + - && || ! ( ) { } [ ] ^ " ~ * ? : \ /
    private const string Special = "+-&|!(){}[]^\"~*?:\\/";

    /// <summary>The query, or null when the text holds no word to search for.</summary>
    public static string? Build(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var terms = new List<string>();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var escaped = Escape(word);
            if (escaped.Length == 0)
            {
                continue;
            }

            terms.Add(escaped);

            // A prefix match lets "teleg" find Telegram. Wildcard terms skip the analyzer, so only plain lower-case
            // ASCII words get one (the analyzer folds and lower-cases everything else itself).
            if (word.Length >= 3 && word.All(char.IsAsciiLetterOrDigit) && word is not ("AND" or "OR" or "NOT"))
            {
                terms.Add(word.ToLowerInvariant() + "*");
            }
        }

        return terms.Count == 0 ? null : string.Join(' ', terms);
    }

    /// <summary>Escapes Lucene syntax characters and neutralises the operator words AND, OR, NOT.</summary>
    public static string Escape(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word is "AND" or "OR" or "NOT")
        {
            return word.ToLowerInvariant();
        }

        var builder = new StringBuilder(word.Length * 2);
        foreach (var c in word)
        {
            if (Special.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
