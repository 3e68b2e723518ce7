using System.Threading.Channels;
using StackExchange.Redis;

namespace KnowledgeGraph.Api.Caching;

/// <summary>Tells other instances that a write moved the store's revision, so that they re-read it before their next lookup.</summary>
public interface IRevisionAnnouncer
{
    /// <summary>Announces <paramref name="revision"/> without waiting: a write never waits on the announcement.</summary>
    void Announce(long revision);
}

/// <summary>
/// Revision announcements over the Redis channel <c>&lt;Redis:InstanceName&gt;graph-revision</c>. Only an accelerator:
/// a lost, late or never-sent announcement costs at most <see cref="CacheOptions.RevisionRefresh"/> of staleness on
/// the other instances, since each one reads the store's revision again within that bound anyway. Sending happens in
/// the background from a one-slot outbox holding the highest revision not yet sent, so a hung or partitioned Redis
/// adds nothing to a write.
/// </summary>
public sealed partial class RedisRevisionAnnouncements(RedisConnection redis, StoreGraphRevision revision, ILogger<RedisRevisionAnnouncements> logger)
    : BackgroundService, IRevisionAnnouncer
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly RedisChannel _channel = RedisChannel.Literal(redis.InstanceName + "graph-revision");
    private readonly Channel<bool> _outbox = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _pending = long.MinValue;
    private long _sent = long.MinValue;
    private int _failing;

    public void Announce(long revision)
    {
        var current = Volatile.Read(ref _pending);
        while (revision > current)
        {
            var seen = Interlocked.CompareExchange(ref _pending, revision, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }

        _outbox.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IConnectionMultiplexer multiplexer;
        try
        {
            // With abortConnect=false (the default here) this never throws for an unreachable server.
            multiplexer = await redis.GetMultiplexerAsync().WaitAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is OperationCanceledException or RedisException)
        {
            // Stopping, or Redis refused for good: instances still re-read the store within the bound.
            return;
        }

        var subscribing = SubscribeAsync(multiplexer, stoppingToken);
        try
        {
            await foreach (var _ in _outbox.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(multiplexer, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }

        await subscribing;
    }

    private async Task SendAsync(IConnectionMultiplexer multiplexer, CancellationToken stoppingToken)
    {
        var value = Volatile.Read(ref _pending);
        if (value <= _sent)
        {
            return;
        }

        try
        {
            await multiplexer.GetSubscriber().PublishAsync(_channel, value).WaitAsync(stoppingToken);
            _sent = value;
            Interlocked.Exchange(ref _failing, 0);
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            // Dropped, not retried: the other instances' own re-reads of the store are the guarantee.
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                AnnouncementFailed(logger, exception);
            }
        }
    }

    private async Task SubscribeAsync(IConnectionMultiplexer multiplexer, CancellationToken stoppingToken)
    {
        var subscriber = multiplexer.GetSubscriber();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Once subscribed, StackExchange.Redis subscribes again by itself after every reconnection.
                await subscriber.SubscribeAsync(_channel, (_, message) =>
                {
                    if (message.TryParse(out long announced))
                    {
                        revision.OnAnnounced(announced);
                    }
                });

                // A write announced before the subscription took hold, or while the connection was down, was heard
                // by nobody here: the store is read again, so that what is cached is never older than the subscription.
                revision.ReadAgain();
                multiplexer.ConnectionRestored += (_, restored) =>
                {
                    if (restored.ConnectionType == ConnectionType.Subscription)
                    {
                        revision.ReadAgain();
                    }
                };
                return;
            }
            catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
            {
                try
                {
                    await subscriber.UnsubscribeAsync(_channel, null, CommandFlags.FireAndForget);
                }
                catch (Exception again) when (RedisConnection.IsRedisFailure(again))
                {
                    // Still unreachable: nothing was registered on the server either.
                }
            }

            try
            {
                await Task.Delay(RetryDelay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A graph revision could not be announced over Redis ; other instances re-read it from the store within Cache:RevisionRefresh")]
    private static partial void AnnouncementFailed(ILogger logger, Exception exception);
}
