using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.IntegrationTests.Docs;

/// <summary>
/// Every citation the documentation shows (a JSON object, a GraphQL input or an answer with an excerpt and its
/// offsets) stands at those offsets in the seed's source, counted in code points as the API counts them.
/// </summary>
public sealed partial class DocumentedCitationOffsetTests
{
    private const string ArticleKey = "whatsapp-privacy-exodus-2021";

    private static readonly string[] Documents = ["README.md", "seed/README.md", "docs/import-export.md"];

    public static TheoryData<string, string, int, int> Citations()
    {
        var data = new TheoryData<string, string, int, int>();
        foreach (var (document, excerpt, start, end) in Find())
        {
            data.Add(document, excerpt, start, end);
        }

        return data;
    }

    [Fact]
    public void Both_readmes_show_citations_with_offsets()
    {
        var found = Find().ToList();

        Assert.Contains(found, c => c.Document == "README.md");
        Assert.Contains(found, c => c.Document == "seed/README.md");
    }

    [Theory]
    [MemberData(nameof(Citations))]
    public void A_documented_excerpt_stands_at_its_offsets(string document, string excerpt, int start, int end)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Seed, "sources", ArticleKey + ".fr.txt"));
        var runes = text.EnumerateRunes().ToArray();

        Assert.True(start >= 0 && start <= end && end <= runes.Length, $"{document}: {start}..{end} is outside the text");
        Assert.True(
            excerpt == string.Concat(runes[start..end].Select(r => r.ToString())),
            $"{document}: \"{excerpt}\" is not at {start}..{end}; it occurs at code point {CodePointIndex(text, excerpt)}");
    }

    // Citations of other sources (a partner's own article in docs/import-export.md) are left out: their text is not here.
    private static IEnumerable<(string Document, string Excerpt, int Start, int End)> Find()
    {
        foreach (var document in Documents)
        {
            var markdown = File.ReadAllText(Path.Combine(RepositoryPaths.Root, document));
            foreach (Match group in Braces().Matches(markdown))
            {
                var fields = Field().Matches(group.Value).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
                if (!fields.TryGetValue("excerpt", out var excerpt) || !fields.TryGetValue("start", out var start) || !fields.TryGetValue("end", out var end))
                {
                    continue;
                }

                // An answer's citation names no source (the documents' examples all read the seed's article); JSON-LD
                // names it by its IRI (`kgd:source:<key>`).
                var source = fields.TryGetValue("source", out var named) ? Unquote(named) : ArticleKey;
                if (source == ArticleKey || source.EndsWith(":" + ArticleKey, StringComparison.Ordinal))
                {
                    yield return (document, Unquote(excerpt), int.Parse(start, CultureInfo.InvariantCulture), int.Parse(end, CultureInfo.InvariantCulture));
                }
            }
        }
    }

    private static string Unquote(string value) =>
        value.StartsWith('"') ? JsonSerializer.Deserialize<string>(value)! : value;

    private static int CodePointIndex(string text, string excerpt)
    {
        var index = text.IndexOf(excerpt, StringComparison.Ordinal);
        return index < 0 ? -1 : text[..index].EnumerateRunes().Count();
    }

    // One brace group with no braces inside: a citation object on one or more lines.
    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Braces();

    // `"name": value` (JSON) or `name: value` (GraphQL), for a string or an integer value.
    [GeneratedRegex("\"?(?<name>source|excerpt|start|end)\"?\\s*:\\s*(?<value>\"(?:[^\"\\\\]|\\\\.)*\"|\\d+)")]
    private static partial Regex Field();
}
