namespace KnowledgeGraph.Domain;

/// <summary>
/// Places the citations given without offsets, so a partner need not count code points: the excerpt is looked up in
/// its source's text and must occur there exactly once. Runs before validation, wherever citations come from (the
/// seed, a write, an import); a citation with both offsets is left as it is, for the checker to hold to them.
/// </summary>
public static class CitationLocator
{
    /// <summary>The citation with its offsets, or why it cannot be placed (null problem when placed or already placed).</summary>
    public static (Citation Citation, string? Field, string? Problem) Place(Citation citation, IReadOnlyDictionary<string, string> texts)
    {
        ArgumentNullException.ThrowIfNull(citation);
        ArgumentNullException.ThrowIfNull(texts);
        if (!citation.IsUnplaced)
        {
            return (citation, null, null);
        }

        if (citation.Start != citation.End)
        {
            return (citation, citation.Start == Citation.Unplaced ? "start" : "end", "give both start and end, or neither (the excerpt is then found in the source's text)");
        }

        if (!texts.TryGetValue(citation.Source, out var text))
        {
            return (citation, "source", $"no source has the key '{citation.Source}'");
        }

        if (string.IsNullOrEmpty(citation.Excerpt))
        {
            return (citation, "excerpt", "an empty excerpt cannot be found in the source");
        }

        var first = text.IndexOf(citation.Excerpt, StringComparison.Ordinal);
        if (first < 0)
        {
            return (citation, "excerpt", $"the excerpt \"{FactRules.Abbreviate(citation.Excerpt)}\" does not occur in source '{citation.Source}'");
        }

        var count = 1;
        for (var at = text.IndexOf(citation.Excerpt, first + 1, StringComparison.Ordinal); at >= 0; at = text.IndexOf(citation.Excerpt, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        if (count > 1)
        {
            return (citation, "excerpt", $"the excerpt \"{FactRules.Abbreviate(citation.Excerpt)}\" occurs {count} times in source '{citation.Source}'; give start and end to say which");
        }

        var start = FactRules.CodePointsBefore(text, first);
        return (citation with { Start = start, End = start + FactRules.CodePointsBefore(citation.Excerpt, citation.Excerpt.Length) }, null, null);
    }
}
