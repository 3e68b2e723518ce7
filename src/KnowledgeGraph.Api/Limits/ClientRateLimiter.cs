using System.Net;
using System.Threading.RateLimiting;
using KnowledgeGraph.Security;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Limits;

/// <summary>
/// Who a request counts against: its client (the hash of its API key, or its address when it has none) and its
/// address. <see cref="Unlimited"/> is for what the limits do not cover (the IDE, health checks).
/// </summary>
public readonly record struct RateLimitedClient(string Client, string Address)
{
    public static readonly RateLimitedClient Unlimited = new(string.Empty, string.Empty);

    public bool IsLimited => Address.Length > 0;

    /// <summary>
    /// A request with <paramref name="apiKey"/> (valid or not: guesses count too) from <paramref name="address"/>.
    /// Behind a reverse proxy, configure forwarded headers so the address is the client's.
    /// </summary>
    public static RateLimitedClient Of(string? apiKey, IPAddress? address)
    {
        var from = "address:" + (address?.ToString() ?? "unknown");
        return new RateLimitedClient(apiKey is null ? from : "key:" + ApiKeySecrets.Hash(apiKey), from);
    }
}

/// <summary>
/// The one request budget of every client, whichever transport it comes by: a fixed window per client chained with a
/// wider one per address, so inventing keys gains nothing. HTTP requests and WebSocket handshakes take a permit each
/// through ASP.NET Core's rate limiter (<see cref="ForHttp"/>); each operation a WebSocket client starts takes one
/// through <see cref="TryAcquire"/>, so a long-lived socket is no way around the limits.
/// </summary>
public sealed class ClientRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<RateLimitedClient>? _limiter;

    public ClientRateLimiter(IOptions<LimitsOptions> limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var settings = limits.Value.RateLimit;
        Window = settings.Window;
        if (!settings.Enabled)
        {
            return;
        }

        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<RateLimitedClient, string>(client => client.IsLimited
                ? RateLimitPartition.GetFixedWindowLimiter(client.Client, _ => FixedWindow(settings.PermitLimit, settings.Window))
                : RateLimitPartition.GetNoLimiter(string.Empty)),
            PartitionedRateLimiter.Create<RateLimitedClient, string>(client => client.IsLimited
                ? RateLimitPartition.GetFixedWindowLimiter(client.Address, _ => FixedWindow(settings.AddressPermitLimit, settings.Window))
                : RateLimitPartition.GetNoLimiter(string.Empty)));
    }

    /// <summary>The window length: how long a refused client waits at most.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// The limiter for ASP.NET Core's middleware, over the same partitions; null when rate limiting is off. Disposing
    /// it leaves this limiter open.
    /// </summary>
    public PartitionedRateLimiter<TResource>? ForHttp<TResource>(Func<TResource, RateLimitedClient> clientOf) =>
        _limiter?.WithTranslatedKey(clientOf, leaveOpen: true);

    /// <summary>
    /// Takes one permit for <paramref name="client"/>; when refused, <paramref name="retryAfter"/> says how long to
    /// wait (whole seconds, at least one).
    /// </summary>
    public bool TryAcquire(RateLimitedClient client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_limiter is null)
        {
            return true;
        }

        using var lease = _limiter.AttemptAcquire(client);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = RetryAfter(lease);
        return false;
    }

    /// <summary>How long a refused lease says to wait, rounded up to whole seconds; the window when it does not say.</summary>
    public TimeSpan RetryAfter(RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var given) ? given : Window;
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
    }

    public void Dispose() => _limiter?.Dispose();

    private static FixedWindowRateLimiterOptions FixedWindow(int permits, TimeSpan window) => new()
    {
        PermitLimit = permits,
        Window = window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
