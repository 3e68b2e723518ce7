using Microsoft.Extensions.Caching.Distributed;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// The second-level cache (Redis) behind <see cref="RedisConnection"/>'s circuit: when Redis fails or the circuit
/// is open, a read is a miss and a write is dropped, immediately and without an exception, so the caches and the
/// requests behind it carry on from the store.
/// </summary>
internal sealed class CircuitBreakingDistributedCache(IDistributedCache inner, RedisConnection redis) : IDistributedCache
{
    public byte[]? Get(string key) => Guard(() => inner.Get(key));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GuardAsync(() => inner.GetAsync(key, token));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Guard(() =>
    {
        inner.Set(key, value, options);
        return true;
    });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => GuardAsync(async () =>
    {
        await inner.SetAsync(key, value, options, token);
        return true;
    });

    public void Refresh(string key) => Guard(() =>
    {
        inner.Refresh(key);
        return true;
    });

    public Task RefreshAsync(string key, CancellationToken token = default) => GuardAsync(async () =>
    {
        await inner.RefreshAsync(key, token);
        return true;
    });

    public void Remove(string key) => Guard(() =>
    {
        inner.Remove(key);
        return true;
    });

    public Task RemoveAsync(string key, CancellationToken token = default) => GuardAsync(async () =>
    {
        await inner.RemoveAsync(key, token);
        return true;
    });

    private T? Guard<T>(Func<T> call)
    {
        if (redis.IsOpen)
        {
            return default;
        }

        try
        {
            var result = call();
            redis.ReportSuccess();
            return result;
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            redis.ReportFailure(exception);
            return default;
        }
    }

    private async Task<T?> GuardAsync<T>(Func<Task<T>> call)
    {
        if (redis.IsOpen)
        {
            return default;
        }

        try
        {
            var result = await call();
            redis.ReportSuccess();
            return result;
        }
        catch (Exception exception) when (RedisConnection.IsRedisFailure(exception))
        {
            redis.ReportFailure(exception);
            return default;
        }
    }
}
