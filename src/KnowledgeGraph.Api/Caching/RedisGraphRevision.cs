using StackExchange.Redis;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// The graph revision shared by every API instance: one Redis key moved by <c>INCR</c>. A missing key (a new or
/// flushed server) starts from the clock, so a revision never comes back to a value some cache entry was made under.
/// Concurrent readers share one <c>GET</c> in flight, so the revision costs one round trip per burst of requests
/// rather than one per request; a bump by this instance starts a fresh read, so a writer reads its own write.
/// </summary>
public sealed class RedisGraphRevision(RedisConnection redis, TimeProvider clock) : IGraphRevision
{
    // Creates the key from the clock when it is missing, then increments it: one round trip, atomic.
    private const string BumpScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
        return redis.call('INCR', KEYS[1])
        """;

    private readonly RedisKey _key = redis.InstanceName + "graph-revision";
    private readonly Lock _gate = new();
    private Task<long>? _read;

    public async ValueTask<long> GetAsync(CancellationToken cancellationToken)
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

        return await read.WaitAsync(cancellationToken);
    }

    private async Task<long> ReadAsync()
    {
        var database = await redis.GetDatabaseAsync() ?? throw new GraphRevisionUnavailableException();
        try
        {
            var value = await database.StringGetAsync(_key);
            if (value.IsNull)
            {
                await database.StringSetAsync(_key, clock.GetUtcNow().ToUnixTimeMilliseconds(), when: When.NotExists);
                value = await database.StringGetAsync(_key);
            }

            redis.ReportSuccess();
            return (long)value;
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            redis.ReportFailure(exception);
            throw new GraphRevisionUnavailableException("The graph revision could not be read from Redis.", exception);
        }
    }

    public async Task<long> BumpAsync(CancellationToken cancellationToken)
    {
        var database = await redis.GetDatabaseAsync() ?? throw new GraphRevisionUnavailableException();
        try
        {
            var result = await database.ScriptEvaluateAsync(BumpScript, [_key], [clock.GetUtcNow().ToUnixTimeMilliseconds()]);
            lock (_gate)
            {
                _read = null;
            }

            redis.ReportSuccess();
            return (long)result;
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            redis.ReportFailure(exception);
            throw new GraphRevisionUnavailableException("The graph revision could not be moved in Redis.", exception);
        }
    }
}
