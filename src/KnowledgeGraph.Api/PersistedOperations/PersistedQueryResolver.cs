using System.Globalization;
using System.Net;
using System.Text;
using GraphQL;
using GraphQL.Transport;
using KnowledgeGraph.Api.Errors;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.PersistedOperations;

/// <summary>
/// Automatic persisted queries as Apollo and Hot Chocolate clients send them
/// (<c>extensions.persistedQuery = { version: 1, sha256Hash }</c>, on GET or POST), and trusted documents.
/// </summary>
/// <remarks>
/// A hash alone is looked up among the trusted documents, then among those clients registered; unknown, it is
/// answered with <c>PERSISTED_QUERY_NOT_FOUND</c> (status 200, as Apollo Server does, with <c>Cache-Control:
/// no-store</c>), and the client sends the hash with the query. That pair is checked (the hash must be the query's,
/// the query at most <see cref="PersistedOperationsOptions.MaxDocumentBytes"/>) and, once the query has parsed and
/// passed validation with every limit (<see cref="RegisterAsync"/>, called by the pipeline), kept in the
/// <see cref="PersistedQueryStore"/>, within its byte budget. A document that does not validate is never kept.
/// With <see cref="PersistedOperationsOptions.OnlyTrusted"/>, only trusted documents run.
/// </remarks>
public sealed class PersistedQueryResolver(TrustedDocuments trusted, PersistedQueryStore store, IOptions<PersistedOperationsOptions> options)
{
    private const string ExtensionName = "persistedQuery";

    private readonly PersistedOperationsOptions _options = options.Value;

    /// <summary>Whether a request's extensions name a persisted query (so a missing <c>query</c> is expected).</summary>
    public static bool HasPersistedQuery(Inputs? extensions) => extensions?.ContainsKey(ExtensionName) == true;

    /// <summary>
    /// The request with its document filled in, or the error that answers it; and, for a query sent with its hash to be
    /// registered, that hash: the caller registers it (<see cref="RegisterAsync"/>) only once the query has validated.
    /// </summary>
    public async ValueTask<(GraphQLRequest? Request, GraphQLRequestError? Error, string? Register)> ResolveAsync(GraphQLRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Extensions is null || !request.Extensions.TryGetValue(ExtensionName, out var extension))
        {
            return _options.OnlyTrusted && (request.Query is null || !trusted.Contains(TrustedDocuments.Hash(request.Query)))
                ? (null, NotTrusted(), null)
                : (request, null, null);
        }

        if (extension is not IDictionary<string, object?> persisted
            || !persisted.TryGetValue("version", out var version) || version is not IConvertible
            || Convert.ToInt64(version, CultureInfo.InvariantCulture) != 1)
        {
            return (null, new GraphQLRequestError(HttpStatusCode.BadRequest, ErrorCodes.PersistedQueryNotSupported,
                "Only extensions.persistedQuery version 1 (with sha256Hash) is supported."), null);
        }

        if (!persisted.TryGetValue("sha256Hash", out var given) || given is not string { Length: 64 } hash || !IsHex(hash))
        {
            return (null, new GraphQLRequestError(HttpStatusCode.BadRequest, ErrorCodes.BadRequest,
                "extensions.persistedQuery.sha256Hash must be the 64 hexadecimal digits of the query's SHA-256."), null);
        }

        hash = hash.ToLowerInvariant();
        if (request.Query is not null)
        {
            if (TrustedDocuments.Hash(request.Query) != hash)
            {
                return (null, new GraphQLRequestError(HttpStatusCode.BadRequest, ErrorCodes.PersistedQueryHashMismatch,
                    "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query."), null);
            }

            if (trusted.Contains(hash))
            {
                return (request, null, null);
            }

            if (_options.OnlyTrusted)
            {
                return (null, NotTrusted(), null);
            }

            var bytes = Encoding.UTF8.GetByteCount(request.Query);
            if (bytes > _options.MaxDocumentBytes)
            {
                return (null, new GraphQLRequestError(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PersistedQueryTooLarge,
                    $"A persisted query may hold at most {_options.MaxDocumentBytes} bytes; this one has {bytes}. Send it without extensions.persistedQuery."), null);
            }

            return (request, null, hash);
        }

        if (trusted.TryGet(hash, out var document))
        {
            return (WithQuery(request, document), null, null);
        }

        if (!_options.OnlyTrusted && await store.GetAsync(hash, cancellationToken) is { } registered)
        {
            return (WithQuery(request, registered), null, null);
        }

        // Apollo clients look for this message as well as the code.
        return (null, new GraphQLRequestError(HttpStatusCode.OK, ErrorCodes.PersistedQueryNotFound, "PersistedQueryNotFound"), null);
    }

    /// <summary>
    /// Keeps <paramref name="query"/> under <paramref name="hash"/> (as <see cref="ResolveAsync"/> named it): call only
    /// once the query has parsed and passed validation, limits included.
    /// </summary>
    public ValueTask RegisterAsync(string hash, string query, CancellationToken cancellationToken) => store.SetAsync(hash, query, cancellationToken);

    private static GraphQLRequestError NotTrusted() => new(HttpStatusCode.Forbidden, ErrorCodes.TrustedDocumentRequired,
        "Only trusted documents may run here: send the sha256Hash of one in extensions.persistedQuery.");

    private static GraphQLRequest WithQuery(GraphQLRequest request, string query) => new()
    {
        Query = query,
        OperationName = request.OperationName,
        Variables = request.Variables,
        Extensions = request.Extensions,
    };

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);
}
