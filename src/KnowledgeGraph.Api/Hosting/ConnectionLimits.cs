using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Hosting;

/// <summary>
/// The <c>Connections</c> configuration section: Kestrel's connection table and timeouts, set on purpose so that no
/// client (or crowd of idle sockets) can exhaust the process's descriptors.
/// </summary>
public sealed class ConnectionLimitsOptions
{
    public const string Section = "Connections";

    /// <summary>Open connections in all; past it Kestrel closes new ones at once. Well under the usual 1,024 descriptors.</summary>
    [Range(1, 1_000_000)]
    public int MaxTotal { get; set; } = 512;

    /// <summary>Open connections from one client address; past it a new one is answered 503 and closed.</summary>
    [Range(1, 1_000_000)]
    public int MaxPerAddress { get; set; } = 64;

    /// <summary>Connections upgraded to WebSocket, which count against <see cref="MaxTotal"/> as well.</summary>
    [Range(0, 1_000_000)]
    public int MaxUpgraded { get; set; } = 256;

    /// <summary>How long a connection may stay open with no request in progress.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a client has to send a request's headers once it has begun.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The slowest a request body may arrive, after a 5 s grace period; 0 turns the check off.</summary>
    [Range(0, 1_000_000_000)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;
}

/// <summary>
/// Kestrel has no limit per client address: this connection middleware keeps one. A connection past the limit gets a
/// minimal HTTP/1.1 503 with <c>Retry-After</c> and is closed before any request is read, so it costs its descriptor
/// for a moment only; the count goes down as connections close, and service resumes by itself.
/// </summary>
public sealed partial class PerAddressConnectionLimit(IOptions<ConnectionLimitsOptions> options, ILogger<PerAddressConnectionLimit> logger)
{
    private static readonly ReadOnlyMemory<byte> Refusal = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

    private readonly int _limit = options.Value.MaxPerAddress;
    private readonly Dictionary<IPAddress, int> _open = [];
    private readonly Lock _gate = new();
    private long _refused;

    /// <summary>Connections refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Open connections from <paramref name="address"/> now.</summary>
    public int OpenFrom(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            return _open.GetValueOrDefault(Normalize(address));
        }
    }

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (connection.RemoteEndPoint is not IPEndPoint { Address: var remote })
        {
            await next(connection);
            return;
        }

        var address = Normalize(remote);
        if (!TryEnter(address))
        {
            if (Interlocked.Increment(ref _refused) % 1000 == 1)
            {
                ConnectionRefused(logger, _limit);
            }

            await RefuseAsync(connection);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Leave(address);
        }
    };

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static async Task RefuseAsync(ConnectionContext connection)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await connection.Transport.Output.WriteAsync(Refusal, timeout.Token);
            await connection.Transport.Output.CompleteAsync();
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // The client went away or does not read: the connection closes all the same.
        }
    }

    private bool TryEnter(IPAddress address)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(address);
            if (open >= _limit)
            {
                return false;
            }

            _open[address] = open + 1;
            return true;
        }
    }

    private void Leave(IPAddress address)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(address) - 1;
            if (open <= 0)
            {
                _open.Remove(address);
            }
            else
            {
                _open[address] = open;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A connection was refused: its address already has {Limit} open (Connections:MaxPerAddress); logged once per 1000 refusals")]
    private static partial void ConnectionRefused(ILogger logger, int limit);
}

/// <summary>Applies <see cref="ConnectionLimitsOptions"/> to Kestrel and puts <see cref="PerAddressConnectionLimit"/> on every endpoint.</summary>
internal sealed class KestrelLimitsSetup(IOptions<ConnectionLimitsOptions> options, PerAddressConnectionLimit perAddress) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var limits = options.Value;
        kestrel.Limits.MaxConcurrentConnections = limits.MaxTotal;
        kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxUpgraded;
        kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.MinRequestBodyDataRate = limits.MinRequestBodyBytesPerSecond > 0
            ? new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5))
            : null;
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(perAddress.Wrap));
    }
}

public static class ConnectionLimitsRegistration
{
    /// <summary>Kestrel's connection limits and timeouts from the <c>Connections</c> section.</summary>
    public static IServiceCollection AddConnectionLimits(this IServiceCollection services)
    {
        services.AddOptions<ConnectionLimitsOptions>().BindConfiguration(ConnectionLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PerAddressConnectionLimit>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>();
        return services;
    }
}
