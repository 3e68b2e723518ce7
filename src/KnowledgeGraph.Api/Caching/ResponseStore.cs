using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// The two levels the response cache keeps bodies in: a memory cache with a byte budget
/// (<see cref="CacheOptions.MemoryBytes"/>; each entry counts its body and key), and Redis behind it when configured.
/// Once the budget is full a new entry is not kept in memory and the least recently used ones are evicted, so no
/// sequence of distinct queries can grow the process past it.
/// </summary>
public sealed class ResponseStore : IBoundedCache, IDisposable
{
    // What one entry costs beyond its body: the key string, the entry and the array headers.
    private const int EntryOverheadBytes = 256;

    private readonly MemoryCache _memory;
    private readonly IDistributedCache? _distributed;
    private readonly TimeSpan _ttl;
    private readonly long _budget;

    public ResponseStore(CacheOptions options, IDistributedCache? distributed)
    {
        ArgumentNullException.ThrowIfNull(options);
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.MemoryBytes, CompactionPercentage = 0.25, TrackStatistics = true });
        _distributed = distributed;
        _ttl = options.Ttl;
        _budget = options.MemoryBytes;
    }

    public string CacheName => "responses";

    public long BudgetBytes => _budget;

    /// <summary>The bytes the in-memory level holds now (bodies and overheads), never above its budget.</summary>
    public long MemoryBytes => _memory.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>The body cached under <paramref name="key"/>, from memory or else from Redis (then kept in memory); null when absent.</summary>
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (_memory.TryGetValue(key, out byte[]? body) && body is not null)
        {
            return body;
        }

        if (_distributed is null)
        {
            return null;
        }

        body = await _distributed.GetAsync(key, cancellationToken);
        if (body is { Length: > 0 })
        {
            // The entry lives on in Redis for its own time; in memory at most as long again, which is harmless: the
            // key carries the revision, so a copy is never staler than its original.
            Remember(key, body);
            return body;
        }

        return null;
    }

    public async ValueTask SetAsync(string key, byte[] body, CancellationToken cancellationToken)
    {
        Remember(key, body);
        if (_distributed is not null)
        {
            await _distributed.SetAsync(key, body, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = _ttl }, cancellationToken);
        }
    }

    public void Dispose() => _memory.Dispose();

    private void Remember(string key, byte[] body)
    {
        var size = body.Length + (key.Length * 2L) + EntryOverheadBytes;
        if (MemoryBytes + size > _budget)
        {
            // MemoryCache refuses an entry that does not fit and compacts later, in the background: make room now, the
            // least recently used first, so the newest answer is the one kept.
            _memory.Compact(0.25);
        }

        _memory.Set(key, body, new MemoryCacheEntryOptions { Size = size, AbsoluteExpirationRelativeToNow = _ttl });
    }
}
