namespace KnowledgeGraph.Api.Execution;

/// <summary>What a response is encoded as, chosen from the request's <c>Accept</c> header.</summary>
public enum GraphQLResponseMediaType
{
    /// <summary><c>application/graphql-response+json</c>: the spec's type, the default.</summary>
    GraphQLResponseJson,

    /// <summary><c>application/json</c>: for legacy clients that accept only it.</summary>
    Json,

    /// <summary>The client accepts neither; the answer is <c>406</c>.</summary>
    NotAcceptable,
}
