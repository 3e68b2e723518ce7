using System.Globalization;
using System.Net;
using GraphQL;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace KnowledgeGraph.Api.Limits;

/// <summary>
/// Rate limits on the GraphQL endpoints, with ASP.NET Core's rate limiter over the <see cref="ClientRateLimiter"/>
/// budgets. Refusals are 429 with <c>Retry-After</c> and a GraphQL error body (<c>RATE_LIMITED</c>).
/// </summary>
public static class GraphQLRateLimiting
{
    /// <summary>
    /// Who an HTTP request counts against. The limiter runs before the key gate, so guessing keys is limited too: an
    /// invalid key gets a partition of its own but still counts against its address's wider window.
    /// </summary>
    public static RateLimitedClient ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return IsLimited(context)
            ? RateLimitedClient.Of(ApiKeyAuthentication.ReadKey(context.Request), context.Connection.RemoteIpAddress)
            : RateLimitedClient.Unlimited;
    }

    public static void Configure(RateLimiterOptions options, ClientRateLimiter limiter)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, cancellationToken) => WriteRejectionAsync(context, limiter, cancellationToken);
        options.GlobalLimiter = limiter.ForHttp<HttpContext>(ClientOf);
    }

    // Endpoints opt in on their route group (RequireClientRateLimit): the API's, not the IDE's page, the SDL or health.
    // A WebSocket handshake counts as one request, and each operation on the socket as one more (in the pipeline).
    private static bool IsLimited(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ClientRateLimitMetadata>() is not null;

    /// <summary>Requests to these endpoints draw on their client's budget (<see cref="ClientRateLimiter"/>).</summary>
    public static TBuilder RequireClientRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(ClientRateLimitMetadata.Instance);

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, ClientRateLimiter limiter, CancellationToken cancellationToken)
    {
        var retryAfter = limiter.RetryAfter(context.Lease);
        var response = context.HttpContext.Response;
        response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        response.ContentType = GraphQLMediaTypes.GraphQLResponseJsonUtf8;
        var error = RateLimitedError(retryAfter);
        var serializer = context.HttpContext.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        await serializer.WriteAsync(response.Body, new ExecutionResult(error), cancellationToken);
    }

    /// <summary>The error a refused request or operation gets, the same over both transports.</summary>
    public static GraphQLRequestError RateLimitedError(TimeSpan retryAfter)
    {
        var seconds = (int)retryAfter.TotalSeconds;
        var error = new GraphQLRequestError(HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited, $"Too many requests; retry after {seconds} seconds.");
        error.Extensions ??= new Dictionary<string, object?>();
        error.Extensions["retryAfter"] = seconds;
        return error;
    }
}

/// <summary>Marks an endpoint whose requests the rate limiter counts.</summary>
public sealed class ClientRateLimitMetadata
{
    public static readonly ClientRateLimitMetadata Instance = new();

    private ClientRateLimitMetadata()
    {
    }
}
