using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using GraphQL;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Limits;

/// <summary>
/// Rate limits on the GraphQL endpoints, with ASP.NET Core's rate limiter: a fixed window per client (its API key
/// when it sends one, else its address) chained with a wider one per address, so that inventing keys gains nothing.
/// Refusals are 429 with <c>Retry-After</c> and a GraphQL error body (<c>RATE_LIMITED</c>).
/// </summary>
internal static class GraphQLRateLimiting
{
    // The transport's endpoints (see GraphQLHttpEndpoints); the IDE's page and assets are not limited.
    private static readonly string[] LimitedEndpoints = ["GraphQLPost", "GraphQLGet"];

    /// <summary>
    /// The partition of a request that carries an API key: the key's hash (as the key store keeps it), read the way
    /// authentication reads it. The limiter runs before the key gate, so guessing keys is limited too: an invalid key
    /// gets a partition of its own but still counts against its address's wider window.
    /// </summary>
    public static string? ClientKeyOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApiKeyAuthenticationHandler.ReadKey(context.Request) is { } key ? "key:" + ApiKeySecrets.Hash(key) : null;
    }

    /// <summary>The client's address; behind a reverse proxy, configure forwarded headers so this is the client's.</summary>
    public static string AddressOf(HttpContext context) =>
        "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    public static void Configure(RateLimiterOptions options, LimitsOptions limits)
    {
        var settings = limits.RateLimit;
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, cancellationToken) => WriteRejectionAsync(context, settings.Window, cancellationToken);
        if (!settings.Enabled)
        {
            return;
        }

        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context => IsLimited(context)
                ? RateLimitPartition.GetFixedWindowLimiter(ClientKeyOf(context) ?? AddressOf(context), _ => Window(settings.PermitLimit, settings.Window))
                : RateLimitPartition.GetNoLimiter(string.Empty)),
            PartitionedRateLimiter.Create<HttpContext, string>(context => IsLimited(context)
                ? RateLimitPartition.GetFixedWindowLimiter(AddressOf(context), _ => Window(settings.AddressPermitLimit, settings.Window))
                : RateLimitPartition.GetNoLimiter(string.Empty)));
    }

    private static bool IsLimited(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name && LimitedEndpoints.Contains(name);

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask WriteRejectionAsync(OnRejectedContext context, TimeSpan window, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var response = context.HttpContext.Response;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        response.ContentType = GraphQLMediaTypes.GraphQLResponseJsonUtf8;
        var error = new GraphQLHttpRequestError(
            HttpStatusCode.TooManyRequests,
            GraphQLErrorCodes.RateLimited,
            $"Too many requests; retry after {seconds} seconds.");
        var serializer = context.HttpContext.RequestServices.GetRequiredService<IGraphQLTextSerializer>();
        await serializer.WriteAsync(response.Body, new ExecutionResult(error), cancellationToken);
    }
}
