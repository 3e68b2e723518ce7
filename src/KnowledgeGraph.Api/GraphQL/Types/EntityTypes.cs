using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

/// <summary>
/// The object type of one kind of entity: the common fields of <c>Entity</c>, plus typed fields that follow one
/// relationship type to the entities of the expected kind (<c>App.owner</c>, <c>Company.apps</c>).
/// </summary>
public abstract class EntityObjectType : ObjectGraphType<Entity>
{
    protected EntityObjectType(EntityKind kind, string name, string description)
    {
        Name = name;
        Description = description;
        Interface<NodeInterface>();
        Interface<EntityInterface>();
        Kind = kind;
        IsTypeOf = value => value is Entity entity && entity.Kind == kind;
        EntityFields.AddTo(this);
    }

    /// <summary>The kind of entity this type is for.</summary>
    public EntityKind Kind { get; }

    /// <summary>A list of the entities of <paramref name="kinds"/> at the other end of relationships of one type.</summary>
    protected void Related<TGraphType>(string name, string description, RelationshipType type, RelationshipDirection direction, params EntityKind[] kinds)
        where TGraphType : IGraphType =>
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TGraphType>>>>(name)
            .Description(description)
            .Resolve(context => Follow(context, type, direction, kinds));

    /// <summary>The first entity (by relationship key) at the other end of relationships of one type, or null.</summary>
    protected void RelatedOne<TGraphType>(string name, string description, RelationshipType type, RelationshipDirection direction, params EntityKind[] kinds)
        where TGraphType : IGraphType =>
        Field<TGraphType>(name)
            .Description(description)
            .Resolve(context => Follow(context, type, direction, kinds, list => list.Count > 0 ? list[0] : null));

    /// <summary>
    /// Two batched levels: the relationships of every parent, then the entities at their other ends. The second hop
    /// is handed back to GraphQL.NET as a pending result (<see cref="DataLoaderResult.Then"/>), which it completes
    /// with every sibling's second hop in one batch: the store calls depend on the query's shape, never on timing.
    /// </summary>
    internal static IDataLoaderResult Follow(
        IResolveFieldContext<Entity> context, RelationshipType type, RelationshipDirection direction, EntityKind[] kinds) =>
        Follow<IReadOnlyList<Entity>>(context, type, direction, kinds, list => list);

    private static IDataLoaderResult Follow<T>(
        IResolveFieldContext<Entity> context, RelationshipType type, RelationshipDirection direction, EntityKind[] kinds, Func<IReadOnlyList<Entity>, T> shape)
    {
        var loaders = context.Loaders();
        var self = context.Source.Key;
        return loaders.RelationshipsOf(new RelationshipFilter(direction, [type])).Load(self).Then(relationships =>
            DataLoaderResult.All((relationships ?? []).Select(r => loaders.Entities.Load(r.From == self ? r.To : r.From)).ToList())
                .Select(entities => shape(entities.OfType<Entity>()
                    .Where(e => kinds.Length == 0 || kinds.Contains(e.Kind))
                    .DistinctBy(e => e.Key)
                    .ToList())));
    }
}

public sealed class CompanyType : EntityObjectType
{
    public CompanyType()
        : base(EntityKind.Company, "Company", "A company, such as Facebook, Tesla or SpaceX.")
    {
        Related<AppType>("apps", "The apps the company owns.", RelationshipType.Owns, RelationshipDirection.Outgoing, EntityKind.App);
        Related<EntityInterface>("owns", "Everything the company owns.", RelationshipType.Owns, RelationshipDirection.Outgoing);
        Related<PersonType>("founders", "The people who founded the company.", RelationshipType.Founded, RelationshipDirection.Incoming, EntityKind.Person);
        Related<PersonType>("leaders", "The people who lead the company (see the LEADS relationship for their role).", RelationshipType.Leads, RelationshipDirection.Incoming, EntityKind.Person);
        Related<ControversyType>("involvedIn", "The controversies the company is involved in.", RelationshipType.InvolvedIn, RelationshipDirection.Outgoing, EntityKind.Controversy);
        Related<PersonType>("criticizedBy", "The people who criticized the company or its practices.", RelationshipType.Criticized, RelationshipDirection.Incoming, EntityKind.Person);
    }
}

public sealed class PersonType : EntityObjectType
{
    public PersonType()
        : base(EntityKind.Person, "Person", "A person, such as Pavel Durov or Elon Musk.")
    {
        Related<EntityInterface>("founded", "The companies and apps the person founded.", RelationshipType.Founded, RelationshipDirection.Outgoing);
        Related<EntityInterface>("leads", "The companies and apps the person leads (see the LEADS relationship for the role).", RelationshipType.Leads, RelationshipDirection.Outgoing);
        Related<EndorsementType>("endorsements", "The endorsements the person gave.", RelationshipType.Gave, RelationshipDirection.Outgoing, EntityKind.Endorsement);
        Related<EntityInterface>("criticized", "The companies, apps or practices the person criticized.", RelationshipType.Criticized, RelationshipDirection.Outgoing);
        Related<ControversyType>("involvedIn", "The controversies the person is involved in.", RelationshipType.InvolvedIn, RelationshipDirection.Outgoing, EntityKind.Controversy);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<QuoteType>>>>("quotes")
            .Description("What the person said, as the sources report it.")
            .Resolve(c => c.Loaders().QuotesOf.Load(c.Source.Key));
    }
}

public sealed class AppType : EntityObjectType
{
    public AppType()
        : base(EntityKind.App, "App", "A messaging app, such as WhatsApp, Telegram or Signal.")
    {
        RelatedOne<CompanyType>("owner", "The company that owns the app, when the sources say.", RelationshipType.Owns, RelationshipDirection.Incoming, EntityKind.Company);
        Related<PersonType>("founders", "The people who founded the app.", RelationshipType.Founded, RelationshipDirection.Incoming, EntityKind.Person);
        Related<PersonType>("leaders", "The people who lead the app (see the LEADS relationship for their role).", RelationshipType.Leads, RelationshipDirection.Incoming, EntityKind.Person);
        Related<AppType>("competitors", "The apps it competes with, in either direction.", RelationshipType.CompetesWith, RelationshipDirection.Both, EntityKind.App);
        Related<ControversyType>("involvedIn", "The controversies the app is involved in.", RelationshipType.InvolvedIn, RelationshipDirection.Outgoing, EntityKind.Controversy);
        Related<ControversyType>("benefitedFrom", "The controversies the app gained from.", RelationshipType.BenefitedFrom, RelationshipDirection.Outgoing, EntityKind.Controversy);
        Related<EndorsementType>("endorsements", "The endorsements that recommend the app.", RelationshipType.Endorses, RelationshipDirection.Incoming, EntityKind.Endorsement);
        Related<PlatformType>("toppedCharts", "The platforms whose chart the app topped.", RelationshipType.ToppedChart, RelationshipDirection.Outgoing, EntityKind.Platform);
        Related<AppType>("displaced", "The apps this app took the place of.", RelationshipType.Displaced, RelationshipDirection.Outgoing, EntityKind.App);
        Related<AppType>("displacedBy", "The apps that took this app's place.", RelationshipType.Displaced, RelationshipDirection.Incoming, EntityKind.App);
        Related<PlatformType>("availableOn", "The platforms the app is distributed through.", RelationshipType.AvailableOn, RelationshipDirection.Outgoing, EntityKind.Platform);
    }
}

public sealed class PlatformType : EntityObjectType
{
    public PlatformType()
        : base(EntityKind.Platform, "Platform", "A platform apps or posts are published on: an app store (App Store, Google Play) or a social network (Twitter).")
    {
        Related<AppType>("apps", "The apps distributed through the platform.", RelationshipType.AvailableOn, RelationshipDirection.Incoming, EntityKind.App);
        Related<AppType>("chartToppers", "The apps that topped the platform's chart.", RelationshipType.ToppedChart, RelationshipDirection.Incoming, EntityKind.App);
        Related<EndorsementType>("endorsementsPublished", "The endorsements published on the platform.", RelationshipType.PublishedOn, RelationshipDirection.Incoming, EntityKind.Endorsement);
    }
}

public sealed class RegionType : EntityObjectType
{
    public RegionType()
        : base(EntityKind.Region, "Region", "A region of the world, such as Asia or Latin America.")
    {
    }
}

public sealed class ControversyType : EntityObjectType
{
    public ControversyType()
        : base(EntityKind.Controversy, "Controversy", "A controversy or scandal, such as WhatsApp's 2021 terms update.")
    {
        Related<EntityInterface>("involved", "The companies, apps and people involved.", RelationshipType.InvolvedIn, RelationshipDirection.Incoming);
        Related<EntityInterface>("beneficiaries", "The apps and companies that gained from it.", RelationshipType.BenefitedFrom, RelationshipDirection.Incoming);
    }
}

public sealed class EndorsementType : EntityObjectType
{
    public EndorsementType()
        : base(EntityKind.Endorsement, "Endorsement", "A public recommendation, such as Elon Musk's recommendation of Signal on Twitter.")
    {
        RelatedOne<PersonType>("endorser", "Who gave the endorsement.", RelationshipType.Gave, RelationshipDirection.Incoming, EntityKind.Person);
        Related<EntityInterface>("endorses", "What the endorsement recommends.", RelationshipType.Endorses, RelationshipDirection.Outgoing);
        Related<PlatformType>("publishedOn", "Where the endorsement was published.", RelationshipType.PublishedOn, RelationshipDirection.Outgoing, EntityKind.Platform);
    }
}
