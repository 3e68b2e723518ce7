using System.Globalization;
using System.Net;
using GraphQL;
using GraphQL.Transport;
using KnowledgeGraph.Api.Errors;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.PersistedOperations;

/// <summary>
/// Automatic persisted queries as Apollo and Hot Chocolate clients send them
/// (<c>extensions.persistedQuery = { version: 1, sha256Hash }</c>, on GET or POST), and trusted documents.
/// </summary>
/// <remarks>
/// A hash alone is looked up among the trusted documents, then among those clients registered; unknown, it is
/// answered with <c>PERSISTED_QUERY_NOT_FOUND</c> (status 200, as Apollo Server does, with <c>Cache-Control:
/// no-store</c>), and the client sends the hash with the query. That pair is checked (the hash must be the query's)
/// and remembered in the distributed cache for <see cref="PersistedOperationsOptions.Ttl"/>.
/// With <see cref="PersistedOperationsOptions.OnlyTrusted"/>, only trusted documents run.
/// </remarks>
public sealed class PersistedQueryResolver(TrustedDocuments trusted, HybridCache cache, IOptions<PersistedOperationsOptions> options)
{
    private const string ExtensionName = "persistedQuery";
    private static readonly HybridCacheEntryOptions LookupOnly = new() { Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite | HybridCacheEntryFlags.DisableLocalCacheWrite };

    private readonly PersistedOperationsOptions _options = options.Value;
    private readonly HybridCacheEntryOptions _entryOptions = new() { Expiration = options.Value.Ttl, LocalCacheExpiration = options.Value.Ttl };

    /// <summary>Whether a request's extensions name a persisted query (so a missing <c>query</c> is expected).</summary>
    public static bool HasPersistedQuery(Inputs? extensions) => extensions?.ContainsKey(ExtensionName) == true;

    /// <summary>The request with its document filled in, or the error that answers it.</summary>
    public async ValueTask<(GraphQLRequest? Request, GraphQLRequestError? Error)> ResolveAsync(GraphQLRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Extensions is null || !request.Extensions.TryGetValue(ExtensionName, out var extension))
        {
            return _options.OnlyTrusted && (request.Query is null || !trusted.Contains(TrustedDocuments.Hash(request.Query)))
                ? (null, NotTrusted())
                : (request, null);
        }

        if (extension is not IDictionary<string, object?> persisted
            || !persisted.TryGetValue("version", out var version) || version is not IConvertible
            || Convert.ToInt64(version, CultureInfo.InvariantCulture) != 1)
        {
            return (null, new GraphQLRequestError(HttpStatusCode.BadRequest, ErrorCodes.PersistedQueryNotSupported,
                "Only extensions.persistedQuery version 1 (with sha256Hash) is supported."));
        }

        if (!persisted.TryGetValue("sha256Hash", out var given) || given is not string { Length: 64 } hash || !IsHex(hash))
        {
            return (null, new GraphQLRequestError(HttpStatusCode.BadRequest, ErrorCodes.BadRequest,
                "extensions.persistedQuery.sha256Hash must be the 64 hexadecimal digits of the query's SHA-256."));
        }

        hash = hash.ToLowerInvariant();
        if (request.Query is not null)
        {
            if (TrustedDocuments.Hash(request.Query) != hash)
            {
                return (null, new GraphQLRequestError(HttpStatusCode.BadRequest, ErrorCodes.PersistedQueryHashMismatch,
                    "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query."));
            }

            if (trusted.Contains(hash))
            {
                return (request, null);
            }

            if (_options.OnlyTrusted)
            {
                return (null, NotTrusted());
            }

            await cache.SetAsync(Key(hash), request.Query, _entryOptions, cancellationToken: cancellationToken);
            return (request, null);
        }

        if (trusted.TryGet(hash, out var document))
        {
            return (WithQuery(request, document), null);
        }

        if (!_options.OnlyTrusted)
        {
            var registered = await cache.GetOrCreateAsync(Key(hash), static _ => ValueTask.FromResult(""), LookupOnly, cancellationToken: cancellationToken);
            if (registered.Length > 0)
            {
                return (WithQuery(request, registered), null);
            }
        }

        // Apollo clients look for this message as well as the code.
        return (null, new GraphQLRequestError(HttpStatusCode.OK, ErrorCodes.PersistedQueryNotFound, "PersistedQueryNotFound"));
    }

    private static GraphQLRequestError NotTrusted() => new(HttpStatusCode.Forbidden, ErrorCodes.TrustedDocumentRequired,
        "Only trusted documents may run here: send the sha256Hash of one in extensions.persistedQuery.");

    private static GraphQLRequest WithQuery(GraphQLRequest request, string query) => new()
    {
        Query = query,
        OperationName = request.OperationName,
        Variables = request.Variables,
        Extensions = request.Extensions,
    };

    private static string Key(string hash) => "apq:" + hash;

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);
}
