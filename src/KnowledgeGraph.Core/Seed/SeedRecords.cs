using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;

namespace KnowledgeGraph.Seed;

/// <summary>
/// The one mapping from the seed format's entries to domain records, shared by the seed loader and the seed import.
/// It checks only what the records cannot hold (a vocabulary word, a language); everything else is the write
/// validator's, which both run on what this returns.
/// </summary>
internal static class SeedRecords
{
    public static Source ToSource(SourceFieldsDto dto, string text, string at, List<ImportProblem> problems) =>
        new(dto.Key, Text(dto.Title), Language(dto.Language, at + ".language", problems), dto.PublishedOn, dto.Url, text) { RetrievedOn = dto.RetrievedOn };

    public static Entity ToEntity(EntityDto dto, string at, List<ImportProblem> problems) => new(
        new EntityKey(dto.Key),
        Enum<EntityKind>(dto.Kind, at + ".kind", problems),
        Text(dto.Name),
        Text(dto.Description),
        [.. (dto.Aliases ?? []).Select((a, i) => new EntityAlias(a.Text, a.Language is null ? null : Language(a.Language, $"{at}.aliases[{i}].language", problems)))],
        Citations(dto.Citations));

    public static Relationship ToRelationship(RelationshipDto dto, string at, List<ImportProblem> problems)
    {
        var p = dto.Properties;
        var properties = p is null ? RelationshipProperties.None : RelationshipProperties.Of(TextOrNull(p.Role), p.Chart, p.OccurredOn, TextOrNull(p.Note));
        return new Relationship(dto.Key, Enum<RelationshipType>(dto.Type, at + ".type", problems), new EntityKey(dto.From), new EntityKey(dto.To), properties, Citations(dto.Citations))
        {
            Provenance = Provenance(dto.Basis, dto.ReportedBy, dto.Rationale, dto.Hedge, at, problems),
            PeriodStart = dto.PeriodStart,
            PeriodEnd = dto.PeriodEnd,
            DateBasis = DateBasisOf(dto.DateBasis, dto.PeriodStart ?? dto.PeriodEnd, Path(at, "dateBasis"), problems),
        };
    }

    public static Claim ToClaim(ClaimDto dto, string at, List<ImportProblem> problems) => new(
        dto.Key,
        Text(dto.Text),
        [.. (dto.About ?? []).Select(k => new EntityKey(k))],
        Provenance(dto.Basis, dto.ReportedBy, dto.Rationale, dto.Hedge, at, problems),
        Citations(dto.Citations));

    /// <summary>A missing basis is STATED: seeds and writes from before bases existed keep their meaning.</summary>
    public static FactProvenance Provenance(string? basis, string? reportedBy, LocalizedTextDto? rationale, string? hedge, string at, List<ImportProblem> problems) =>
        basis is null && reportedBy is null && rationale is null && hedge is null
            ? FactProvenance.Stated
            : new FactProvenance(
                basis is null ? Basis.Stated : Enum<Basis>(basis, Path(at, "basis"), problems),
                reportedBy is null ? null : new EntityKey(reportedBy),
                TextOrNull(rationale),
                hedge);

    /// <summary>The date basis named at <paramref name="path"/>, or the one a fact gets without it (<see cref="FactRules.DateBasisOrStated"/>).</summary>
    public static DateBasis? DateBasisOf(string? dateBasis, string? period, string path, List<ImportProblem> problems) =>
        FactRules.DateBasisOrStated(dateBasis is null ? null : Enum<DateBasis>(dateBasis, path, problems), period);

    public static Observation ToObservation(ObservationDto dto, string at, List<ImportProblem> problems) => new(
        dto.Key,
        new EntityKey(dto.Subject),
        dto.Metric,
        dto.Value,
        dto.Unit,
        Enum<Precision>(dto.Precision, at + ".precision", problems),
        dto.PeriodStart,
        dto.PeriodEnd,
        dto.Duration,
        dto.Region is null ? null : new EntityKey(dto.Region),
        TextOrNull(dto.Note),
        Citations(dto.Citations))
    {
        Provenance = Provenance(dto.Basis, dto.ReportedBy, dto.Rationale, dto.Hedge, at, problems),
        DateBasis = DateBasisOf(dto.DateBasis, dto.PeriodStart ?? dto.PeriodEnd, Path(at, "dateBasis"), problems),
        ShareOf = dto.ShareOf,
    };

    public static Quote ToQuote(QuoteDto dto, string at, List<ImportProblem> problems) =>
        new(dto.Key, new EntityKey(dto.Speaker), dto.Text, Language(dto.Language, at + ".language", problems), dto.Translation, Citations(dto.Citations));

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

    private static string Path(string at, string field) => at.Length == 0 ? field : at + "." + field;

    public static LocalizedText Text(LocalizedTextDto dto) => new(dto.En, dto.Fr);

    public static LocalizedText? TextOrNull(LocalizedTextDto? dto) => dto is null ? null : Text(dto);

    private static List<Citation> Citations(IReadOnlyList<CitationDto>? citations) =>
        [.. (citations ?? []).Select(c => new Citation(c.Source, c.Excerpt, c.Start ?? Citation.Unplaced, c.End ?? Citation.Unplaced))];
}
