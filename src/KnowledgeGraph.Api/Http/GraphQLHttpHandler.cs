using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQL.Validation;
using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
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
/// Everything between reading and writing is <see cref="GraphQLPipeline"/>, the same for WebSocket operations: persisted
/// and trusted documents, the response cache (every answer says how in <c>X-Cache</c>), limits, roles and execution.
/// </remarks>
public sealed partial class GraphQLHttpHandler(
    GraphQLPipeline pipeline,
    GraphQLRequestReader reader,
    IGraphQLTextSerializer serializer,
    ILogger<GraphQLHttpHandler> logger)
{
    /// <summary>The response header telling whether the cache served the response: HIT, MISS or BYPASS.</summary>
    public const string CacheHeader = "X-Cache";

    /// <summary>The partial-success status of GraphQL-over-HTTP (data and errors both present).</summary>
    public const int PartialSuccess = 294;

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

        return ErrorStatus.OfRefusal(errors);
    }

    private async Task ExecuteAsync(HttpContext context, GraphQLResponseMediaType mediaType, GraphQLRequest? request, GraphQLRequestError? requestError, bool isGet)
    {
        var started = Stopwatch.GetTimestamp();
        GraphQLPipelineResult answer;
        if (request is null)
        {
            answer = GraphQLPipeline.Refused(requestError!);
        }
        else
        {
            try
            {
                answer = await pipeline.ExecuteAsync(
                    new GraphQLPipelineRequest(
                        request,
                        isGet ? GraphQLTransport.Get : GraphQLTransport.Post,
                        context.User,
                        GraphRequestContext.FromAcceptLanguage(context.Request.Headers.AcceptLanguage),
                        mediaType,
                        // Charged by the rate limiter on the endpoint, before the key gate.
                        RateLimitedClient.Unlimited,
                        context.RequestServices),
                    context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client has gone; nobody reads the answer.
                return;
            }
        }

        var result = answer.Result;
        var status = answer.CacheOutcome == CacheOutcome.Hit ? StatusCodes.Status200OK : StatusCodeOf(result, mediaType);
        WriteHeaders(context.Response, status, mediaType, answer.CacheOutcome);
        if (answer.Body is { } body)
        {
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
        else
        {
            if (!result.Executed)
            {
                // A request error, including PERSISTED_QUERY_NOT_FOUND's 200: never kept by an intermediary.
                context.Response.Headers.CacheControl = "no-store";
            }

            await WriteWithLengthAsync(context, result);
        }

        LogAnswered(answer.Operation, status, answer.CacheOutcome, started);
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
    private void LogAnswered(DocumentOperation? operation, int status, CacheOutcome outcome, long started)
    {
        var cacheResult = GraphQLResponseCache.HeaderValue(outcome);
        Telemetry.KnowledgeGraphTelemetry.RecordCacheRequest(cacheResult);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var name = operation?.Name ?? "(anonymous)";
            var type = operation?.Type.ToString().ToLowerInvariant() ?? "(unknown)";
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            GraphQLRequestAnswered(logger, name, type, status, cacheResult, elapsed);
        }
    }

    private async Task WriteNotAcceptableAsync(HttpContext context)
    {
        var error = new GraphQLRequestError(
            HttpStatusCode.NotAcceptable,
            ErrorCodes.NotAcceptable,
            $"The Accept header must allow {GraphQLMediaTypes.GraphQLResponseJson} or {GraphQLMediaTypes.Json}.");
        context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
        context.Response.Headers.Vary = "Accept, Accept-Language";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = GraphQLMediaTypes.GraphQLResponseJsonUtf8;
        await WriteWithLengthAsync(context, new ExecutionResult(error));
    }

    /// <summary>Serialises a result, then sends it with its <c>Content-Length</c> (see <see cref="PooledBufferStream"/>).</summary>
    private async Task WriteWithLengthAsync(HttpContext context, ExecutionResult result)
    {
        await using var buffer = new PooledBufferStream();
        await serializer.WriteAsync(buffer, result, context.RequestAborted);
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.Written, context.RequestAborted);
    }

    private async Task<(GraphQLRequest? Request, GraphQLRequestError? Error)> ReadPostAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (GraphQLRequestGuard.RejectCrossSiteForgery(request) is { } forgery)
        {
            return (null, forgery);
        }

        if (!IsJsonUtf8(request.ContentType))
        {
            return (null, new GraphQLRequestError(
                HttpStatusCode.UnsupportedMediaType,
                ErrorCodes.UnsupportedMediaType,
                $"POST requests must have Content-Type: {GraphQLMediaTypes.Json} (UTF-8); got '{request.ContentType}'."));
        }

        var maxBytes = request.HttpContext.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxRequestBytes;
        var (bytes, tooLarge) = await GraphQLRequestGuard.ReadBodyAsync(request, maxBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        var (document, invalid) = GraphQLRequestReader.Parse(bytes, "The request body");
        if (document is null)
        {
            return (null, invalid);
        }

        using (document)
        {
            return reader.ReadObject(document.RootElement);
        }
    }

    private (GraphQLRequest? Request, GraphQLRequestError? Error) ReadGet(IQueryCollection parameters)
    {
        foreach (var parameter in (string[])["query", "operationName", "variables", "extensions"])
        {
            if (parameters[parameter].Count > 1)
            {
                return (null, GraphQLRequestReader.NotWellFormed($"The '{parameter}' parameter may appear only once."));
            }
        }

        var (extensions, extensionsError) = reader.ReadMapText(parameters["extensions"].ToString(), "extensions");
        if (extensionsError is not null)
        {
            return (null, extensionsError);
        }

        // Per the spec, an empty optional parameter is the same as an absent one. A persisted query's document
        // comes from its hash.
        var query = parameters["query"].ToString();
        if (string.IsNullOrWhiteSpace(query) && !PersistedQueryResolver.HasPersistedQuery(extensions))
        {
            return (null, GraphQLRequestReader.MissingQuery());
        }

        var operationName = parameters["operationName"].ToString();
        var (variables, variablesError) = reader.ReadMapText(parameters["variables"].ToString(), "variables");
        if (variablesError is not null)
        {
            return (null, variablesError);
        }

        return (new GraphQLRequest { Query = string.IsNullOrWhiteSpace(query) ? null : query, OperationName = operationName.Length > 0 ? operationName : null, Variables = variables, Extensions = extensions }, null);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "GraphQL {OperationName} ({OperationType}) answered {StatusCode} in {ElapsedMs:0.000} ms, cache {CacheResult}")]
    private static partial void GraphQLRequestAnswered(ILogger logger, string operationName, string operationType, int statusCode, string cacheResult, double elapsedMs);


}
