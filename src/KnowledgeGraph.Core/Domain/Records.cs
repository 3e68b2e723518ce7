namespace KnowledgeGraph.Domain;

/// <summary>A text kept in English and French.</summary>
public sealed record LocalizedText(string En, string Fr)
{
    public string In(Language language) => language == Language.Fr ? Fr : En;
}

/// <summary>Another name an entity goes by, in a given language when it is specific to one.</summary>
public sealed record EntityAlias(string Text, Language? Language);

/// <summary>
/// Where a fact comes from: an excerpt of a source, and the offsets it stands at.
/// Offsets count Unicode code points from the start of the source text; <see cref="End"/> is exclusive.
/// </summary>
public sealed record Citation(string Source, string Excerpt, int Start, int End)
{
    /// <summary>The offset of a citation given without one: <see cref="CitationLocator"/> finds where its excerpt stands.</summary>
    public const int Unplaced = -1;

    /// <summary>Whether the citation came without offsets (or with one of the two only).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsUnplaced => Start == Unplaced || End == Unplaced;
}

/// <summary>A document facts are taken from.</summary>
public sealed record Source(
    string Key,
    LocalizedText Title,
    Language Language,
    string PublishedOn,
    string? Url,
    string Text)
{
    /// <summary>
    /// When the text was retrieved from <see cref="Url"/> (a partial ISO date, like <see cref="PublishedOn"/>), so a
    /// reader knows which version of a page that may change was cited; null when not recorded.
    /// </summary>
    public string? RetrievedOn { get; init; }
}

public sealed record Entity(
    EntityKey Key,
    EntityKind Kind,
    LocalizedText Name,
    LocalizedText Description,
    IReadOnlyList<EntityAlias> Aliases,
    IReadOnlyList<Citation> Citations);

/// <summary>The optional, typed properties a relationship may carry.</summary>
public sealed record RelationshipProperties(
    LocalizedText? Role = null,
    string? Chart = null,
    string? OccurredOn = null,
    LocalizedText? Note = null)
{
    public static readonly RelationshipProperties None = new();

    /// <summary>Whether the relationship carries no property at all.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Role is null && Chart is null && OccurredOn is null && Note is null;

    /// <summary>The properties given, or <see cref="None"/> when none is: the one place that decides "empty".</summary>
    public static RelationshipProperties Of(LocalizedText? role, string? chart, string? occurredOn, LocalizedText? note)
    {
        var properties = new RelationshipProperties(role, chart, occurredOn, note);
        return properties.IsEmpty ? None : properties;
    }
}

/// <summary>
/// How the source knows a fact: in its own voice, relaying someone (<see cref="ReportedBy"/>), or by implication
/// (<see cref="Rationale"/> says why the inference holds); and the source's hedging words, verbatim, when it has them.
/// </summary>
public sealed record FactProvenance(Basis Basis, EntityKey? ReportedBy = null, LocalizedText? Rationale = null, string? Hedge = null)
{
    /// <summary>A fact the source states in its own voice, without hedging: what a record without provenance is.</summary>
    public static readonly FactProvenance Stated = new(Basis.Stated);
}

/// <summary>A directed, typed edge: <see cref="From"/> <see cref="Type"/> <see cref="To"/> (Facebook OWNS WhatsApp).</summary>
public sealed record Relationship(
    string Key,
    RelationshipType Type,
    EntityKey From,
    EntityKey To,
    RelationshipProperties Properties,
    IReadOnlyList<Citation> Citations)
{
    /// <summary>How the source knows it; <see cref="FactProvenance.Stated"/> unless given.</summary>
    public FactProvenance Provenance { get; init; } = FactProvenance.Stated;

    /// <summary>When the relationship started to hold or happened: YYYY, YYYY-MM or YYYY-MM-DD.</summary>
    public string? PeriodStart { get; init; }

    /// <summary>When it stopped holding (or the day it happened, again, for an event of one day).</summary>
    public string? PeriodEnd { get; init; }

    /// <summary>How the period is known; set exactly when a period is given.</summary>
    public DateBasis? DateBasis { get; init; }
}

/// <summary>A figure about an entity, with the qualifiers the source gives it.</summary>
public sealed record Observation(
    string Key,
    EntityKey Subject,
    string Metric,
    decimal Value,
    string Unit,
    Precision Precision,
    string? PeriodStart,
    string? PeriodEnd,
    string? Duration,
    EntityKey? Region,
    LocalizedText? Note,
    IReadOnlyList<Citation> Citations)
{
    /// <summary>How the source knows it; <see cref="FactProvenance.Stated"/> unless given.</summary>
    public FactProvenance Provenance { get; init; } = FactProvenance.Stated;

    /// <summary>How <see cref="PeriodStart"/>/<see cref="PeriodEnd"/> are known; set exactly when a period is given.</summary>
    public DateBasis? DateBasis { get; init; }

    /// <summary>The key of the observation this figure is a share of (a regional share of a total).</summary>
    public string? ShareOf { get; init; }
}

/// <summary>
/// A statement of the source that no typed relationship or figure can hold: a reading of the figures, a scenario,
/// an opinion; about one entity or more.
/// </summary>
public sealed record Claim(
    string Key,
    LocalizedText Text,
    IReadOnlyList<EntityKey> About,
    FactProvenance Provenance,
    IReadOnlyList<Citation> Citations);

/// <summary>Words a person said, as the source reports them, with an English rendering.</summary>
public sealed record Quote(
    string Key,
    EntityKey Speaker,
    string Text,
    Language Language,
    string? TranslationEn,
    IReadOnlyList<Citation> Citations);

/// <summary>A whole, validated graph: what a seed produces and what a store is loaded with.</summary>
public sealed record GraphSnapshot(
    IReadOnlyList<Source> Sources,
    IReadOnlyList<Entity> Entities,
    IReadOnlyList<Relationship> Relationships,
    IReadOnlyList<Observation> Observations,
    IReadOnlyList<Quote> Quotes)
{
    /// <summary>The claims of the graph (a later addition, so not positional: every graph built before has none).</summary>
    public IReadOnlyList<Claim> Claims { get; init; } = [];
}
