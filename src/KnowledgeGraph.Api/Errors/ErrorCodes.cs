namespace KnowledgeGraph.Api.Errors;

/// <summary>
/// Every value of <c>errors[].extensions.code</c> (and of <c>code</c> in the problem answers of <c>/import</c> and
/// <c>/export</c>), defined here and nowhere else; a client may branch on them, so they never change meaning.
/// </summary>
public static partial class ErrorCodes
{
    /// <summary>The HTTP request is not a well-formed GraphQL-over-HTTP request (wrong shape or parameter type).</summary>
    public const string BadRequest = "BAD_REQUEST";

    /// <summary>The POST body, or a GET <c>variables</c>/<c>extensions</c> parameter, is not valid JSON.</summary>
    public const string InvalidJson = "INVALID_JSON";

    /// <summary>The request has no <c>query</c>, or it is empty.</summary>
    public const string MissingQuery = "MISSING_QUERY";

    /// <summary>The POST <c>Content-Type</c> is missing or is not <c>application/json</c> in UTF-8.</summary>
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";

    /// <summary>The <c>Accept</c> header names neither <c>application/graphql-response+json</c> nor <c>application/json</c>.</summary>
    public const string NotAcceptable = "NOT_ACCEPTABLE";

    /// <summary>A mutation (or subscription) was sent with GET; only POST may change state.</summary>
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    /// <summary>The document is not valid GraphQL syntax.</summary>
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";

    /// <summary>The document does not validate against the schema (unknown field, wrong literal, unsupported operation type...).</summary>
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";

    /// <summary>
    /// A variable value cannot be coerced to its declared type, or a required variable is missing; or an argument
    /// (of a field, of <c>/import</c> or <c>/export</c>) is out of range or malformed.
    /// </summary>
    public const string BadUserInput = "BAD_USER_INPUT";

    /// <summary>A key the request names does not exist.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>A field would have to read more of the graph than it is allowed to.</summary>
    public const string GraphTooLarge = "GRAPH_TOO_LARGE";

    /// <summary>The API key is not valid, or the request needs one and has none (401).</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";

    /// <summary>The key's role may not do this (403).</summary>
    public const string Forbidden = "FORBIDDEN";

    /// <summary>A write was refused; each error's <c>extensions.inputPath</c> names the bad input.</summary>
    public const string WriteValidationFailed = "WRITE_VALIDATION_FAILED";

    /// <summary>An import's content cannot be read at all; <c>extensions.inputPath</c> is <c>content</c>.</summary>
    public const string ImportUnreadable = "IMPORT_UNREADABLE";

    /// <summary>The <c>error</c> answering a WebSocket <c>subscribe</c> over <c>Live:MaxOperationsPerConnection</c>.</summary>
    public const string TooManyOperations = "TOO_MANY_OPERATIONS";

    /// <summary>The operation to run cannot be determined: unknown <c>operationName</c>, none given for several operations, or no operation.</summary>
    public const string OperationNotFound = "OPERATION_NOT_FOUND";

    /// <summary>A persisted query's hash is not known yet: send the hash with the query (Apollo's automatic persisted queries).</summary>
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";

    /// <summary><c>extensions.persistedQuery.sha256Hash</c> is not the SHA-256 of the <c>query</c> sent with it.</summary>
    public const string PersistedQueryHashMismatch = "PERSISTED_QUERY_HASH_MISMATCH";

    /// <summary><c>extensions.persistedQuery</c> has a version other than 1.</summary>
    public const string PersistedQueryNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";

    /// <summary>A query sent to be registered is over <c>PersistedOperations:MaxDocumentBytes</c> (413).</summary>
    public const string PersistedQueryTooLarge = "PERSISTED_QUERY_TOO_LARGE";

    /// <summary>The server runs only trusted documents (<c>PersistedOperations:OnlyTrusted</c>) and this is not one.</summary>
    public const string TrustedDocumentRequired = "TRUSTED_DOCUMENT_REQUIRED";

    /// <summary>The graph store cannot answer now; retrying later may succeed.</summary>
    public const string StoreUnavailable = "STORE_UNAVAILABLE";

    /// <summary>Anything else; details are shown only in the Development environment.</summary>
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";
}
