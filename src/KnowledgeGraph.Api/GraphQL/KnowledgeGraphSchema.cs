using GraphQL;
using GraphQL.Conversion;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>The public GraphQL contract. Its SDL is published at <c>/graphql/schema.graphql</c> and kept in <c>schema/schema.graphql</c>.</summary>
public sealed class KnowledgeGraphSchema : Schema
{
    public KnowledgeGraphSchema(IServiceProvider services, QueryType query, MutationType mutation, SubscriptionType subscription)
        : base(services)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
        // What current tools (graphql-codegen, GraphiQL, Apollo) ask introspection for: isRepeatable on directives and
        // includeDeprecated on args and inputFields (with isDeprecated and deprecationReason on input values).
        Features.RepeatableDirectives = true;
        Features.DeprecationOfInputValues = true;
        Description = "A knowledge graph of the messaging-platform world, every fact citing the sentence it comes from.";
        // The deprecated filter fields (EntityFilter.keys, nameContains) are shown as such in the SDL and introspection.
        NameConverter = FilterOperatorNameConverter.Instance;
    }

    /// <summary>
    /// The metadata key a <see cref="ScalarGraphType"/> sets to the URL of its specification, which introspection
    /// answers as <c>__Type.specifiedByURL</c>. None of this schema's scalars sets it: they are the built-in ones, which
    /// the GraphQL specification says have no such URL.
    /// </summary>
    public const string SpecifiedByUrlMetadata = "specifiedByURL";

    /// <summary>
    /// Two parts of the introspection graphql-js's query asks for (Banana Cake Pop's, graphql-codegen's) that GraphQL.NET
    /// 8 lacks, either of which would fail validation: <c>includeDeprecated</c> on <c>__Directive.args</c> (no directive
    /// argument here is deprecated, so it is accepted and changes nothing) and <c>__Type.specifiedByURL</c> (null
    /// unless a scalar declares its specification under <see cref="SpecifiedByUrlMetadata"/>).
    /// </summary>
    protected override void OnBeforeInitializeType(IGraphType graphType)
    {
        base.OnBeforeInitializeType(graphType);
        if (graphType is global::GraphQL.Introspection.__Directive directive && directive.GetField("args") is { } args
            && args.Arguments?.Find("includeDeprecated") is null)
        {
            args.Arguments ??= new QueryArguments();
            args.Arguments.Add(new QueryArgument<BooleanGraphType> { Name = "includeDeprecated", DefaultValue = false });
        }

        if (graphType is global::GraphQL.Introspection.__Type type && type.GetField("specifiedByURL") is null)
        {
            type.AddField(new FieldType
            {
                Name = "specifiedByURL",
                Description = "The URL of the specification of a custom scalar's data format; null for every other type.",
                Type = typeof(StringGraphType),
                Resolver = new FuncFieldResolver<object?>(context =>
                    context.Source is ScalarGraphType scalar ? scalar.GetMetadata<string?>(SpecifiedByUrlMetadata) : null),
            });
        }
    }

    /// <summary>The published SDL: descriptions included, as kept in <c>schema/schema.graphql</c>.</summary>
    public static string Print(ISchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true });
    }
}

/// <summary>
/// GraphQL.NET's camel case for every name, except the filter operators <c>AND</c>, <c>OR</c> and <c>NOT</c>, which
/// keep their capitals as filter inputs conventionally spell them.
/// </summary>
internal sealed class FilterOperatorNameConverter : INameConverter
{
    public static readonly FilterOperatorNameConverter Instance = new();

    private static readonly HashSet<string> Operators = new(["AND", "OR", "NOT"], StringComparer.Ordinal);

    public string NameForField(string fieldName, IComplexGraphType parentGraphType) =>
        Operators.Contains(fieldName) ? fieldName : CamelCaseNameConverter.Instance.NameForField(fieldName, parentGraphType);

    public string NameForArgument(string argumentName, IComplexGraphType parentGraphType, FieldType field) =>
        CamelCaseNameConverter.Instance.NameForArgument(argumentName, parentGraphType, field);
}
