using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.Api.GraphQL.Loading;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL.Types;

/// <summary>The fields every entity has: declared once, on the <c>Entity</c> interface and on each kind's type.</summary>
internal static class EntityFields
{
    public const string LangDescription = "The language to answer in; defaults to the request's Accept-Language, then English.";

    // GQL012 guards against resolvers on input types; this helper only ever receives the Entity interface (where
    // GraphQL.NET ignores resolvers) and the object type of each kind, so one declaration serves both.
#pragma warning disable GQL012
    public static void AddTo(ComplexGraphType<Entity> type)
    {
        type.Field<NonNullGraphType<IdGraphType>>("id")
            .Description("A globally unique, opaque id.")
            .Resolve(c => GlobalId.Encode("Entity", c.Source.Key.Value));
        type.Field<NonNullGraphType<StringGraphType>>("key")
            .Description("The entity's stable key, lower-case kebab-case (`whatsapp`, `pavel-durov`).")
            .Resolve(c => c.Source.Key.Value);
        type.Field<NonNullGraphType<EntityKindEnumType>>("kind").Description("What the entity is.").Resolve(c => c.Source.Kind);
        type.Field<NonNullGraphType<StringGraphType>>("name")
            .Description("The entity's usual name.")
            .Argument<LanguageEnumType>("lang", LangDescription)
            .Resolve(c => c.Source.Name.In(c.Language()));
        type.Field<NonNullGraphType<StringGraphType>>("description")
            .Description("One or two sentences on the entity, saying only what the sources say.")
            .Argument<LanguageEnumType>("lang", LangDescription)
            .Resolve(c => c.Source.Description.In(c.Language()));
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AliasType>>>>("aliases")
            .Description("Other names the entity goes by, including the sources' own spellings (\"Télégramme\").")
            .Resolve(c => c.Source.Aliases);
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CitationType>>>>("citations")
            .Description("Where the sources name or describe the entity.")
            .Resolve(c => c.Source.Citations);
        type.Field<NonNullGraphType<RelationshipConnectionType>>("relationships")
            .Description("The entity's relationships, ordered by relationship key, as a cursor-paginated connection.")
            .Argument<ListGraphType<NonNullGraphType<RelationshipTypeEnumType>>>("types", "Only relationships of these types; all types when omitted.")
            .Argument<RelationshipDirectionEnumType>("direction", "Which direction to follow; BOTH by default.", a => a.DefaultValue = RelationshipDirection.Both)
            .Argument<RelationshipWhereInputType>("where", "Only relationships whose other end meets `node`, such as `{node: {kind: {eq: APP}}}`.")
            .Argument<IntGraphType>("first", $"At most this many relationships after `after` (at most {ResolveContextExtensions.MaxPageSize}).")
            .Argument<StringGraphType>("after", "A cursor from a previous page: return the relationships after it.")
            .Argument<IntGraphType>("last", $"At most this many relationships before `before` (at most {ResolveContextExtensions.MaxPageSize}).")
            .Argument<StringGraphType>("before", "A cursor from a previous page: return the relationships before it.")
            .Resolve(ResolveRelationships);
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ObservationType>>>>("observations")
            .Description("Figures about the entity, ordered by key.")
            .Argument<StringGraphType>("metric", "Only figures of this metric, such as NEW_USERS or MONTHLY_ACTIVE_USERS.")
            .Resolve(c => c.Loaders().ObservationsOf(c.GetArgument<string?>("metric")).Load(c.Source.Key));
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ClaimType>>>>("claims")
            .Description("The claims about the entity (readings, scenarios, opinions of the sources), ordered by key.")
            .Resolve(c => c.Loaders().ClaimsAbout.Load(c.Source.Key));
    }
#pragma warning restore GQL012

    private static object? ResolveRelationships(IResolveFieldContext<Entity> context)
    {
        var types = context.OptionalArgument<List<RelationshipType>>("types");
        var direction = context.Argument<RelationshipDirection>("direction") ?? RelationshipDirection.Both;
        var node = FilterInputs.Condition(context.OptionalArgument<RelationshipWhere>("where")?.Node);
        var first = context.PageSize("first");
        var last = context.PageSize("last");
        var after = context.OptionalArgument<string>("after");
        var before = context.OptionalArgument<string>("before");
        if (first is null && last is null)
        {
            // No page size asked: the largest page, never the whole list (an entity may have any number).
            if (before is null)
            {
                first = ResolveContextExtensions.MaxPageSize;
            }
            else
            {
                last = ResolveContextExtensions.MaxPageSize;
            }
        }

        return context.Loaders()
            .RelationshipsOf(new RelationshipFilter(direction, types, node))
            .LoadOrGet(context.Source.Key, all => RelationshipConnection.Page(all ?? [], first, after, last, before));
    }
}

public sealed class AliasType : ObjectGraphType<EntityAlias>
{
    public AliasType()
    {
        Name = "Alias";
        Description = "Another name an entity goes by.";
        Field(a => a.Text).Description("The name.");
        Field<LanguageEnumType>("language").Description("The language the name belongs to, when it is specific to one.").Resolve(c => c.Source.Language);
    }
}

public sealed class EntityInterface : InterfaceGraphType<Entity>
{
    // Each kind's object type, found on first use among the possible types: without ResolveType, GraphQL.NET asks
    // every possible type's IsTypeOf in turn, for every entity in every answer.
    private readonly IObjectGraphType?[] _byKind = new IObjectGraphType?[Enum.GetValues<EntityKind>().Length];

    public EntityInterface()
    {
        ResolveType = value => value is Entity entity ? _byKind[(int)entity.Kind] ??= TypeOf(entity.Kind) : null;
        Name = "Entity";
        Description = "A thing the graph knows about: a company, person, app, platform, region, controversy or endorsement.";
        Interface<NodeInterface>();
        EntityFields.AddTo(this);

        // An interface only declares; each kind's object type resolves.
        foreach (var field in Fields)
        {
            field.Resolver = null;
        }
    }

    private EntityObjectType? TypeOf(EntityKind kind) =>
        PossibleTypes.OfType<EntityObjectType>().FirstOrDefault(type => type.Kind == kind);
}
