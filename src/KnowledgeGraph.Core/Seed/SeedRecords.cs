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
    public static Source ToSource(SourceDto dto, string text, string at, List<ImportProblem> problems) =>
        new(dto.Key, Text(dto.Title), Language(dto.Language, at + ".language", problems), dto.PublishedOn, dto.Url, text);

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
        return new Relationship(dto.Key, Enum<RelationshipType>(dto.Type, at + ".type", problems), new EntityKey(dto.From), new EntityKey(dto.To), properties, Citations(dto.Citations));
    }

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
        Citations(dto.Citations));

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

    public static LocalizedText Text(LocalizedTextDto dto) => new(dto.En, dto.Fr);

    public static LocalizedText? TextOrNull(LocalizedTextDto? dto) => dto is null ? null : Text(dto);

    private static List<Citation> Citations(IReadOnlyList<CitationDto>? citations) =>
        [.. (citations ?? []).Select(c => new Citation(c.Source, c.Excerpt, c.Start, c.End))];
}
