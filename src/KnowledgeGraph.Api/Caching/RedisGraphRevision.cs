using StackExchange.Redis;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// The graph revision shared by every API instance: one Redis key moved by <c>INCR</c>. A missing key (a new or
/// flushed server) starts from the clock, so a revision never comes back to a value some cache entry was made under.
/// </summary>
public sealed class RedisGraphRevision(RedisConnection redis, TimeProvider clock) : IGraphRevision
{
    // Creates the key from the clock when it is missing, then increments it: one round trip, atomic.
    private const string BumpScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end
        return redis.call('INCR', KEYS[1])
        """;

    private readonly RedisKey _key = redis.InstanceName + "graph-revision";

    public async ValueTask<long> GetAsync(CancellationToken cancellationToken)
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
