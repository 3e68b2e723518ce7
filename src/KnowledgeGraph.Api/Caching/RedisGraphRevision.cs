using System.Threading.Channels;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// The graph revision shared by every API instance: one Redis key moved by <c>INCR</c>, kept by each instance in
/// memory and learnt of over Redis pub/sub, so that in the steady state a cached request costs no Redis round trip.
/// </summary>
/// <remarks>
/// <para>
/// A bump increments the key and announces the new value on the channel of the same name in one script, so no bump
/// goes unannounced. The bumping instance takes the new value at once (a writer reads its own write); the others take
/// the larger of theirs and the announced one as soon as the message arrives.
/// </para>
/// <para>
/// The local value is trusted only once this instance has heard its own probe through its subscription and then read
/// the key: every later bump reaches it. A dropped or restored connection, a failed bump and a failed probe or read
/// withdraw that trust; the key is re-read every <see cref="CacheOptions.RevisionRefresh"/> as a safety net. Untrusted,
/// each read goes to Redis (concurrent readers sharing one <c>GET</c> in flight), and fails while Redis is down.
/// </para>
/// <para>
/// A missing key (a new or flushed server) starts from the clock in milliseconds, so the revision never comes back to
/// a value some cache entry was made under, and only grows, which is what lets an instance keep the larger value.
/// </para>
/// </remarks>
public sealed partial class RedisGraphRevision : BackgroundService, IGraphRevision
{
    // Creates the key from the clock when it is missing, increments it and announces the new value: atomic, one round trip.
    private const string BumpScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
        local revision = redis.call('INCR', KEYS[1])
        redis.call('PUBLISH', ARGV[2], revision)
        return revision
        """;

    private readonly RedisConnection _redis;
    private readonly TimeProvider _clock;
    private readonly ILogger<RedisGraphRevision> _logger;
    private readonly RedisKey _key;
    private readonly string _channelName;
    private readonly RedisChannel _channel;
    private readonly TimeSpan _refresh;
    private readonly Lock _gate = new();

    // Set when trust is withdrawn, so the background loop re-reads at once rather than at its next refresh.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private long _local;
    private long _trustedUntil;
    private int _epoch;
    private Task<long>? _read;

    public RedisGraphRevision(RedisConnection redis, TimeProvider clock, IOptions<CacheOptions> options, ILogger<RedisGraphRevision> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _clock = clock;
        _logger = logger;
        _refresh = options.Value.RevisionRefresh;
        _channelName = redis.InstanceName + "graph-revision";
        _key = _channelName;
        _channel = RedisChannel.Literal(_channelName);
    }

    /// <summary>Whether reads are answered from memory now; otherwise each one goes to Redis.</summary>
    public bool IsServedLocally => _clock.GetTimestamp() < Volatile.Read(ref _trustedUntil);

    public ValueTask<long> GetAsync(CancellationToken cancellationToken) =>
        IsServedLocally ? ValueTask.FromResult(Volatile.Read(ref _local)) : ReadSharedAsync(cancellationToken);

    public async Task<long> BumpAsync(CancellationToken cancellationToken)
    {
        var database = await _redis.GetDatabaseAsync();
        if (database is null)
        {
            // This instance's cached answers may now be stale: stop serving them from the local revision.
            Distrust(wake: true);
            throw new GraphRevisionUnavailableException();
        }

        try
        {
            var result = await database.ScriptEvaluateAsync(BumpScript, [_key], [_clock.GetUtcNow().ToUnixTimeMilliseconds(), _channelName]);
            _redis.ReportSuccess();
            return Merge((long)result);
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            _redis.ReportFailure(exception);
            Distrust(wake: true);
            throw new GraphRevisionUnavailableException("The graph revision could not be moved in Redis.", exception);
        }
    }

    private async ValueTask<long> ReadSharedAsync(CancellationToken cancellationToken)
    {
        Task<long> read;
        lock (_gate)
        {
            // A finished read is never reused: each new burst of requests asks Redis again.
            if (_read is null || _read.IsCompleted)
            {
                _read = ReadAsync();
            }

            read = _read;
        }

        await read.WaitAsync(cancellationToken);
        // Not the read's own result: a bump by this instance may have landed since it was sent.
        return Volatile.Read(ref _local);
    }

    private async Task<long> ReadAsync()
    {
        var database = await _redis.GetDatabaseAsync() ?? throw new GraphRevisionUnavailableException();
        try
        {
            var value = await database.StringGetAsync(_key);
            if (value.IsNull)
            {
                await database.StringSetAsync(_key, _clock.GetUtcNow().ToUnixTimeMilliseconds(), when: When.NotExists);
                value = await database.StringGetAsync(_key);
            }

            _redis.ReportSuccess();
            return Merge((long)value);
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            _redis.ReportFailure(exception);
            Distrust(wake: false);
            throw new GraphRevisionUnavailableException("The graph revision could not be read from Redis.", exception);
        }
    }

    // The revision only grows, and an announcement may arrive before the answer to a read sent earlier: keep the larger.
    private long Merge(long value)
    {
        var current = Volatile.Read(ref _local);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _local, value, current);
            if (seen == current)
            {
                return value;
            }

            current = seen;
        }

        return current;
    }

    private void Distrust(bool wake)
    {
        bool wasTrusted;
        lock (_gate)
        {
            _epoch++;
            wasTrusted = Volatile.Read(ref _trustedUntil) != 0;
            Volatile.Write(ref _trustedUntil, 0);
        }

        if (wasTrusted)
        {
            ServedFromRedis(_logger);
        }

        if (wake)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph revision: kept in memory, bumps heard on Redis channel {Channel}, re-read every {RefreshSeconds} s")]
    private static partial void ServedLocally(ILogger logger, string channel, double refreshSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph revision: read from Redis on every request until this instance has listened and re-read again")]
    private static partial void ServedFromRedis(ILogger logger);
}
