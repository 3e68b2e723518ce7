using System.Text.Json;
using System.Threading.Channels;
using KnowledgeGraph.Api.Caching;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KnowledgeGraph.Api.Live;

/// <summary>
/// Several API instances sharing one Redis: each write's changes go to this instance's subscribers at once and, in
/// the background, to a pub/sub channel every instance listens on (an instance ignores its own messages). Redis is
/// never on a write's path: while it is unreachable the changes reach only local subscribers, the outage is logged
/// once, and publishing resumes when Redis answers again (StackExchange.Redis re-subscribes by itself).
/// </summary>
public sealed partial class RedisGraphEventBus : BackgroundService, IGraphEventBus
{
    // Changes that could not wait are dropped oldest first: live updates are a notification, not a log.
    private const int OutboxCapacity = 10_000;

    private readonly RedisConnection _connection;
    private readonly GraphChangeHub _hub;
    private readonly ILogger<RedisGraphEventBus> _logger;
    private readonly RedisChannel _channel;
    private readonly string _channelName;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Channel<GraphChangeEnvelope> _outbox = Channel.CreateBounded<GraphChangeEnvelope>(
        new BoundedChannelOptions(OutboxCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private IConnectionMultiplexer? _redis;
    private int _unavailable;

    public RedisGraphEventBus(RedisConnection connection, GraphChangeHub hub, IOptions<LiveOptions> options, ILogger<RedisGraphEventBus> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _hub = hub;
        _logger = logger;
        _channelName = options.Value.RedisChannel;
        _channel = RedisChannel.Literal(_channelName);
    }

    /// <summary>Whether this instance is subscribed to the shared channel now.</summary>
    public bool IsSubscribed { get; private set; }

    /// <summary>Always: other instances' subscribers cannot be counted from here.</summary>
    public bool MayHaveSubscribers => true;

    public ValueTask PublishAsync(IReadOnlyList<GraphChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        _hub.Publish(changes);
        _outbox.Writer.TryWrite(new GraphChangeEnvelope(_instance, changes));
        return ValueTask.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The app's one connection (shared with the response cache); it never throws for an unreachable server.
            _redis = await _connection.GetMultiplexerAsync().WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var subscribing = SubscribeAsync(_redis, stoppingToken);
        try
        {
            await foreach (var envelope in _outbox.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(envelope);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }

        await subscribing;
    }

    private async Task SendAsync(GraphChangeEnvelope envelope)
    {
        if (_redis is not { IsConnected: true } redis)
        {
            // Without a connection StackExchange.Redis would hold the command until it times out; skip instead.
            MarkUnavailable(null);
            return;
        }

        try
        {
            var message = JsonSerializer.SerializeToUtf8Bytes(envelope, GraphChangeJsonContext.Default.GraphChangeEnvelope);
            await redis.GetSubscriber().PublishAsync(_channel, message);
            MarkAvailable();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            MarkUnavailable(exception);
        }
    }

    // Subscribes once Redis is reachable; after that StackExchange.Redis restores the subscription on every reconnect.
    private async Task SubscribeAsync(IConnectionMultiplexer redis, CancellationToken stoppingToken)
    {
        var subscriber = redis.GetSubscriber();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (redis.IsConnected)
            {
                try
                {
                    await subscriber.SubscribeAsync(_channel, (_, message) => OnMessage(message));
                    IsSubscribed = true;
                    Subscribed(_logger, _channelName);
                    return;
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    // Drop the half-made registration so a retry does not deliver every message twice.
                    await ForgetSubscriptionAsync(subscriber);
                    MarkUnavailable(exception);
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ForgetSubscriptionAsync(ISubscriber subscriber)
    {
        try
        {
            await subscriber.UnsubscribeAsync(_channel, null, CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Still unreachable: nothing was registered on the server either.
        }
    }

    private void OnMessage(RedisValue message)
    {
        GraphChangeEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize((byte[])message!, GraphChangeJsonContext.Default.GraphChangeEnvelope);
        }
        catch (JsonException exception)
        {
            UnreadableMessage(_logger, exception);
            return;
        }

        if (envelope is null || envelope.Instance == _instance)
        {
            return;
        }

        _hub.Publish(envelope.Changes);
    }

    private void MarkUnavailable(Exception? exception)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            RedisUnavailable(_logger, exception);
        }
    }

    private void MarkAvailable()
    {
        if (Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            RedisRecovered(_logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live updates: listening to the other API instances on Redis channel {Channel}")]
    private static partial void Subscribed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates: Redis is unavailable; changes reach only this instance's subscribers until it answers again")]
    private static partial void RedisUnavailable(ILogger logger, Exception? exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Live updates: Redis answers again; changes reach every instance")]
    private static partial void RedisRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live updates: a message on the Redis channel could not be read and was ignored")]
    private static partial void UnreadableMessage(ILogger logger, Exception exception);
}
