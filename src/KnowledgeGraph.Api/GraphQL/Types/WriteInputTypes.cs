using System.Collections;
using System.Globalization;
using GraphQL.Types;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.Api.GraphQL.Types;

// The inputs of the mutations parse straight into the domain records the write path validates and stores: each input
// type declares its fields and, in ParseDictionary, builds its record from them, so a field of a write is named in
// this file alone. Nested inputs arrive already parsed (a title is a LocalizedText, a citation a Citation).

/// <summary>
/// An observation as a write gives it. Its figure is still the double GraphQL read: one beyond what a store keeps
/// (<see cref="FactRules.MaxFigure"/>) cannot become a decimal, and is refused by <see cref="At"/>, which knows the
/// observation's place in the input (<c>observations[index].value</c>), as a write problem rather than a parse error.
/// </summary>
public sealed class ObservationInput(Observation observation, double value)
{
    public Observation At(int index) =>
        FactRules.IsKeptFigure(value)
            ? observation
            : throw new WriteValidationException(
                [new WriteProblem($"observations[{index}].value", $"{value} is beyond the figures kept, up to {FactRules.MaxFigure:0e0} either way")]);
}

/// <summary>A batch as a write gives it: its records, with its observations' figures still to be checked at their index.</summary>
public sealed class GraphWriteInput(GraphWrite write, IReadOnlyList<ObservationInput> observations)
{
    public GraphWrite ToWrite() => write with { Observations = [.. observations.Select((o, i) => o.At(i))] };
}

public sealed class LocalizedTextInputType : InputObjectGraphType<LocalizedText>
{
    public LocalizedTextInputType()
    {
        Name = "LocalizedTextInput";
        Description = "A text in English and French; both are required.";
        Field<NonNullGraphType<StringGraphType>>("en").Description("The English text.");
        Field<NonNullGraphType<StringGraphType>>("fr").Description("The French text.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new LocalizedText(value.Required<string>("en"), value.Required<string>("fr"));
}

public sealed class CitationInputType : InputObjectGraphType<Citation>
{
    public CitationInputType()
    {
        Name = "CitationInput";
        Description = "Where a fact comes from. With `start` and `end`, the excerpt must stand exactly there (Unicode code points, end exclusive) in the source's text; without them, the server finds it, and refuses an excerpt that does not occur or occurs more than once.";
        Field<NonNullGraphType<StringGraphType>>("source").Description("The key of the source.");
        Field<NonNullGraphType<StringGraphType>>("excerpt").Description("The source's own words.");
        Field<IntGraphType>("start").Description("Where the excerpt starts, in code points; leave out with `end` to let the server find the excerpt.");
        Field<IntGraphType>("end").Description("Where the excerpt ends (exclusive), in code points; leave out with `start`.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new Citation(
        value.Required<string>("source"),
        value.Required<string>("excerpt"),
        value.Optional<int?>("start") ?? Citation.Unplaced,
        value.Optional<int?>("end") ?? Citation.Unplaced);
}

public sealed class AliasInputType : InputObjectGraphType<EntityAlias>
{
    public AliasInputType()
    {
        Name = "AliasInput";
        Description = "Another name an entity goes by.";
        Field<NonNullGraphType<StringGraphType>>("text").Description("The name.");
        Field<LanguageEnumType>("language").Description("The language the name belongs to, when it is specific to one.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new EntityAlias(value.Required<string>("text"), value.Optional<Language?>("language"));
}

public sealed class EntityInputType : InputObjectGraphType<Entity>
{
    public EntityInputType()
    {
        Name = "EntityInput";
        Description = "An entity to create or update, by key.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("The stable key, lower-case kebab-case; an existing key updates that entity.");
        Field<NonNullGraphType<EntityKindEnumType>>("kind").Description("What the entity is.");
        Field<NonNullGraphType<LocalizedTextInputType>>("name").Description("The usual name, in English and French.");
        Field<NonNullGraphType<LocalizedTextInputType>>("description").Description("One or two sentences, in English and French, saying only what the sources say.");
        Field<ListGraphType<NonNullGraphType<AliasInputType>>>("aliases").Description("Other names, including the sources' own spellings.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("Where the sources name or describe the entity; at least one.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new Entity(
        new EntityKey(value.Required<string>("key")),
        value.Required<EntityKind>("kind"),
        value.Required<LocalizedText>("name"),
        value.Required<LocalizedText>("description"),
        value.Records<EntityAlias>("aliases"),
        value.Records<Citation>("citations"));
}

public sealed class RelationshipInputType : InputObjectGraphType<Relationship>
{
    public RelationshipInputType()
    {
        Name = "RelationshipInput";
        Description = "A relationship to create or update, by key.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("The stable key, lower-case kebab-case, such as `facebook-owns-whatsapp`.");
        Field<NonNullGraphType<RelationshipTypeEnumType>>("type").Description("What the relationship says.");
        Field<NonNullGraphType<StringGraphType>>("from").Description("The key of the entity it starts at.");
        Field<NonNullGraphType<StringGraphType>>("to").Description("The key of the entity it ends at.");
        Field<LocalizedTextInputType>("role").Description("For LEADS: the role held.");
        Field<StringGraphType>("chart").Description("For TOPPED_CHART and DISPLACED: the chart concerned.");
        Field<StringGraphType>("occurredOn").Description("When it happened: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field<LocalizedTextInputType>("note").Description("What else qualifies the relationship.");
        Field<StringGraphType>("periodStart").Description("When it started to hold or happened: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field<StringGraphType>("periodEnd").Description("When it stopped holding; not before `periodStart`.");
        Field<DateBasisEnumType>("dateBasis").Description("How the period is known; STATED when a period is given without it, refused without a period.");
        FactInputFields.AddTo(this);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("The excerpts that state it; at least one.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        var periodStart = value.Optional<string>("periodStart");
        var periodEnd = value.Optional<string>("periodEnd");
        return new Relationship(
            value.Required<string>("key"),
            value.Required<RelationshipType>("type"),
            new EntityKey(value.Required<string>("from")),
            new EntityKey(value.Required<string>("to")),
            RelationshipProperties.Of(value.Optional<LocalizedText>("role"), value.Optional<string>("chart"), value.Optional<string>("occurredOn"), value.Optional<LocalizedText>("note")),
            value.Records<Citation>("citations"))
        {
            Provenance = FactInputFields.Provenance(value),
            PeriodStart = periodStart,
            PeriodEnd = periodEnd,
            DateBasis = FactRules.DateBasisOrStated(value.Optional<DateBasis?>("dateBasis"), periodStart ?? periodEnd),
        };
    }
}

public sealed class ObservationInputType : InputObjectGraphType<ObservationInput>
{
    public ObservationInputType()
    {
        Name = "ObservationInput";
        Description = "A figure to create or update, by key.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("The stable key, lower-case kebab-case.");
        Field<NonNullGraphType<StringGraphType>>("subject").Description("The key of the entity the figure is about.");
        Field<NonNullGraphType<StringGraphType>>("metric").Description("What is measured, upper snake case: NEW_USERS, MONTHLY_ACTIVE_USERS...");
        Field<NonNullGraphType<FloatGraphType>>("value").Description("The figure, in `unit`.");
        Field<NonNullGraphType<StringGraphType>>("unit").Description("The unit: users, users/day, percent...");
        Field<NonNullGraphType<PrecisionEnumType>>("precision").Description("How exactly the figure is known.");
        Field<StringGraphType>("periodStart").Description("The start of the period covered: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field<StringGraphType>("periodEnd").Description("The end of the period covered.");
        Field<StringGraphType>("duration").Description("How long the period lasted, as an ISO 8601 duration (PT72H).");
        Field<StringGraphType>("region").Description("The key of the region the figure is about.");
        Field<LocalizedTextInputType>("note").Description("What else qualifies the figure.");
        Field<DateBasisEnumType>("dateBasis").Description("How the period is known; STATED when a period is given without it, refused without a period.");
        Field<StringGraphType>("shareOf").Description("The key of the observation this figure is a share of; not the observation itself.");
        FactInputFields.AddTo(this);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("The excerpts that state the figure; at least one.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        var figure = Convert.ToDouble(value["value"], CultureInfo.InvariantCulture);
        var periodStart = value.Optional<string>("periodStart");
        var periodEnd = value.Optional<string>("periodEnd");
        var observation = new Observation(
            value.Required<string>("key"),
            new EntityKey(value.Required<string>("subject")),
            value.Required<string>("metric"),
            FactRules.IsKeptFigure(figure) ? (decimal)figure : 0m,
            value.Required<string>("unit"),
            value.Required<Precision>("precision"),
            periodStart,
            periodEnd,
            value.Optional<string>("duration"),
            value.Optional<string>("region") is { } region ? new EntityKey(region) : null,
            value.Optional<LocalizedText>("note"),
            value.Records<Citation>("citations"))
        {
            Provenance = FactInputFields.Provenance(value),
            DateBasis = FactRules.DateBasisOrStated(value.Optional<DateBasis?>("dateBasis"), periodStart ?? periodEnd),
            ShareOf = value.Optional<string>("shareOf"),
        };
        return new ObservationInput(observation, figure);
    }
}

public sealed class ClaimInputType : InputObjectGraphType<Claim>
{
    public ClaimInputType()
    {
        Name = "ClaimInput";
        Description = "A claim to create or update, by key.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("The stable key, lower-case kebab-case.");
        Field<NonNullGraphType<LocalizedTextInputType>>("text").Description("What the source says, in English and French.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("about").Description("The keys of the entities the claim is about; at least one.");
        FactInputFields.AddTo(this);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("The excerpts that state the claim; at least one.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new Claim(
        value.Required<string>("key"),
        value.Required<LocalizedText>("text"),
        [.. value.Records<string>("about").Select(k => new EntityKey(k))],
        FactInputFields.Provenance(value),
        value.Records<Citation>("citations"));
}

/// <summary>The provenance fields of every fact input, and the provenance they give.</summary>
internal static class FactInputFields
{
    public static void AddTo<T>(InputObjectGraphType<T> type)
    {
        type.Field<BasisEnumType>("basis").Description("How the source knows it; STATED when left out.");
        type.Field<StringGraphType>("reportedBy").Description("For REPORTED (required then, refused otherwise): the key of the entity whose statement the source relays.");
        type.Field<LocalizedTextInputType>("rationale").Description("For INFERRED (required then, refused otherwise): why the inference holds, in English and French.");
        type.Field<StringGraphType>("hedge").Description("The source's hedging words, verbatim; they must occur in one of the citations' excerpts.");
    }

    /// <summary>As in the seed format: a missing basis is STATED.</summary>
    public static FactProvenance Provenance(IDictionary<string, object?> value)
    {
        var basis = value.Optional<Basis?>("basis");
        var reportedBy = value.Optional<string>("reportedBy");
        var rationale = value.Optional<LocalizedText>("rationale");
        var hedge = value.Optional<string>("hedge");
        return basis is null && reportedBy is null && rationale is null && hedge is null
            ? FactProvenance.Stated
            : new FactProvenance(basis ?? Basis.Stated, reportedBy is null ? null : new EntityKey(reportedBy), rationale, hedge);
    }
}

public sealed class QuoteInputType : InputObjectGraphType<Quote>
{
    public QuoteInputType()
    {
        Name = "QuoteInput";
        Description = "A quote to create or update, by key.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("The stable key, lower-case kebab-case.");
        Field<NonNullGraphType<StringGraphType>>("speaker").Description("The key of the person who said it.");
        Field<NonNullGraphType<StringGraphType>>("text").Description("The words, as the source gives them.");
        Field<NonNullGraphType<LanguageEnumType>>("language").Description("The language of `text`.");
        Field<StringGraphType>("translation").Description("An English rendering, when `text` is not English.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationInputType>>>>("citations").Description("The excerpts that report the quote; at least one.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new Quote(
        value.Required<string>("key"),
        new EntityKey(value.Required<string>("speaker")),
        value.Required<string>("text"),
        value.Required<Language>("language"),
        value.Optional<string>("translation"),
        value.Records<Citation>("citations"));
}

public sealed class SourceInputType : InputObjectGraphType<Source>
{
    public SourceInputType()
    {
        Name = "SourceInput";
        Description = "A source to create or update, by key, with the full text citations point into.";
        Field<NonNullGraphType<StringGraphType>>("key").Description("The stable key, lower-case kebab-case.");
        Field<NonNullGraphType<LocalizedTextInputType>>("title").Description("The title, in English and French.");
        Field<NonNullGraphType<LanguageEnumType>>("language").Description("The language the source is written in.");
        Field<NonNullGraphType<StringGraphType>>("publishedOn").Description("When it was published: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field<StringGraphType>("url").Description("Where it was published.");
        Field<StringGraphType>("retrievedOn").Description("When the text was retrieved from the url: YYYY, YYYY-MM or YYYY-MM-DD.");
        Field<NonNullGraphType<StringGraphType>>("text").Description("The full text.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => new Source(
        value.Required<string>("key"),
        value.Required<LocalizedText>("title"),
        value.Required<Language>("language"),
        value.Required<string>("publishedOn"),
        value.Optional<string>("url"),
        value.Required<string>("text"))
    {
        RetrievedOn = value.Optional<string>("retrievedOn"),
    };
}

public sealed class RetractInputType : InputObjectGraphType<Retraction>
{
    public RetractInputType()
    {
        Name = "RetractInput";
        Description = "A record to withdraw. It disappears from reads and stays in its history with who, when and why; an entity takes the facts about it along.";
        Field<NonNullGraphType<RecordTypeEnumType>>("type").Description("What kind of record.");
        Field<NonNullGraphType<StringGraphType>>("key").Description("Its key.");
        Field<NonNullGraphType<StringGraphType>>("reason").Description("Why it is withdrawn; kept in the history.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) =>
        new Retraction(value.Required<RecordType>("type"), value.Required<string>("key"), value.Required<string>("reason"));
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

    public override object ParseDictionary(IDictionary<string, object?> value) => new GraphWriteInput(
        new GraphWrite(
            value.Records<Source>("sources"),
            value.Records<Entity>("entities"),
            value.Records<Relationship>("relationships"),
            [],
            value.Records<Quote>("quotes"),
            value.Records<Retraction>("retractions"))
        {
            Claims = value.Records<Claim>("claims"),
        },
        value.Records<ObservationInput>("observations"));
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

/// <summary>Reading a write input's fields, already parsed by their own types, in <c>ParseDictionary</c>.</summary>
internal static class WriteInputs
{
    /// <summary>A non-null field: GraphQL has checked it is there.</summary>
    public static T Required<T>(this IDictionary<string, object?> value, string name) => (T)value[name]!;

    public static T? Optional<T>(this IDictionary<string, object?> value, string name) =>
        value.TryGetValue(name, out var field) && field is not null ? (T)field : default;

    /// <summary>A list field; empty when left out or null.</summary>
    public static List<T> Records<T>(this IDictionary<string, object?> value, string name) =>
        value.TryGetValue(name, out var field) && field is IEnumerable list ? [.. list.Cast<T>()] : [];
}
