using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.GraphQL.Types;

public sealed class ObservationType : ObjectGraphType<Observation>
{
    public ObservationType()
    {
        Name = "Observation";
        Description = "A figure about an entity (users gained, monthly active users, a share by region), with the qualifiers the source gives it.";
        Interface<NodeInterface>();
        Interface<FactInterface>();
        Field<NonNullGraphType<IdGraphType>>("id").Description("A globally unique, opaque id.").Resolve(c => GlobalId.Encode(Name, c.Source.Key));
        Field(o => o.Key).Description("The observation's stable key.");
        Field<NonNullGraphType<EntityInterface>>("subject")
            .Description("The entity the figure is about.")
            .Resolve(c => c.Loaders().Entities.Load(c.Source.Subject));
        Field(o => o.Metric).Description("What is measured: NEW_USERS, DAILY_NEW_USERS, MONTHLY_ACTIVE_USERS, NEW_USERS_SHARE, ...");
        Field<NonNullGraphType<FloatGraphType>>("value").Description("The figure, in `unit`.").Resolve(c => (double)c.Source.Value);
        Field(o => o.Unit).Description("The unit of `value`: users, users/day, percent.");
        Field<NonNullGraphType<PrecisionEnumType>>("precision").Description("How exactly the figure is known.").Resolve(c => c.Source.Precision);
        Field(o => o.PeriodStart, nullable: true).Description("The start of the period the figure covers (YYYY, YYYY-MM or YYYY-MM-DD), when the source gives one.");
        Field(o => o.PeriodEnd, nullable: true).Description("The end of the period the figure covers, when the source gives one.");
        Field(o => o.Duration, nullable: true).Description("How long the period lasted, as an ISO 8601 duration (PT72H for 72 hours), when the source gives it.");
        Field<RegionType>("region")
            .Description("The region the figure is about, when it is about one.")
            .Resolve(c => c.Source.Region is { } region ? c.Loaders().Entities.Load(region) : null);
        Field<StringGraphType>("note")
            .Description("What else qualifies the figure.")
            .Argument<LanguageEnumType>("lang", EntityFields.LangDescription)
            .Resolve(c => c.Source.Note?.In(c.Language()));
        Field<DateBasisEnumType>("dateBasis")
            .Description("How `periodStart`/`periodEnd` are known: STATED, or RELATIVE_TO_SOURCE when derived from the source's publication date. Null when the figure carries no period.")
            .Resolve(c => c.Source.DateBasis);
        Field<ObservationType>("shareOf")
            .Description("The figure this one is a share of (a regional share of a total), when it is one.")
            .Resolve(c => c.Source.ShareOf is { } total ? c.Loaders().Observations.Load(total) : null);
        FactFields.AddTo(this, o => o.Provenance);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationType>>>>("citations")
            .Description("The excerpts that state the figure.")
            .Resolve(c => c.Source.Citations);
    }
}

public sealed class QuoteType : ObjectGraphType<Quote>
{
    public QuoteType()
    {
        Name = "Quote";
        Description = "Words a person said, as the source reports them.";
        Interface<NodeInterface>();
        Field<NonNullGraphType<IdGraphType>>("id").Description("A globally unique, opaque id.").Resolve(c => GlobalId.Encode(Name, c.Source.Key));
        Field(q => q.Key).Description("The quote's stable key.");
        Field<NonNullGraphType<PersonType>>("speaker")
            .Description("Who said it.")
            .Resolve(c => c.Loaders().Entities.Load(c.Source.Speaker));
        Field(q => q.Text).Description("The words, as the source gives them.");
        Field<NonNullGraphType<LanguageEnumType>>("language").Description("The language of `text`.").Resolve(c => c.Source.Language);
        Field("translation", q => q.TranslationEn, nullable: true).Description("An English rendering, when `text` is not in English.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationType>>>>("citations")
            .Description("The excerpts that report the quote.")
            .Resolve(c => c.Source.Citations);
    }
}
