using GraphQL;
using GraphQL.Conversion;
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
    /// GraphQL.NET 8 gives <c>__Directive.args</c> no <c>includeDeprecated</c> argument although it deprecates input
    /// values elsewhere; graphql-js's introspection query (Banana Cake Pop's, graphql-codegen's) asks for it whenever
    /// input values can be deprecated, and would fail validation. No directive argument here is deprecated, so the
    /// argument is accepted and changes nothing.
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
