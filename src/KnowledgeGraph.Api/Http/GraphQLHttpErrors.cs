using System.Net;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace KnowledgeGraph.Api.Http;

/// <summary>A request the transport rejects before GraphQL.NET sees it, with the HTTP status it earns.</summary>
public sealed class GraphQLHttpRequestError : ExecutionError
{
    public GraphQLHttpRequestError(HttpStatusCode statusCode, string code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public GraphQLHttpRequestError()
        : this(HttpStatusCode.BadRequest, GraphQLErrorCodes.BadRequest, "Bad request.")
    {
    }

    public GraphQLHttpRequestError(string message)
        : this(HttpStatusCode.BadRequest, GraphQLErrorCodes.BadRequest, message)
    {
    }

    public GraphQLHttpRequestError(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.BadRequest;
        Code = GraphQLErrorCodes.BadRequest;
    }

    public HttpStatusCode StatusCode { get; }
}

/// <summary>Reported by <see cref="GetOnlyRunsQueriesRule"/>: GET is safe, so it may not run a mutation or subscription.</summary>
public sealed class GetMutationNotAllowedError : ValidationError
{
    public GetMutationNotAllowedError(GraphQLDocument document, GraphQLOperationDefinition operation)
        : base(document.Source, null, $"Only query operations may be sent with GET; send this {Describe(operation)} with POST.", operation)
    {
        Code = GraphQLErrorCodes.MethodNotAllowed;
    }

    private static string Describe(GraphQLOperationDefinition operation)
        => operation.Operation == OperationType.Mutation ? "mutation" : "subscription";
}

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

/// <summary>Reported by <see cref="NoSubscriptionsOverHttpRule"/>: a subscription needs a connection that stays open.</summary>
public sealed class SubscriptionOverHttpError : ValidationError
{
    public SubscriptionOverHttpError(GraphQLDocument document, GraphQLOperationDefinition operation)
        : base(document.Source, null, "Subscriptions are served over WebSocket at this same path, with the graphql-transport-ws protocol (the graphql-ws client); a POST runs queries and mutations.", operation)
    {
        Code = GraphQLErrorCodes.ValidationFailed;
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
