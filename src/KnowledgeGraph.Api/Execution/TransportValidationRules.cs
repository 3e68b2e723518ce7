using GraphQL.Validation;
using GraphQLParser.AST;
using KnowledgeGraph.Api.Errors;

namespace KnowledgeGraph.Api.Execution;

/// <summary>Added to the validation rules of GET requests only (GraphQL-over-HTTP: GET must not run mutations).</summary>
public sealed class GetOnlyRunsQueriesRule : ValidationRuleBase
{
    public static readonly GetOnlyRunsQueriesRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Operation.Operation != OperationType.Query)
        {
            context.ReportError(new GetMutationNotAllowedError(context.Document, context.Operation));
        }

        return default;
    }
}

/// <summary>Added to the validation rules of POST requests: a subscription over plain HTTP is refused (422), not left hanging.</summary>
public sealed class NoSubscriptionsOverHttpRule : ValidationRuleBase
{
    public static readonly NoSubscriptionsOverHttpRule Instance = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Operation.Operation == OperationType.Subscription)
        {
            context.ReportError(new SubscriptionOverHttpError(context.Document, context.Operation));
        }

        return default;
    }
}
