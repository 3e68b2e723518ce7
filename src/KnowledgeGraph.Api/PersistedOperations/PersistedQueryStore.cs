using System.Text;
using KnowledgeGraph.Api.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.PersistedOperations;

/// <summary>
/// The documents clients registered (automatic persisted queries), by hash: in process within a byte budget
/// (<see cref="PersistedOperationsOptions.MemoryBytes"/>, the least recently used out first), and in Redis behind it
/// when configured, so that every instance knows what one was sent. Only documents that passed validation come here
/// (see <see cref="PersistedQueryResolver"/>), each at most <see cref="PersistedOperationsOptions.MaxDocumentBytes"/>.
/// </summary>
public sealed class PersistedQueryStore : IBoundedCache, IDisposable
{
    // What one entry costs beyond its text (two bytes a character): the 64-character key, the entry, the headers.
    private const int EntryOverheadBytes = 384;

    private readonly MemoryCache _memory;
    private readonly IDistributedCache? _distributed;
    private readonly TimeSpan _ttl;
    private readonly long _budget;

    public PersistedQueryStore(IOptions<PersistedOperationsOptions> options, IDistributedCache? distributed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _budget = options.Value.MemoryBytes;
        _ttl = options.Value.Ttl;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = _budget, CompactionPercentage = 0.25, TrackStatistics = true });
        _distributed = distributed;
    }

    public string CacheName => "persisted_queries";

    public long BudgetBytes => _budget;

    /// <summary>The bytes the in-process level holds now, never above its budget.</summary>
    public long MemoryBytes => _memory.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>How many documents the in-process level holds now.</summary>
    public long Count => _memory.GetCurrentStatistics()?.CurrentEntryCount ?? 0;

    /// <summary>The document registered under <paramref name="hash"/>, from memory or else from Redis; null when unknown.</summary>
    public async ValueTask<string?> GetAsync(string hash, CancellationToken cancellationToken)
    {
        if (_memory.TryGetValue(hash, out string? query) && query is not null)
        {
            return query;
        }

        if (_distributed is null)
        {
            return null;
        }

        var bytes = await _distributed.GetAsync(Key(hash), cancellationToken);
        if (bytes is not { Length: > 0 })
        {
            return null;
        }

        query = Encoding.UTF8.GetString(bytes);
        Remember(hash, query);
        return query;
    }

    /// <summary>Registers a validated document under its hash.</summary>
    public async ValueTask SetAsync(string hash, string query, CancellationToken cancellationToken)
    {
        Remember(hash, query);
        if (_distributed is not null)
        {
            await _distributed.SetAsync(Key(hash), Encoding.UTF8.GetBytes(query), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = _ttl }, cancellationToken);
        }
    }

    public void Dispose() => _memory.Dispose();

    private static string Key(string hash) => "apq:" + hash;

    private void Remember(string hash, string query)
    {
        var size = (query.Length * 2L) + EntryOverheadBytes;
        if (size > _budget)
        {
            return;
        }

        if (MemoryBytes + size > _budget)
        {
            // MemoryCache refuses an entry that does not fit and compacts later, in the background: make room now, the
            // least recently used first, so the newest registration is the one kept.
            _memory.Compact(0.25);
        }

        _memory.Set(hash, query, new MemoryCacheEntryOptions { Size = size, AbsoluteExpirationRelativeToNow = _ttl });
    }
}
