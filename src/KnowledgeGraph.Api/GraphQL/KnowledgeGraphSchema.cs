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
        Features.DeprecationOfInputValues = true;
        NameConverter = FilterOperatorNameConverter.Instance;
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
