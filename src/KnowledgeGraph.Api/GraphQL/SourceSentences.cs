using System.Text;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// Splits a source's text into sentences, in the Unicode code points citations' offsets count in. A sentence ends
/// after <c>.</c>, <c>!</c>, <c>?</c> or <c>…</c> (with any closing quotes or brackets) followed by white space, and
/// at every line break, so a heading without a full stop is a passage of its own. Abbreviations such as "M." end a
/// sentence too: a passage is a unit a reader scans, not a grammatical analysis.
/// </summary>
public static class SourceSentences
{
    /// <summary>The sentences of <paramref name="text"/>, in order, as code point ranges without surrounding white space.</summary>
    public static IReadOnlyList<(int Start, int End)> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var runes = text.EnumerateRunes().ToArray();
        var sentences = new List<(int Start, int End)>();
        var start = -1;
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            if (start < 0)
            {
                if (!Rune.IsWhiteSpace(rune))
                {
                    start = i;
                }

                continue;
            }

            if (rune.Value is '\n' or '\r')
            {
                sentences.Add((start, TrimEnd(runes, start, i)));
                start = -1;
                continue;
            }

            if (rune.Value is '.' or '!' or '?' or '…')
            {
                var end = i + 1;
                while (end < runes.Length && IsClosing(runes[end]))
                {
                    end++;
                }

                // French sets a closing guillemet off with a space: « non. »
                if (end + 1 < runes.Length && runes[end].Value is ' ' or '\u00a0' or '\u202f' && runes[end + 1].Value == '»')
                {
                    end += 2;
                }

                if (end == runes.Length || Rune.IsWhiteSpace(runes[end]))
                {
                    sentences.Add((start, end));
                    start = -1;
                    i = end - 1;
                }
            }
        }

        if (start >= 0)
        {
            sentences.Add((start, TrimEnd(runes, start, runes.Length)));
        }

        return sentences;
    }

    /// <summary>The text between two code point offsets.</summary>
    public static string Slice(string text, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder();
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (index >= end)
            {
                break;
            }

            if (index >= start)
            {
                builder.Append(rune.ToString());
            }

            index++;
        }

        return builder.ToString();
    }

    private static bool IsClosing(Rune rune) => rune.Value is '"' or '\'' or ')' or ']' or '»' or '”' or '’' or '.';

    private static int TrimEnd(Rune[] runes, int start, int end)
    {
        while (end > start && Rune.IsWhiteSpace(runes[end - 1]))
        {
            end--;
        }

        return end;
    }
}
