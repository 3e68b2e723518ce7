using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQL.Validation;
using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.PersistedOperations;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace KnowledgeGraph.Api.Http;

/// <summary>
/// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/): reads a request from a POST body or a GET
/// query string, runs it with GraphQL.NET and writes the response with the status code the spec recommends.
/// </summary>
/// <remarks>
/// Status codes (the same for every media type except where noted; see <see cref="StatusCodeOf"/>):
/// 200 data without errors; 294 data with errors (partial success; 200 when the client only accepts
/// application/json); 400 body or variables not JSON, document does not parse; 405 mutation over GET (with
/// <c>Allow: POST</c>); 406 Accept names no JSON type; 415 POST not application/json; 422 request not well-formed
/// (no query, variables not an object...), validation failed, operation not determined, variables not coercible;
/// 503 store unavailable before execution; 504 execution timed out; 500 anything else before execution. The limits
/// (Limits folder) add 400 for a possible CSRF and 413 for a body too large; 429 comes from the rate limiter.
/// Before execution, a persisted query's document is resolved (<see cref="PersistedQueryResolver"/>) and the response
/// cache consulted (<see cref="GraphQLResponseCache"/>); every answer says how in <c>X-Cache</c>.
/// </remarks>
public sealed partial class GraphQLHttpHandler(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLResponseCache responseCache,
    PersistedQueryResolver persistedQueries,
    ILogger<GraphQLHttpHandler> logger)
{
    /// <summary>The response header telling whether the cache served the response: HIT, MISS or BYPASS.</summary>
    public const string CacheHeader = "X-Cache";

    /// <summary>The partial-success status of GraphQL-over-HTTP (data and errors both present).</summary>
    public const int PartialSuccess = 294;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };
    private static readonly IValidationRule[] GetValidationRules = [.. DocumentValidator.CoreRules, GetOnlyRunsQueriesRule.Instance];

    private static readonly IValidationRule[] PostValidationRules = [.. DocumentValidator.CoreRules, NoSubscriptionsOverHttpRule.Instance];

    // A cached (already validated) document still needs the rule that depends on the operation chosen.
    private static readonly IValidationRule[] GetCachedDocumentValidationRules = [GetOnlyRunsQueriesRule.Instance];
    private static readonly IValidationRule[] PostCachedDocumentValidationRules = [NoSubscriptionsOverHttpRule.Instance];

    public async Task HandlePostAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers[CacheHeader] = "BYPASS";
        var mediaType = GraphQLMediaTypes.Negotiate(context.Request.Headers.Accept);
        if (mediaType == GraphQLResponseMediaType.NotAcceptable)
        {
            await WriteNotAcceptableAsync(context);
            return;
        }

        var (request, error) = await ReadPostAsync(context.Request, context.RequestAborted);
        await ExecuteAsync(context, mediaType, request, error, isGet: false);
    }

    public async Task HandleGetAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers[CacheHeader] = "BYPASS";
        var mediaType = GraphQLMediaTypes.Negotiate(context.Request.Headers.Accept);
        if (mediaType == GraphQLResponseMediaType.NotAcceptable)
        {
            await WriteNotAcceptableAsync(context);
            return;
        }

        var (request, error) = ReadGet(context.Request.Query);
        await ExecuteAsync(context, mediaType, request, error, isGet: true);
    }

    /// <summary>The HTTP status for a GraphQL.NET result (transport errors carry their own).</summary>
    public static int StatusCodeOf(ExecutionResult result, GraphQLResponseMediaType mediaType)
    {
        ArgumentNullException.ThrowIfNull(result);
        var errors = result.Errors ?? [];
        if (result.Executed)
        {
            // The data entry is present: the spec requires 2xx. 294 is only meaningful with the GraphQL media type.
            return errors.Count > 0 && mediaType == GraphQLResponseMediaType.GraphQLResponseJson ? PartialSuccess : StatusCodes.Status200OK;
        }

        if (errors.OfType<GraphQLHttpRequestError>().FirstOrDefault() is { } transport)
        {
            return (int)transport.StatusCode;
        }

        if (errors.Any(e => e is GetMutationNotAllowedError))
        {
            return StatusCodes.Status405MethodNotAllowed;
        }

        if (errors.OfType<Security.AuthorizationError>().FirstOrDefault() is { } authorization)
        {
            return authorization.StatusCode;
        }

        if (errors.Any(e => e is SyntaxError))
        {
            return StatusCodes.Status400BadRequest;
        }

        if (errors.Any(e => e is TimeoutError))
        {
            return StatusCodes.Status504GatewayTimeout;
        }

        if (errors.Count > 0 && errors.All(e => e is DocumentError or RequestError))
        {
            return StatusCodes.Status422UnprocessableEntity;
        }

        return errors.Any(e => GraphQLErrorInfoProvider.FindStoreUnavailable(e) is not null)
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status500InternalServerError;
    }

    private async Task ExecuteAsync(HttpContext context, GraphQLResponseMediaType mediaType, GraphQLRequest? request, GraphQLHttpRequestError? requestError, bool isGet)
    {
        var started = Stopwatch.GetTimestamp();
        var requestContext = new GraphRequestContext(GraphRequestContext.FromAcceptLanguage(context.Request.Headers.AcceptLanguage))
        {
            // Part of the response-cache key: callers of different roles never share a cached response.
            Role = Security.Caller.RoleOf(context.User)?.ToString() ?? GraphRequestContext.AnonymousRole,
        };
        var lookup = default(ResponseCacheLookup);
        ExecutionResult result;
        if (request is not null)
        {
            var resolved = await persistedQueries.ResolveAsync(request, context.RequestAborted);
            request = resolved.Request;
            requestError = resolved.Error;
        }

        if (request is null)
        {
            result = new ExecutionResult(requestError!);
        }
        else
        {
            lookup = await responseCache.LookupAsync(request, mediaType, requestContext, context.RequestAborted);
            if (lookup is { Outcome: CacheOutcome.Hit, Body: { } cached })
            {
                WriteHeaders(context.Response, StatusCodes.Status200OK, mediaType, CacheOutcome.Hit);
                await context.Response.Body.WriteAsync(cached, context.RequestAborted);
                LogAnswered(lookup, StatusCodes.Status200OK, CacheOutcome.Hit, started);
                return;
            }

            var options = new ExecutionOptions
            {
                Query = request.Query,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                RequestServices = context.RequestServices,
                User = context.User,
                CancellationToken = context.RequestAborted,
                UserContext = requestContext,
                UnhandledExceptionDelegate = context => ResolverErrorLogging.LogAsync(logger, context, "HTTP"),
            };
            options.ValidationRules = isGet ? GetValidationRules : PostValidationRules;
            options.CachedDocumentValidationRules = isGet ? GetCachedDocumentValidationRules : PostCachedDocumentValidationRules;

            try
            {
                result = await executer.ExecuteAsync(options);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client has gone; nobody reads the answer.
                return;
            }

            // GraphQL.NET marks a result executed once it passes validation, even when the operation type is
            // missing from the schema and no data was produced; that is a request error, answered without data.
            if (result.Executed && result.Data is null && result.Errors is { Count: > 0 } errors && errors.All(e => e is DocumentError))
            {
                result.Executed = false;
            }
        }

        var status = StatusCodeOf(result, mediaType);
        var outcome = CacheOutcome.Bypass;
        if (lookup.Outcome == CacheOutcome.Miss && status == StatusCodes.Status200OK && result is { Executed: true, Errors: null or { Count: 0 } })
        {
            // Serialised once, then both stored and sent.
            using var buffer = new MemoryStream();
            await serializer.WriteAsync(buffer, result, context.RequestAborted);
            var body = buffer.ToArray();
            outcome = await responseCache.StoreAsync(lookup, body, context.RequestAborted) ? CacheOutcome.Miss : CacheOutcome.Bypass;
            WriteHeaders(context.Response, status, mediaType, outcome);
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
        else
        {
            WriteHeaders(context.Response, status, mediaType, outcome);
            if (!result.Executed)
            {
                // A request error, including PERSISTED_QUERY_NOT_FOUND's 200: never kept by an intermediary.
                context.Response.Headers.CacheControl = "no-store";
            }

            await serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
        }

        LogAnswered(lookup, status, outcome, started);
    }

    private static void WriteHeaders(HttpResponse response, int status, GraphQLResponseMediaType mediaType, CacheOutcome outcome)
    {
        response.StatusCode = status;
        response.Headers.Vary = "Accept, Accept-Language";
        response.Headers[CacheHeader] = GraphQLResponseCache.HeaderValue(outcome);
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers.Allow = "POST";
        }

        if (status >= 400)
        {
            response.Headers.CacheControl = "no-store";
        }

        // Spec: a legacy client (application/json only) gets application/json on 2xx answers; error statuses keep the
        // GraphQL type, which tells it the body is a GraphQL response and not an intermediary's error page.
        response.ContentType = mediaType == GraphQLResponseMediaType.Json && status is >= 200 and < 300
            ? GraphQLMediaTypes.JsonUtf8
            : GraphQLMediaTypes.GraphQLResponseJsonUtf8;
    }

    // One line per request: the operation and how it was answered; never the document, variables or keys.
    private void LogAnswered(ResponseCacheLookup lookup, int status, CacheOutcome outcome, long started)
    {
        var cacheResult = GraphQLResponseCache.HeaderValue(outcome);
        Telemetry.KnowledgeGraphTelemetry.RecordCacheRequest(cacheResult);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var operation = lookup.Operation;
            var name = operation?.Name ?? "(anonymous)";
            var type = operation?.Type.ToString().ToLowerInvariant() ?? "(unknown)";
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            GraphQLRequestAnswered(logger, name, type, status, cacheResult, elapsed);
        }
    }

    private async Task WriteNotAcceptableAsync(HttpContext context)
    {
        var error = new GraphQLHttpRequestError(
            HttpStatusCode.NotAcceptable,
            GraphQLErrorCodes.NotAcceptable,
            $"The Accept header must allow {GraphQLMediaTypes.GraphQLResponseJson} or {GraphQLMediaTypes.Json}.");
        context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
        context.Response.Headers.Vary = "Accept, Accept-Language";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = GraphQLMediaTypes.GraphQLResponseJsonUtf8;
        await serializer.WriteAsync(context.Response.Body, new ExecutionResult(error), context.RequestAborted);
    }

    private async Task<(GraphQLRequest? Request, GraphQLHttpRequestError? Error)> ReadPostAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (GraphQLRequestGuard.RejectCrossSiteForgery(request) is { } forgery)
        {
            return (null, forgery);
        }

        if (!IsJsonUtf8(request.ContentType))
        {
            return (null, new GraphQLHttpRequestError(
                HttpStatusCode.UnsupportedMediaType,
                GraphQLErrorCodes.UnsupportedMediaType,
                $"POST requests must have Content-Type: {GraphQLMediaTypes.Json} (UTF-8); got '{request.ContentType}'."));
        }

        var maxBytes = request.HttpContext.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxRequestBytes;
        var (bytes, tooLarge) = await GraphQLRequestGuard.ReadBodyAsync(request, maxBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, JsonOptions);
        }
        catch (JsonException ex)
        {
            return (null, InvalidJson($"The request body is not valid JSON: {ex.Message}"));
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return (null, NotWellFormed(body.ValueKind == JsonValueKind.Array
                    ? "Batched requests (a JSON array) are not supported; send one request object per POST."
                    : "The request body must be a JSON object with a 'query' string."));
            }

            var (extensions, extensionsError) = ReadMapProperty(body, "extensions");
            if (extensionsError is not null)
            {
                return (null, extensionsError);
            }

            var query = body.TryGetProperty("query", out var q) ? q : default;
            if (query.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                || (query.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(query.GetString())))
            {
                // A persisted query's document comes from its hash.
                if (!PersistedQueryResolver.HasPersistedQuery(extensions))
                {
                    return (null, MissingQuery());
                }

                query = default;
            }
            else if (query.ValueKind != JsonValueKind.String)
            {
                return (null, NotWellFormed("'query' must be a string."));
            }

            string? operationName = null;
            if (body.TryGetProperty("operationName", out var name) && name.ValueKind != JsonValueKind.Null)
            {
                if (name.ValueKind != JsonValueKind.String)
                {
                    return (null, NotWellFormed("'operationName' must be a string or null."));
                }

                operationName = name.GetString() is { Length: > 0 } given ? given : null;
            }

            var (variables, variablesError) = ReadMapProperty(body, "variables");
            if (variablesError is not null)
            {
                return (null, variablesError);
            }

            return (new GraphQLRequest { Query = query.ValueKind == JsonValueKind.String ? query.GetString() : null, OperationName = operationName, Variables = variables, Extensions = extensions }, null);
        }
    }

    private (GraphQLRequest? Request, GraphQLHttpRequestError? Error) ReadGet(IQueryCollection parameters)
    {
        foreach (var parameter in (string[])["query", "operationName", "variables", "extensions"])
        {
            if (parameters[parameter].Count > 1)
            {
                return (null, NotWellFormed($"The '{parameter}' parameter may appear only once."));
            }
        }

        var (extensions, extensionsError) = ReadMapParameter(parameters["extensions"].ToString(), "extensions");
        if (extensionsError is not null)
        {
            return (null, extensionsError);
        }

        // Per the spec, an empty optional parameter is the same as an absent one. A persisted query's document
        // comes from its hash.
        var query = parameters["query"].ToString();
        if (string.IsNullOrWhiteSpace(query) && !PersistedQueryResolver.HasPersistedQuery(extensions))
        {
            return (null, MissingQuery());
        }

        var operationName = parameters["operationName"].ToString();
        var (variables, variablesError) = ReadMapParameter(parameters["variables"].ToString(), "variables");
        if (variablesError is not null)
        {
            return (null, variablesError);
        }

        return (new GraphQLRequest { Query = string.IsNullOrWhiteSpace(query) ? null : query, OperationName = operationName.Length > 0 ? operationName : null, Variables = variables, Extensions = extensions }, null);
    }

    private (Inputs? Map, GraphQLHttpRequestError? Error) ReadMapParameter(string text, string parameter)
    {
        if (text.Length == 0)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text, JsonOptions);
            return document.RootElement.ValueKind == JsonValueKind.Null
                ? (null, null)
                : ReadMap(document.RootElement, parameter);
        }
        catch (JsonException ex)
        {
            return (null, InvalidJson($"The '{parameter}' parameter is not valid JSON: {ex.Message}"));
        }
    }

    private (Inputs? Map, GraphQLHttpRequestError? Error) ReadMapProperty(JsonElement body, string property)
    {
        if (!body.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return ReadMap(value, property);
    }

    private (Inputs? Map, GraphQLHttpRequestError? Error) ReadMap(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return (null, NotWellFormed($"'{name}' must be a JSON object (a map of names to values); got {value.ValueKind.ToString().ToUpperInvariant()}."));
        }

        return (serializer.ReadNode<Inputs>(value) ?? Inputs.Empty, null);
    }

    private static bool IsJsonUtf8(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || !parsed.MediaType.Equals(GraphQLMediaTypes.Json, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Spec: an officially recognised type without a charset is UTF-8.
        return !parsed.Charset.HasValue
            || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || parsed.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    private static GraphQLHttpRequestError InvalidJson(string message)
        => new(HttpStatusCode.BadRequest, GraphQLErrorCodes.InvalidJson, message);

    private static GraphQLHttpRequestError MissingQuery()
        => new(HttpStatusCode.UnprocessableEntity, GraphQLErrorCodes.MissingQuery, "The request has no 'query' (the GraphQL document to run).");

    private static GraphQLHttpRequestError NotWellFormed(string message)
        => new(HttpStatusCode.UnprocessableEntity, GraphQLErrorCodes.BadRequest, message);

    [LoggerMessage(Level = LogLevel.Information, Message = "GraphQL {OperationName} ({OperationType}) answered {StatusCode} in {ElapsedMs:0.000} ms, cache {CacheResult}")]
    private static partial void GraphQLRequestAnswered(ILogger logger, string operationName, string operationType, int statusCode, string cacheResult, double elapsedMs);


}
