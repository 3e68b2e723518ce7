using GraphQL.Types;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.GraphQL.Types;

// The inputs of the mutations, as plain classes GraphQL.NET fills in, and their graph types. WriteMapping turns them
// into domain records.

public sealed class LocalizedTextInput
{
    public string En { get; set; } = string.Empty;

    public string Fr { get; set; } = string.Empty;
}

public sealed class CitationInput
{
    public string Source { get; set; } = string.Empty;

    public string Excerpt { get; set; } = string.Empty;

    public int? Start { get; set; }

    public int? End { get; set; }
}

/// <summary>How the source knows a fact, as a write gives it: the fields every fact input shares.</summary>
public abstract class FactInput
{
    public Basis? Basis { get; set; }

    public string? ReportedBy { get; set; }

    public LocalizedTextInput? Rationale { get; set; }

    public string? Hedge { get; set; }
}

public sealed class AliasInput
{
    public string Text { get; set; } = string.Empty;

    public Language? Language { get; set; }
}

public sealed class EntityInput
{
    public string Key { get; set; } = string.Empty;

    public EntityKind Kind { get; set; }

    public LocalizedTextInput Name { get; set; } = new();

    public LocalizedTextInput Description { get; set; } = new();

    public List<AliasInput>? Aliases { get; set; }

    public List<CitationInput> Citations { get; set; } = [];
}

public sealed class RelationshipInput : FactInput
{
    public string Key { get; set; } = string.Empty;

    public RelationshipType Type { get; set; }

    public string From { get; set; } = string.Empty;

    public string To { get; set; } = string.Empty;

    public LocalizedTextInput? Role { get; set; }

    public string? Chart { get; set; }

    public string? OccurredOn { get; set; }

    public LocalizedTextInput? Note { get; set; }

    public string? PeriodStart { get; set; }

    public string? PeriodEnd { get; set; }

    public DateBasis? DateBasis { get; set; }

    public List<CitationInput> Citations { get; set; } = [];
}

public sealed class ObservationInput : FactInput
{
    public string Key { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    public string Metric { get; set; } = string.Empty;

    public double Value { get; set; }

    public string Unit { get; set; } = string.Empty;

    public Precision Precision { get; set; }

    public string? PeriodStart { get; set; }

    public string? PeriodEnd { get; set; }

    public string? Duration { get; set; }

    public string? Region { get; set; }

    public LocalizedTextInput? Note { get; set; }

    public DateBasis? DateBasis { get; set; }

    public string? ShareOf { get; set; }

    public List<CitationInput> Citations { get; set; } = [];
}

public sealed class ClaimInput : FactInput
{
    public string Key { get; set; } = string.Empty;

    public LocalizedTextInput Text { get; set; } = new();

    public List<string> About { get; set; } = [];

    public List<CitationInput> Citations { get; set; } = [];
}

public sealed class QuoteInput
{
    public string Key { get; set; } = string.Empty;

    public string Speaker { get; set; } = string.Empty;

    public string Text { get; set; } = string.Empty;

    public Language Language { get; set; }

    public string? Translation { get; set; }

    public List<CitationInput> Citations { get; set; } = [];
}

public sealed class SourceInput
{
    public string Key { get; set; } = string.Empty;

    public LocalizedTextInput Title { get; set; } = new();

    public Language Language { get; set; }

    public string PublishedOn { get; set; } = string.Empty;

    public string? Url { get; set; }

    public string? RetrievedOn { get; set; }

    public string Text { get; set; } = string.Empty;
}

public sealed class RetractInput
{
    public RecordType Type { get; set; }

    public string Key { get; set; } = string.Empty;

    public string Reason { get; set; } = string.Empty;
}

public sealed class GraphWriteInput
{
    public List<SourceInput>? Sources { get; set; }

    public List<EntityInput>? Entities { get; set; }

    public List<RelationshipInput>? Relationships { get; set; }

    public List<ObservationInput>? Observations { get; set; }

    public List<QuoteInput>? Quotes { get; set; }

    public List<ClaimInput>? Claims { get; set; }

    public List<RetractInput>? Retractions { get; set; }
}

public sealed class LocalizedTextInputType : InputObjectGraphType<LocalizedTextInput>
{
    public LocalizedTextInputType()
    {
        Name = "LocalizedTextInput";
        Description = "A text in English and French; both are required.";
        Field(t => t.En).Description("The English text.");
        Field(t => t.Fr).Description("The French text.");
    }
}

public sealed class CitationInputType : InputObjectGraphType<CitationInput>
{
    public CitationInputType()
    {
        Name = "CitationInput";
        Description = "Where a fact comes from. With `start` and `end`, the excerpt must stand exactly there (Unicode code points, end exclusive) in the source's text; without them, the server finds it, and refuses an excerpt that does not occur or occurs more than once.";
        Field(c => c.Source).Description("The key of the source.");
        Field(c => c.Excerpt).Description("The source's own words.");
        Field(c => c.Start, nullable: true).Description("Where the excerpt starts, in code points; leave out with `end` to let the server find the excerpt.");
        Field(c => c.End, nullable: true).Description("Where the excerpt ends (exclusive), in code points; leave out with `start`.");
    }
}

public sealed class AliasInputType : InputObjectGraphType<AliasInput>
{
    public AliasInputType()
    {
        Name = "AliasInput";
        Description = "Another name an entity goes by.";
        Field(a => a.Text).Description("The name.");
        Field<LanguageEnumType>("language").Description("The language the name belongs to, when it is specific to one.");
    }
}

public sealed class EntityInputType : InputObjectGraphType<EntityInput>
{
    public EntityInputType()
    {
        Name = "EntityInput";
        Description = "An entity to create or update, by key.";
        Field(e => e.Key).Description("The stable key, lower-case kebab-case; an existing key updates that entity.");
        Field<NonNullGraphType<EntityKindEnumType>>("kind").Description("What the entity is.");
        Field<NonNullGraphType<LocalizedTextInputType>>("name").Description("The usual name, in English and French.");
        Field<NonNullGraphType<LocalizedTextInputType>>("description").Description("One or two sentences, in English and French, saying only what the sources say.");
        Field<ListGraphType<NonNullGraphType<AliasInputType>>>("aliases").Description("Other names, including the sources' own spellings.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("Where the sources name or describe the entity; at least one.");
    }
}

public sealed class RelationshipInputType : InputObjectGraphType<RelationshipInput>
{
    public RelationshipInputType()
    {
        Name = "RelationshipInput";
        Description = "A relationship to create or update, by key.";
        Field(r => r.Key).Description("The stable key, lower-case kebab-case, such as `facebook-owns-whatsapp`.");
        Field<NonNullGraphType<RelationshipTypeEnumType>>("type").Description("What the relationship says.");
        Field(r => r.From).Description("The key of the entity it starts at.");
        Field(r => r.To).Description("The key of the entity it ends at.");
        Field<LocalizedTextInputType>("role").Description("For LEADS: the role held.");
        Field(r => r.Chart, nullable: true).Description("For TOPPED_CHART and DISPLACED: the chart concerned.");
        Field(r => r.OccurredOn, nullable: true).Description("When it happened: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field<LocalizedTextInputType>("note").Description("What else qualifies the relationship.");
        Field(r => r.PeriodStart, nullable: true).Description("When it started to hold or happened: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field(r => r.PeriodEnd, nullable: true).Description("When it stopped holding; not before `periodStart`.");
        Field<DateBasisEnumType>("dateBasis").Description("How the period is known; STATED when a period is given without it, refused without a period.");
        FactInputFields.AddTo(this);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("The excerpts that state it; at least one.");
    }
}

public sealed class ObservationInputType : InputObjectGraphType<ObservationInput>
{
    public ObservationInputType()
    {
        Name = "ObservationInput";
        Description = "A figure to create or update, by key.";
        Field(o => o.Key).Description("The stable key, lower-case kebab-case.");
        Field(o => o.Subject).Description("The key of the entity the figure is about.");
        Field(o => o.Metric).Description("What is measured, upper snake case: NEW_USERS, MONTHLY_ACTIVE_USERS...");
        Field(o => o.Value).Description("The figure, in `unit`.");
        Field(o => o.Unit).Description("The unit: users, users/day, percent...");
        Field<NonNullGraphType<PrecisionEnumType>>("precision").Description("How exactly the figure is known.");
        Field(o => o.PeriodStart, nullable: true).Description("The start of the period covered: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field(o => o.PeriodEnd, nullable: true).Description("The end of the period covered.");
        Field(o => o.Duration, nullable: true).Description("How long the period lasted, as an ISO 8601 duration (PT72H).");
        Field(o => o.Region, nullable: true).Description("The key of the region the figure is about.");
        Field<LocalizedTextInputType>("note").Description("What else qualifies the figure.");
        Field<DateBasisEnumType>("dateBasis").Description("How the period is known; STATED when a period is given without it, refused without a period.");
        Field(o => o.ShareOf, nullable: true).Description("The key of the observation this figure is a share of; not the observation itself.");
        FactInputFields.AddTo(this);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("The excerpts that state the figure; at least one.");
    }
}

public sealed class ClaimInputType : InputObjectGraphType<ClaimInput>
{
    public ClaimInputType()
    {
        Name = "ClaimInput";
        Description = "A claim to create or update, by key.";
        Field(c => c.Key).Description("The stable key, lower-case kebab-case.");
        Field<NonNullGraphType<LocalizedTextInputType>>("text").Description("What the source says, in English and French.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("about").Description("The keys of the entities the claim is about; at least one.");
        FactInputFields.AddTo(this);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("The excerpts that state the claim; at least one.");
    }
}

/// <summary>The provenance fields of every fact input.</summary>
internal static class FactInputFields
{
    public static void AddTo<T>(InputObjectGraphType<T> type)
        where T : FactInput
    {
        type.Field<BasisEnumType>("basis").Description("How the source knows it; STATED when left out.");
        type.Field<StringGraphType>("reportedBy").Description("For REPORTED (required then, refused otherwise): the key of the entity whose statement the source relays.");
        type.Field<LocalizedTextInputType>("rationale").Description("For INFERRED (required then, refused otherwise): why the inference holds, in English and French.");
        type.Field<StringGraphType>("hedge").Description("The source's hedging words, verbatim; they must occur in one of the citations' excerpts.");
    }
}

public sealed class QuoteInputType : InputObjectGraphType<QuoteInput>
{
    public QuoteInputType()
    {
        Name = "QuoteInput";
        Description = "A quote to create or update, by key.";
        Field(q => q.Key).Description("The stable key, lower-case kebab-case.");
        Field(q => q.Speaker).Description("The key of the person who said it.");
        Field(q => q.Text).Description("The words, as the source gives them.");
        Field<NonNullGraphType<LanguageEnumType>>("language").Description("The language of `text`.");
        Field(q => q.Translation, nullable: true).Description("An English rendering, when `text` is not English.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("The excerpts that report the quote; at least one.");
    }
}

public sealed class SourceInputType : InputObjectGraphType<SourceInput>
{
    public SourceInputType()
    {
        Name = "SourceInput";
        Description = "A source to create or update, by key, with the full text citations point into.";
        Field(s => s.Key).Description("The stable key, lower-case kebab-case.");
        Field<NonNullGraphType<LocalizedTextInputType>>("title").Description("The title, in English and French.");
        Field<NonNullGraphType<LanguageEnumType>>("language").Description("The language the source is written in.");
        Field(s => s.PublishedOn).Description("When it was published: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field(s => s.Url, nullable: true).Description("Where it was published.");
        Field(s => s.RetrievedOn, nullable: true).Description("When the text was retrieved from the url: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field(s => s.Text).Description("The full text.");
    }
}

public sealed class RetractInputType : InputObjectGraphType<RetractInput>
{
    public RetractInputType()
    {
        Name = "RetractInput";
        Description = "A record to withdraw. It disappears from reads and stays in its history with who, when and why; an entity takes the facts about it along.";
        Field<NonNullGraphType<RecordTypeEnumType>>("type").Description("What kind of record.");
        Field(r => r.Key).Description("Its key.");
        Field(r => r.Reason).Description("Why it is withdrawn; kept in the history.");
    }
}

public sealed class GraphWriteInputType : InputObjectGraphType<GraphWriteInput>
{
    public GraphWriteInputType()
    {
        Name = "GraphWriteInput";
        Description = "A batch of writes, applied all-or-nothing: sources, entities, relationships, observations, quotes and claims are upserted by key, then retractions are applied.";
        Field<ListGraphType<NonNullGraphType<SourceInputType>>>("sources").Description("Sources to create or update.");
        Field<ListGraphType<NonNullGraphType<EntityInputType>>>("entities").Description("Entities to create or update.");
        Field<ListGraphType<NonNullGraphType<RelationshipInputType>>>("relationships").Description("Relationships to create or update.");
        Field<ListGraphType<NonNullGraphType<ObservationInputType>>>("observations").Description("Observations to create or update.");
        Field<ListGraphType<NonNullGraphType<QuoteInputType>>>("quotes").Description("Quotes to create or update.");
        Field<ListGraphType<NonNullGraphType<ClaimInputType>>>("claims").Description("Claims to create or update.");
        Field<ListGraphType<NonNullGraphType<RetractInputType>>>("retractions").Description("Records to withdraw.");
    }
}

public sealed class RecordTypeEnumType : EnumerationGraphType<RecordType>
{
    public RecordTypeEnumType()
    {
        Name = "RecordType";
        Description = "The kinds of record a write can create, update or retract.";
        Values["SOURCE"]!.Description = "A source document.";
        Values["ENTITY"]!.Description = "An entity.";
        Values["RELATIONSHIP"]!.Description = "A relationship.";
        Values["OBSERVATION"]!.Description = "An observation (a figure).";
        Values["QUOTE"]!.Description = "A quote.";
        Values["CLAIM"]!.Description = "A claim.";
    }
}

public sealed class WriteOutcomeEnumType : EnumerationGraphType<WriteOutcome>
{
    public WriteOutcomeEnumType()
    {
        Name = "WriteOutcome";
        Description = "What a write did to one record.";
        Values["CREATED"]!.Description = "The record did not exist and now does.";
        Values["UPDATED"]!.Description = "The record existed and some of it changed.";
        Values["UNCHANGED"]!.Description = "The record already stood exactly so (or was already retracted): nothing changed.";
        Values["RETRACTED"]!.Description = "The record was withdrawn and kept in its history.";
    }
}
