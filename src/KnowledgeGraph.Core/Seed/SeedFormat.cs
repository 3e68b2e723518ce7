using System.Text.Json.Serialization;

namespace KnowledgeGraph.Seed;

// The wire shape of the seed files, as documented in seed/README.md. Kept apart from the domain records so that
// the loader can report a problem in the words of the file rather than in the words of the code.

internal sealed record LocalizedTextDto(
    [property: JsonRequired] string En,
    [property: JsonRequired] string Fr);

// Start and end may be left out: the excerpt is then found in the source's text (CitationLocator).
internal sealed record CitationDto(
    [property: JsonRequired] string Source,
    int? Start,
    int? End,
    [property: JsonRequired] string Excerpt);

internal sealed record AliasDto([property: JsonRequired] string Text, string? Language);

/// <summary>What every source entry carries, whether its text is in a file beside it or inline; a <c>required</c> member missing from the JSON is refused.</summary>
internal abstract record SourceFieldsDto
{
    public required string Key { get; init; }

    public required LocalizedTextDto Title { get; init; }

    public required string Language { get; init; }

    public required string PublishedOn { get; init; }

    public string? Url { get; init; }

    public string? RetrievedOn { get; init; }
}

/// <summary>A source of a seed folder: its text in <see cref="File"/>, beside sources.json.</summary>
internal sealed record SourceDto : SourceFieldsDto
{
    public required string File { get; init; }
}

/// <summary>A source of the single-document seed format: its text inline.</summary>
internal sealed record InlineSourceDto : SourceFieldsDto
{
    public required string Text { get; init; }
}

internal sealed record EntityDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Kind,
    [property: JsonRequired] LocalizedTextDto Name,
    [property: JsonRequired] LocalizedTextDto Description,
    IReadOnlyList<AliasDto>? Aliases,
    IReadOnlyList<CitationDto>? Citations);

internal sealed record RelationshipPropertiesDto(
    LocalizedTextDto? Role,
    string? Chart,
    string? OccurredOn,
    LocalizedTextDto? Note);

internal sealed record RelationshipDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Type,
    [property: JsonRequired] string From,
    [property: JsonRequired] string To,
    RelationshipPropertiesDto? Properties,
    IReadOnlyList<CitationDto>? Citations,
    string? Basis = null,
    string? ReportedBy = null,
    LocalizedTextDto? Rationale = null,
    string? Hedge = null,
    string? PeriodStart = null,
    string? PeriodEnd = null,
    string? DateBasis = null);

internal sealed record ObservationDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Subject,
    [property: JsonRequired] string Metric,
    [property: JsonRequired] decimal Value,
    [property: JsonRequired] string Unit,
    [property: JsonRequired] string Precision,
    string? PeriodStart,
    string? PeriodEnd,
    string? Duration,
    string? Region,
    LocalizedTextDto? Note,
    IReadOnlyList<CitationDto>? Citations,
    string? Basis = null,
    string? ReportedBy = null,
    LocalizedTextDto? Rationale = null,
    string? Hedge = null,
    string? DateBasis = null,
    string? ShareOf = null);

internal sealed record ClaimDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] LocalizedTextDto Text,
    IReadOnlyList<string>? About,
    IReadOnlyList<CitationDto>? Citations,
    string? Basis = null,
    string? ReportedBy = null,
    LocalizedTextDto? Rationale = null,
    string? Hedge = null);

internal sealed record QuoteDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Speaker,
    [property: JsonRequired] string Text,
    [property: JsonRequired] string Language,
    string? Translation,
    IReadOnlyList<CitationDto>? Citations);
