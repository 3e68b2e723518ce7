using System.Security.Claims;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQL.Validation;
using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.PersistedOperations;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.Execution;

/// <summary>How a request arrived; it decides only which operation types may run.</summary>
public enum GraphQLTransport
{
    /// <summary>HTTP POST: queries and mutations.</summary>
    Post,

    /// <summary>HTTP GET: queries only (it must be safe).</summary>
    Get,

    /// <summary>A <c>subscribe</c> message over WebSocket: every operation type.</summary>
    WebSocket,
}

/// <summary>One request as a transport read it, with who sent it.</summary>
/// <param name="Request">The request as read: <c>query</c> may be absent when a persisted query's hash stands for it.</param>
/// <param name="Transport">Which operation types may run.</param>
/// <param name="User">The caller, as the transport authenticated it.</param>
/// <param name="Language">The language <c>lang</c> arguments default to.</param>
/// <param name="MediaType">What the response will be encoded as (part of the response-cache key).</param>
/// <param name="RateLimit">
/// Who to charge one permit to, or <see cref="RateLimitedClient.Unlimited"/> when the transport's endpoint already
/// charged the request (HTTP, through the rate limiter on the route group).
/// </param>
/// <param name="Services">The request's (or the WebSocket operation's) service scope.</param>
public sealed record GraphQLPipelineRequest(
    GraphQLRequest Request,
    GraphQLTransport Transport,
    ClaimsPrincipal User,
    Language Language,
    GraphQLResponseMediaType MediaType,
    RateLimitedClient RateLimit,
    IServiceProvider Services);

/// <summary>
/// The answer of <see cref="GraphQLPipeline.ExecuteAsync"/>: a result to serialise, or the bytes of one already
/// serialised (a cache hit, or a miss just stored), and how the response cache took part.
/// </summary>
public sealed record GraphQLPipelineResult(ExecutionResult Result, byte[]? Body, CacheOutcome CacheOutcome, DocumentOperation? Operation);

/// <summary>
/// The one execution pipeline every transport calls: rate limit (for transports that charge per operation),
/// persisted and trusted documents, the request context, the response cache, and GraphQL.NET execution with the
/// validation rules of the transport (roles, limits and the document cache run inside it as execution hooks and
/// validation rules). Error shaping is GraphQL.NET's error info provider, so a transport only frames the result.
/// </summary>
public sealed class GraphQLPipeline(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLResponseCache responseCache,
    PersistedQueryResolver persistedQueries,
    ClientRateLimiter rateLimiter,
    ILogger<GraphQLPipeline> logger)
{
    private static readonly IValidationRule[] GetValidationRules = [.. DocumentValidator.CoreRules, GetOnlyRunsQueriesRule.Instance];
    private static readonly IValidationRule[] PostValidationRules = [.. DocumentValidator.CoreRules, NoSubscriptionsOverHttpRule.Instance];
    private static readonly IValidationRule[] WebSocketValidationRules = [.. DocumentValidator.CoreRules];

    // A cached (already validated) document still needs the rule that depends on the operation chosen.
    private static readonly IValidationRule[] GetCachedDocumentValidationRules = [GetOnlyRunsQueriesRule.Instance];
    private static readonly IValidationRule[] PostCachedDocumentValidationRules = [NoSubscriptionsOverHttpRule.Instance];

    /// <summary>
    /// Runs one request. Cancellation by <paramref name="cancellationToken"/> surfaces as
    /// <see cref="OperationCanceledException"/>: the client has gone and nobody reads an answer.
    /// </summary>
    public async Task<GraphQLPipelineResult> ExecuteAsync(GraphQLPipelineRequest pipelineRequest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pipelineRequest);
        if (pipelineRequest.RateLimit.IsLimited && !rateLimiter.TryAcquire(pipelineRequest.RateLimit, out var retryAfter))
        {
            return Refused(GraphQLRateLimiting.RateLimitedError(retryAfter));
        }

        var (request, refusal, register) = await persistedQueries.ResolveAsync(pipelineRequest.Request, cancellationToken);
        if (request is null)
        {
            return Refused(refusal!);
        }

        var requestContext = new GraphRequestContext(pipelineRequest.Language)
        {
            // Part of the response-cache key: callers of different roles never share a cached response.
            Role = Security.Caller.RoleOf(pipelineRequest.User)?.ToString() ?? GraphRequestContext.AnonymousRole,
        };

        var lookup = await responseCache.LookupAsync(request, pipelineRequest.MediaType, requestContext, cancellationToken);
        if (lookup is { Outcome: CacheOutcome.Hit, Body: { } cached })
        {
            // Cached, so a document with the same normalised text validated: a persisted query may be kept.
            await RegisterPersistedAsync(register, request, cancellationToken);
            return new GraphQLPipelineResult(new ExecutionResult { Executed = true }, cached, CacheOutcome.Hit, lookup.Operation);
        }

        var transport = pipelineRequest.Transport;
        var options = new ExecutionOptions
        {
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            RequestServices = pipelineRequest.Services,
            User = pipelineRequest.User,
            CancellationToken = cancellationToken,
            UserContext = requestContext,
            ValidationRules = transport switch
            {
                GraphQLTransport.Get => GetValidationRules,
                GraphQLTransport.Post => PostValidationRules,
                _ => WebSocketValidationRules,
            },
            CachedDocumentValidationRules = transport switch
            {
                GraphQLTransport.Get => GetCachedDocumentValidationRules,
                GraphQLTransport.Post => PostCachedDocumentValidationRules,
                _ => [],
            },
            UnhandledExceptionDelegate = context => ResolverErrorLogging.LogAsync(logger, context, transport.ToString()),
        };

        var result = await executer.ExecuteAsync(options);

        // GraphQL.NET marks a result executed once it passes validation, even when the operation type is missing
        // from the schema and no data was produced; that is a request error, answered without data.
        if (result.Executed && result.Data is null && result.Streams is null && result.Errors is { Count: > 0 } errors && errors.All(e => e is DocumentError))
        {
            result.Executed = false;
        }

        if (result.Executed)
        {
            // Parsed and validated with every limit: only now is a persisted query kept.
            await RegisterPersistedAsync(register, request, cancellationToken);
        }

        if (lookup.Outcome == CacheOutcome.Miss && result is { Executed: true, Errors: null or { Count: 0 } })
        {
            // Serialised once, then both stored and sent.
            using var buffer = new MemoryStream();
            await serializer.WriteAsync(buffer, result, cancellationToken);
            var body = buffer.ToArray();
            var stored = await responseCache.StoreAsync(lookup, body, cancellationToken);
            return new GraphQLPipelineResult(result, body, stored ? CacheOutcome.Miss : CacheOutcome.Bypass, lookup.Operation);
        }

        return new GraphQLPipelineResult(result, null, CacheOutcome.Bypass, lookup.Operation);
    }

    private ValueTask RegisterPersistedAsync(string? hash, GraphQLRequest request, CancellationToken cancellationToken) =>
        hash is null || request.Query is null ? ValueTask.CompletedTask : persistedQueries.RegisterAsync(hash, request.Query, cancellationToken);

    /// <summary>A request refused before execution, with the error that says why.</summary>
    public static GraphQLPipelineResult Refused(ExecutionError error) => new(new ExecutionResult(error), null, CacheOutcome.Bypass, null);
}
