using StackExchange.Redis;

namespace KnowledgeGraph.Api.Caching;

// The background half: listens for bumps, and earns (and re-earns) the trust that lets reads stay in memory.
public sealed partial class RedisGraphRevision
{
    // A probe makes a loopback round trip through Redis; longer than this and the subscription counts as not live.
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    // How soon a failed attempt is retried: cheap (commands fail fast while disconnected), and it shortens the time
    // spent reading Redis on every request after start-up or an outage.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly string _instance = Guid.NewGuid().ToString("N");
    private bool _subscribed;
    private int _probes;
    private Probe? _probe;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IConnectionMultiplexer multiplexer;
        try
        {
            // The app's one connection; with abortConnect=false (the default here) it never throws for an unreachable server.
            multiplexer = await _redis.GetMultiplexerAsync().WaitAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or RedisException)
        {
            // Stopping, or Redis refused for good: every read keeps going to Redis.
            return;
        }

        // Messages may be missed while a connection is down, and a restored one may be to a restarted server.
        multiplexer.ConnectionFailed += OnConnectionChanged;
        multiplexer.ConnectionRestored += OnConnectionChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var confirmed = await ConfirmAsync(multiplexer, stoppingToken);
                if (!confirmed)
                {
                    // Nothing vouches for the value in memory any more (it may have been trusted until now).
                    Distrust(wake: false);
                }

                await WaitAsync(confirmed ? _refresh : Min(_refresh, RetryDelay), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
        finally
        {
            multiplexer.ConnectionFailed -= OnConnectionChanged;
            multiplexer.ConnectionRestored -= OnConnectionChanged;
        }
    }

    /// <summary>
    /// Subscribes if needed, proves the subscription live by hearing its own probe through it, then reads the key. A
    /// bump after that read is announced to a live subscription, so the value stays right in memory from then on,
    /// unless a connection event came in between (the epoch moved).
    /// </summary>
    private async Task<bool> ConfirmAsync(IConnectionMultiplexer multiplexer, CancellationToken stoppingToken)
    {
        int epoch;
        lock (_gate)
        {
            epoch = _epoch;
        }

        var started = _clock.GetTimestamp();
        var subscriber = multiplexer.GetSubscriber();
        // The subscription has a connection of its own, which may come up after the one for commands.
        if (_redis.IsOpen || !multiplexer.IsConnected || !subscriber.IsConnected(_channel))
        {
            return false;
        }

        try
        {
            if (!_subscribed)
            {
                // Once subscribed, StackExchange.Redis subscribes again by itself after every reconnection.
                await subscriber.SubscribeAsync(_channel, OnMessage);
                _subscribed = true;
            }

            var probe = new Probe($"probe:{_instance}:{++_probes}");
            Volatile.Write(ref _probe, probe);
            await subscriber.PublishAsync(_channel, probe.Token);
            try
            {
                await probe.Heard.Task.WaitAsync(ProbeTimeout, _clock, stoppingToken);
            }
            catch (TimeoutException)
            {
                // Not heard: the subscription is not live (yet); not a failure of Redis's commands.
                return false;
            }

            await ReadAsync();
        }
        catch (GraphRevisionUnavailableException)
        {
            // The read failed, and said so to the circuit.
            return false;
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            // A subscription or probe that failed is this loop's business: it does not open the circuit, which would
            // make requests skip Redis (and the cache) for Redis:RetryAfter.
            if (!_subscribed)
            {
                // Drop the half-made registration so that a retry does not handle every message twice.
                await ForgetSubscriptionAsync(subscriber);
            }

            return false;
        }

        bool regained;
        lock (_gate)
        {
            if (_epoch != epoch)
            {
                return false;
            }

            // Two refresh periods, so that one late re-read does not send every request to Redis.
            regained = Volatile.Read(ref _trustedUntil) == 0;
            Volatile.Write(ref _trustedUntil, started + (long)(2 * _refresh.TotalSeconds * _clock.TimestampFrequency));
        }

        if (regained)
        {
            ServedLocally(_logger, _channelName, _refresh.TotalSeconds);
        }

        return true;
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        if (message.TryParse(out long announced))
        {
            Merge(announced);
            return;
        }

        // Anything else is a probe: ours, or another instance's (ignored).
        var probe = Volatile.Read(ref _probe);
        if (probe is not null && message == probe.Token)
        {
            probe.Heard.TrySetResult();
        }
    }

    private void OnConnectionChanged(object? sender, ConnectionFailedEventArgs e) => Distrust(wake: true);

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(delay);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The delay passed without a wake-up.
        }
    }

    private async Task ForgetSubscriptionAsync(ISubscriber subscriber)
    {
        try
        {
            await subscriber.UnsubscribeAsync(_channel, OnMessage, CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            // Still unreachable: nothing was registered on the server either.
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed record Probe(string Token)
    {
        public TaskCompletionSource Heard { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
