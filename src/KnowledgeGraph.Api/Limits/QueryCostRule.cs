using System.Collections;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.GraphQL.Types;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Limits;

/// <summary>
/// The cost budget (<c>Limits:MaxComplexity</c>), computed by GraphQL.NET's complexity analyzer once the document is
/// valid and its variables known. Every field costs 1; the fields under a list cost that much once per item the list
/// may hold: its <c>first</c>/<c>last</c> (or its connection's), clamped to the page size the resolvers enforce,
/// the number of <c>ids</c> asked for, or <see cref="ListSizeEstimate"/> for lists without a size argument.
/// Introspection costs nothing here; its size is bounded by <see cref="DocumentShape"/> instead.
/// </summary>
internal sealed class QueryCostRule(IOptions<LimitsOptions> options) : ComplexityValidationRule(CreateOptions(options.Value))
{
    /// <summary>What a list without a size argument (citations, path steps, quotes...) is assumed to hold.</summary>
    public const int ListSizeEstimate = 10;

    private readonly int _budget = options.Value.MaxComplexity;

    public override ValueTask<INodeVisitor?> GetPostNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // An operation type the schema lacks is refused when it would run ("not configured"); there is nothing to cost.
        IObjectGraphType? root = context.Operation.Operation switch
        {
            OperationType.Query => context.Schema.Query,
            OperationType.Mutation => context.Schema.Mutation,
            _ => context.Schema.Subscription,
        };
        return root is null ? default : base.GetPostNodeVisitorAsync(context);
    }

    protected override ValueTask ValidateComplexityAsync(ValidationContext context, double totalComplexity, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (totalComplexity > _budget)
        {
            context.ReportError(QueryLimitError.TooComplex(totalComplexity, _budget));
        }

        return default;
    }

    private static ComplexityOptions CreateOptions(LimitsOptions limits) => new()
    {
        // Depth is checked before validation by DocumentShape.
        MaxDepth = null,
        MaxComplexity = limits.MaxComplexity,
        DefaultScalarImpact = 1,
        DefaultObjectImpact = 1,
        DefaultListImpactMultiplier = ListSizeEstimate,
        DefaultComplexityImpactDelegate = Impact,
    };

    private static FieldComplexityResult Impact(FieldImpactContext context)
    {
        if (context.FieldDefinition.Name.StartsWith("__", StringComparison.Ordinal))
        {
            // __typename, and __schema/__type with everything under them: bounded by DocumentShape instead.
            return new(0, 0);
        }

        // A filter costs the work of its conditions (FilterInputs.CostOf), once per time the field runs.
        var filter = context.Arguments?.TryGetValue("where", out var where) == true ? FilterInputs.CostOf(where.Value) : 0;
        if (!IsList(context.FieldDefinition.ResolvedType))
        {
            return new(1 + filter, 1);
        }

        var size = PageSize(context)
            ?? (context.Arguments?.TryGetValue("ids", out var ids) == true && ids.Value is ICollection list ? list.Count : (int?)null)
            ?? (context.Parent is { } parent && !IsList(parent.FieldDefinition.ResolvedType) ? PageSize(parent) : null)
            ?? ListSizeEstimate;
        return new(1 + filter, size);
    }

    // A connection's or list's page: its first or last argument, else the largest page when it takes one.
    private static int? PageSize(FieldImpactContext context)
    {
        foreach (var name in (string[])["first", "last"])
        {
            if (context.Arguments?.TryGetValue(name, out var argument) == true && argument.Value is int size)
            {
                return Math.Clamp(size, 0, ResolveContextExtensions.MaxPageSize);
            }
        }

        return context.FieldDefinition.Arguments?.Find("first") is null ? null : ResolveContextExtensions.MaxPageSize;
    }

    private static bool IsList(IGraphType? type) =>
        (type is NonNullGraphType nonNull ? nonNull.ResolvedType : type) is ListGraphType;
}
