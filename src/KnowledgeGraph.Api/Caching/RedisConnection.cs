using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// The one Redis connection of the app, shared by the second-level cache and the graph revision, with a circuit:
/// after a failure Redis is skipped for <see cref="RedisOptions.RetryAfter"/>, so an outage costs each request
/// nothing once noticed. The outage is logged once, and so is the recovery.
/// </summary>
public sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _retryAfter;
    private readonly ILogger<RedisConnection> _logger;
    private long _closedAfterTicks;
    private int _down;

    public RedisConnection(IOptions<RedisOptions> options, TimeProvider clock, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = options.Value.Configuration
            ?? throw new InvalidOperationException("Redis:Configuration is not set.");
        _clock = clock;
        _retryAfter = options.Value.RetryAfter;
        _logger = logger;
        InstanceName = options.Value.InstanceName;
        _multiplexer = new(() => ConnectAsync(configuration));
    }

    /// <summary>The prefix of every key the app writes.</summary>
    public string InstanceName { get; }

    /// <summary>True while Redis is being skipped after a failure.</summary>
    public bool IsOpen => _clock.GetUtcNow().UtcTicks < Volatile.Read(ref _closedAfterTicks);

    /// <summary>The StackExchange.Redis options the app uses: short timeouts unless the configuration string sets them.</summary>
    public static ConfigurationOptions ParseConfiguration(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = Has(configuration, "abortConnect") && options.AbortOnConnectFail;
        if (!Has(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = 500;
        }

        if (!Has(configuration, "syncTimeout"))
        {
            options.SyncTimeout = 500;
        }

        if (!Has(configuration, "asyncTimeout"))
        {
            options.AsyncTimeout = 500;
        }

        // While disconnected, fail at once rather than queue commands until the timeout: the store answers instead.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;

        static bool Has(string configuration, string key) => configuration.Contains(key + "=", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The multiplexer (it reconnects by itself); <c>null</c> while the circuit is open.</summary>
    public async ValueTask<IDatabase?> GetDatabaseAsync()
    {
        if (IsOpen)
        {
            return null;
        }

        try
        {
            return (await _multiplexer.Value).GetDatabase();
        }
        catch (RedisException exception)
        {
            ReportFailure(exception);
            return null;
        }
    }

    /// <summary>For <c>RedisCacheOptions.ConnectionMultiplexerFactory</c>: the same connection.</summary>
    public Task<IConnectionMultiplexer> GetMultiplexerAsync() => _multiplexer.Value;

    /// <summary>Opens the circuit; the first failure after a healthy period is logged, later ones are not.</summary>
    public void ReportFailure(Exception exception)
    {
        Volatile.Write(ref _closedAfterTicks, _clock.GetUtcNow().Add(_retryAfter).UtcTicks);
        if (Interlocked.Exchange(ref _down, 1) == 0)
        {
            RedisUnavailable(_logger, _retryAfter.TotalSeconds, exception.GetType().Name, exception.Message);
        }
    }

    /// <summary>Closes the circuit after a successful call; logs the recovery once.</summary>
    public void ReportSuccess()
    {
        if (Volatile.Read(ref _down) == 1 && Interlocked.Exchange(ref _down, 0) == 1)
        {
            RedisRecovered(_logger);
        }
    }

    /// <summary>Whether an exception means Redis failed (as opposed to a bug or a cancelled request).</summary>
    public static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException or System.Net.Sockets.SocketException;

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            try
            {
                await (await _multiplexer.Value).DisposeAsync();
            }
            catch (RedisException)
            {
                // Never connected: nothing to close.
            }
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration)
        => await ConnectionMultiplexer.ConnectAsync(ParseConfiguration(configuration));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unavailable ({ExceptionType}: {Reason}); responses are served from the store without the shared cache, retrying every {RetryAfterSeconds} s")]
    private static partial void RedisUnavailable(ILogger logger, double retryAfterSeconds, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is available again; the shared cache is back in use")]
    private static partial void RedisRecovered(ILogger logger);
}
