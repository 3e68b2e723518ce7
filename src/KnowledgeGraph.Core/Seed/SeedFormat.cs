using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;

namespace KnowledgeGraph.Seed;

// The wire shape of the seed files, as documented in seed/README.md. Kept apart from the domain records so that
// the loader can report a problem in the words of the file rather than in the words of the code. Each entry holds
// both directions of its mapping: ToRecord for the seed loader and the seed import, Of for the seed export, which
// serialises these same types; a field of the format is therefore named once, here. The export's order of members
// is their order here (JsonPropertyOrder puts citations, a file and a text last); a member left out of the export
// when it has no value carries JsonIgnore(WhenWritingNull).

internal sealed record LocalizedTextDto(
    [property: JsonRequired] string En,
    [property: JsonRequired] string Fr)
{
    public LocalizedText ToRecord() => new(En, Fr);

    [return: NotNullIfNotNull(nameof(text))]
    public static LocalizedTextDto? Of(LocalizedText? text) => text is null ? null : new(text.En, text.Fr);
}

// Start and end may be left out: the excerpt is then found in the source's text (CitationLocator).
internal sealed record CitationDto(
    [property: JsonRequired] string Source,
    int? Start,
    int? End,
    [property: JsonRequired] string Excerpt)
{
    public Citation ToRecord() => new(Source, Excerpt, Start ?? Citation.Unplaced, End ?? Citation.Unplaced);

    public static CitationDto Of(Citation c) => new(c.Source, c.Start, c.End, c.Excerpt);
}

internal sealed record AliasDto([property: JsonRequired] string Text, string? Language)
{
    public EntityAlias ToRecord(string at, List<ImportProblem> problems) =>
        new(Text, Language is null ? null : SeedRecords.Language(Language, at + ".language", problems));

    public static AliasDto Of(EntityAlias a) => new(a.Text, a.Language is { } l ? Vocabulary.ToCode(l) : null);
}

/// <summary>What every source entry carries, whether its text is in a file beside it or inline; a <c>required</c> member missing from the JSON is refused.</summary>
internal abstract record SourceFieldsDto
{
    protected SourceFieldsDto()
    {
    }

    [SetsRequiredMembers]
    protected SourceFieldsDto(Source source)
    {
        Key = source.Key;
        Title = LocalizedTextDto.Of(source.Title);
        Language = Vocabulary.ToCode(source.Language);
        PublishedOn = source.PublishedOn;
        Url = source.Url;
        RetrievedOn = source.RetrievedOn;
    }

    public required string Key { get; init; }

    public required LocalizedTextDto Title { get; init; }

    public required string Language { get; init; }

    public required string PublishedOn { get; init; }

    public string? Url { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RetrievedOn { get; init; }

    public Source ToRecord(string text, string at, List<ImportProblem> problems) =>
        new(Key, Title.ToRecord(), SeedRecords.Language(Language, at + ".language", problems), PublishedOn, Url, text) { RetrievedOn = RetrievedOn };
}

/// <summary>A source of a seed folder: its text in <see cref="File"/>, beside sources.json.</summary>
internal sealed record SourceDto : SourceFieldsDto
{
    public SourceDto()
    {
    }

    [SetsRequiredMembers]
    public SourceDto(Source source, string file)
        : base(source) => File = file;

    [JsonPropertyOrder(1)]
    public required string File { get; init; }
}

/// <summary>A source of the single-document seed format: its text inline.</summary>
internal sealed record InlineSourceDto : SourceFieldsDto
{
    public InlineSourceDto()
    {
    }

    [SetsRequiredMembers]
    public InlineSourceDto(Source source)
        : base(source) => Text = source.Text;

    [JsonPropertyOrder(1)]
    public required string Text { get; init; }

    public Source ToRecord(string at, List<ImportProblem> problems) => ToRecord(Text, at, problems);
}

internal sealed record EntityDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Kind,
    [property: JsonRequired] LocalizedTextDto Name,
    [property: JsonRequired] LocalizedTextDto Description,
    IReadOnlyList<AliasDto>? Aliases,
    IReadOnlyList<CitationDto>? Citations)
{
    public Entity ToRecord(string at, List<ImportProblem> problems) => new(
        new EntityKey(Key),
        SeedRecords.Enum<EntityKind>(Kind, at + ".kind", problems),
        Name.ToRecord(),
        Description.ToRecord(),
        [.. (Aliases ?? []).Select((a, i) => a.ToRecord($"{at}.aliases[{i}]", problems))],
        SeedRecords.Citations(Citations));

    public static EntityDto Of(Entity e) => new(
        e.Key.Value,
        Vocabulary.ToWireName(e.Kind),
        LocalizedTextDto.Of(e.Name),
        LocalizedTextDto.Of(e.Description),
        [.. e.Aliases.Select(AliasDto.Of)],
        SeedRecords.Citations(e.Citations));
}

internal sealed record RelationshipPropertiesDto(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocalizedTextDto? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Chart,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? OccurredOn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocalizedTextDto? Note)
{
    public RelationshipProperties ToRecord() => RelationshipProperties.Of(Role?.ToRecord(), Chart, OccurredOn, Note?.ToRecord());

    /// <summary>Null for properties with nothing in them, which the seed leaves out.</summary>
    public static RelationshipPropertiesDto? Of(RelationshipProperties p) =>
        p.IsEmpty ? null : new(LocalizedTextDto.Of(p.Role), p.Chart, p.OccurredOn, LocalizedTextDto.Of(p.Note));
}

internal sealed record RelationshipDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Type,
    [property: JsonRequired] string From,
    [property: JsonRequired] string To,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RelationshipPropertiesDto? Properties,
    [property: JsonPropertyOrder(1)] IReadOnlyList<CitationDto>? Citations,
    string? Basis = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReportedBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocalizedTextDto? Rationale = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Hedge = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PeriodStart = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PeriodEnd = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DateBasis = null)
{
    public Relationship ToRecord(string at, List<ImportProblem> problems) =>
        new(Key, SeedRecords.Enum<RelationshipType>(Type, at + ".type", problems), new EntityKey(From), new EntityKey(To), Properties?.ToRecord() ?? RelationshipProperties.None, SeedRecords.Citations(Citations))
        {
            Provenance = SeedRecords.Provenance(Basis, ReportedBy, Rationale, Hedge, at, problems),
            PeriodStart = PeriodStart,
            PeriodEnd = PeriodEnd,
            DateBasis = SeedRecords.DateBasisOf(DateBasis, PeriodStart ?? PeriodEnd, SeedRecords.Path(at, "dateBasis"), problems),
        };

    // Every fact is written with its basis, as the seed itself does.
    public static RelationshipDto Of(Relationship r) => new(
        r.Key,
        Vocabulary.ToWireName(r.Type),
        r.From.Value,
        r.To.Value,
        RelationshipPropertiesDto.Of(r.Properties),
        SeedRecords.Citations(r.Citations),
        Vocabulary.ToWireName(r.Provenance.Basis),
        r.Provenance.ReportedBy?.Value,
        LocalizedTextDto.Of(r.Provenance.Rationale),
        r.Provenance.Hedge,
        r.PeriodStart,
        r.PeriodEnd,
        r.DateBasis is { } d ? Vocabulary.ToWireName(d) : null);
}

internal sealed record ObservationDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Subject,
    [property: JsonRequired] string Metric,
    [property: JsonRequired, JsonConverter(typeof(SeedNumberConverter))] decimal Value,
    [property: JsonRequired] string Unit,
    [property: JsonRequired] string Precision,
    string? PeriodStart,
    string? PeriodEnd,
    string? Duration,
    string? Region,
    LocalizedTextDto? Note,
    [property: JsonPropertyOrder(1)] IReadOnlyList<CitationDto>? Citations,
    string? Basis = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReportedBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocalizedTextDto? Rationale = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Hedge = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DateBasis = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ShareOf = null)
{
    public Observation ToRecord(string at, List<ImportProblem> problems) => new(
        Key,
        new EntityKey(Subject),
        Metric,
        Value,
        Unit,
        SeedRecords.Enum<Precision>(Precision, at + ".precision", problems),
        PeriodStart,
        PeriodEnd,
        Duration,
        Region is null ? null : new EntityKey(Region),
        Note?.ToRecord(),
        SeedRecords.Citations(Citations))
    {
        Provenance = SeedRecords.Provenance(Basis, ReportedBy, Rationale, Hedge, at, problems),
        DateBasis = SeedRecords.DateBasisOf(DateBasis, PeriodStart ?? PeriodEnd, SeedRecords.Path(at, "dateBasis"), problems),
        ShareOf = ShareOf,
    };

    public static ObservationDto Of(Observation o) => new(
        o.Key,
        o.Subject.Value,
        o.Metric,
        o.Value,
        o.Unit,
        Vocabulary.ToWireName(o.Precision),
        o.PeriodStart,
        o.PeriodEnd,
        o.Duration,
        o.Region?.Value,
        LocalizedTextDto.Of(o.Note),
        SeedRecords.Citations(o.Citations),
        Vocabulary.ToWireName(o.Provenance.Basis),
        o.Provenance.ReportedBy?.Value,
        LocalizedTextDto.Of(o.Provenance.Rationale),
        o.Provenance.Hedge,
        o.DateBasis is { } d ? Vocabulary.ToWireName(d) : null,
        o.ShareOf);
}

internal sealed record ClaimDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] LocalizedTextDto Text,
    IReadOnlyList<string>? About,
    [property: JsonPropertyOrder(1)] IReadOnlyList<CitationDto>? Citations,
    string? Basis = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReportedBy = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LocalizedTextDto? Rationale = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Hedge = null)
{
    public Claim ToRecord(string at, List<ImportProblem> problems) => new(
        Key,
        Text.ToRecord(),
        [.. (About ?? []).Select(k => new EntityKey(k))],
        SeedRecords.Provenance(Basis, ReportedBy, Rationale, Hedge, at, problems),
        SeedRecords.Citations(Citations));

    public static ClaimDto Of(Claim c) => new(
        c.Key,
        LocalizedTextDto.Of(c.Text),
        [.. c.About.Select(k => k.Value)],
        SeedRecords.Citations(c.Citations),
        Vocabulary.ToWireName(c.Provenance.Basis),
        c.Provenance.ReportedBy?.Value,
        LocalizedTextDto.Of(c.Provenance.Rationale),
        c.Provenance.Hedge);
}

internal sealed record QuoteDto(
    [property: JsonRequired] string Key,
    [property: JsonRequired] string Speaker,
    [property: JsonRequired] string Text,
    [property: JsonRequired] string Language,
    string? Translation,
    IReadOnlyList<CitationDto>? Citations)
{
    public Quote ToRecord(string at, List<ImportProblem> problems) =>
        new(Key, new EntityKey(Speaker), Text, SeedRecords.Language(Language, at + ".language", problems), Translation, SeedRecords.Citations(Citations));

    public static QuoteDto Of(Quote q) =>
        new(q.Key, q.Speaker.Value, q.Text, Vocabulary.ToCode(q.Language), q.TranslationEn, SeedRecords.Citations(q.Citations));
}

/// <summary>A figure as the seed writes it, 25000000 rather than 25000000.0 (<see cref="SeedWriter.Number"/>); read as any decimal.</summary>
internal sealed class SeedNumberConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteRawValue(SeedWriter.Number(value));
}
