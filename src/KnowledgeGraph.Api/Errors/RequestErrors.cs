using System.Net;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace KnowledgeGraph.Api.Errors;

/// <summary>A request refused before GraphQL.NET runs it (by a transport or the pipeline), with the HTTP status it earns.</summary>
public sealed class GraphQLRequestError : ExecutionError, IHasPreferredStatusCode
{
    public GraphQLRequestError(HttpStatusCode statusCode, string code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public GraphQLRequestError()
        : this(HttpStatusCode.BadRequest, ErrorCodes.BadRequest, "Bad request.")
    {
    }

    public GraphQLRequestError(string message)
        : this(HttpStatusCode.BadRequest, ErrorCodes.BadRequest, message)
    {
    }

    public GraphQLRequestError(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.BadRequest;
        Code = ErrorCodes.BadRequest;
    }

    public HttpStatusCode StatusCode { get; }

    public int PreferredStatusCode => (int)StatusCode;
}

/// <summary>Reported by <c>GetOnlyRunsQueriesRule</c>: GET is safe, so it may not run a mutation or subscription.</summary>
public sealed class GetMutationNotAllowedError : ValidationError, IHasPreferredStatusCode
{
    public int PreferredStatusCode => StatusCodes.Status405MethodNotAllowed;

    public GetMutationNotAllowedError(GraphQLDocument document, GraphQLOperationDefinition operation)
        : base(document.Source, null, $"Only query operations may be sent with GET; send this {Describe(operation)} with POST.", operation)
    {
        Code = ErrorCodes.MethodNotAllowed;
    }

    private static string Describe(GraphQLOperationDefinition operation)
        => operation.Operation == OperationType.Mutation ? "mutation" : "subscription";
}

/// <summary>Reported by <c>NoSubscriptionsOverHttpRule</c>: a subscription needs a connection that stays open.</summary>
public sealed class SubscriptionOverHttpError : ValidationError, IHasPreferredStatusCode
{
    public int PreferredStatusCode => StatusCodes.Status422UnprocessableEntity;

    public SubscriptionOverHttpError(GraphQLDocument document, GraphQLOperationDefinition operation)
        : base(document.Source, null, "Subscriptions are served over WebSocket at this same path, with the graphql-transport-ws protocol (the graphql-ws client); a POST runs queries and mutations.", operation)
    {
        Code = ErrorCodes.ValidationFailed;
    }
}
