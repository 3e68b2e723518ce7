using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;

namespace KnowledgeGraph.Seed;

/// <summary>
/// The seed format's words for what several entries share (a vocabulary word, a language, provenance, citations), used
/// by each entry's own mapping in <c>SeedFormat.cs</c> and by the CSV import. It checks only what the records cannot
/// hold; everything else is the write validator's, which the seed loader and the seed import run on the records.
/// </summary>
internal static class SeedRecords
{
    /// <summary>A missing basis is STATED: seeds and writes from before bases existed keep their meaning.</summary>
    public static FactProvenance Provenance(string? basis, string? reportedBy, LocalizedTextDto? rationale, string? hedge, string at, List<ImportProblem> problems) =>
        basis is null && reportedBy is null && rationale is null && hedge is null
            ? FactProvenance.Stated
            : new FactProvenance(
                basis is null ? Basis.Stated : Enum<Basis>(basis, Path(at, "basis"), problems),
                reportedBy is null ? null : new EntityKey(reportedBy),
                rationale?.ToRecord(),
                hedge);

    /// <summary>The date basis named at <paramref name="path"/>, or the one a fact gets without it (<see cref="FactRules.DateBasisOrStated"/>).</summary>
    public static DateBasis? DateBasisOf(string? dateBasis, string? period, string path, List<ImportProblem> problems) =>
        FactRules.DateBasisOrStated(dateBasis is null ? null : Enum<DateBasis>(dateBasis, path, problems), period);

    public static TEnum Enum<TEnum>(string value, string path, List<ImportProblem> problems)
        where TEnum : struct, Enum
    {
        if (!Vocabulary.TryParse<TEnum>(value, out var parsed))
        {
            var allowed = string.Join(", ", System.Enum.GetValues<TEnum>().Select(Vocabulary.ToWireName));
            problems.Add(new ImportProblem(path, $"unknown value '{value}' (expected one of {allowed})"));
        }

        return parsed;
    }

    public static Language Language(string value, string path, List<ImportProblem> problems)
    {
        switch (value)
        {
            case "en":
                return Domain.Language.En;
            case "fr":
                return Domain.Language.Fr;
            default:
                problems.Add(new ImportProblem(path, $"unknown language '{value}' (expected \"en\" or \"fr\")"));
                return Domain.Language.En;
        }
    }

    public static string Path(string at, string field) => at.Length == 0 ? field : at + "." + field;

    public static List<Citation> Citations(IReadOnlyList<CitationDto>? citations) => [.. (citations ?? []).Select(c => c.ToRecord())];

    public static List<CitationDto> Citations(IReadOnlyList<Citation> citations) => [.. citations.Select(CitationDto.Of)];
}
