namespace KnowledgeGraph.Domain;

/// <summary>What is wrong with a citation.</summary>
public enum CitationProblemKind
{
    /// <summary>No source has the cited key.</summary>
    UnknownSource,
    /// <summary>The offsets do not fit the source's text.</summary>
    OutsideText,
    /// <summary>The source's text between the offsets is not the excerpt.</summary>
    ExcerptMismatch,
}

/// <summary>A citation that does not hold, and why, in words that name the source and, for a mismatch, what it reads.</summary>
public sealed record CitationProblem(CitationProblemKind Kind, string Message);

/// <summary>
/// Checks citations against the texts of their sources, the rule every fact follows wherever it comes from (the seed,
/// a write, an import): the source exists and its text between the offsets (code points, end exclusive) is the
/// excerpt, to the letter. The code point positions of each text are worked out once.
/// </summary>
public sealed class CitationChecker(IReadOnlyDictionary<string, string> texts)
{
    private readonly Dictionary<string, int[]?> _indexes = new(StringComparer.Ordinal);

    /// <summary>Null when the citation holds.</summary>
    public CitationProblem? Check(string source, int start, int end, string excerpt)
    {
        if (!texts.TryGetValue(source, out var text))
        {
            return new CitationProblem(CitationProblemKind.UnknownSource, $"no source has the key '{source}'");
        }

        _indexes.TryGetValue(source, out var index);
        var actual = FactRules.SliceCodePoints(text, start, end, ref index);
        _indexes[source] = index;
        if (actual is null)
        {
            return new CitationProblem(CitationProblemKind.OutsideText, $"offsets {start}..{end} are outside source '{source}'");
        }

        return string.Equals(actual, excerpt, StringComparison.Ordinal)
            ? null
            : new CitationProblem(
                CitationProblemKind.ExcerptMismatch,
                $"the excerpt \"{FactRules.Abbreviate(excerpt)}\" is not at {start}..{end} of source '{source}', which reads \"{FactRules.Abbreviate(actual)}\"");
    }

    /// <inheritdoc cref="Check(string, int, int, string)"/>
    public CitationProblem? Check(Citation citation)
    {
        ArgumentNullException.ThrowIfNull(citation);
        return Check(citation.Source, citation.Start, citation.End, citation.Excerpt);
    }
}
