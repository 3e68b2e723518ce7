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
public sealed record Citation(string Source, string Excerpt, int Start, int End);

/// <summary>A document facts are taken from.</summary>
public sealed record Source(
    string Key,
    LocalizedText Title,
    Language Language,
    string PublishedOn,
    string? Url,
    string Text);

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

/// <summary>A directed, typed edge: <see cref="From"/> <see cref="Type"/> <see cref="To"/> (Facebook OWNS WhatsApp).</summary>
public sealed record Relationship(
    string Key,
    RelationshipType Type,
    EntityKey From,
    EntityKey To,
    RelationshipProperties Properties,
    IReadOnlyList<Citation> Citations);

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
    IReadOnlyList<Quote> Quotes);
