using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Security;

/// <summary>
/// Recent key lookups (found or not) by the hash of the key sent, for <see cref="ApiKeyAuthentication.LookupCacheDuration"/>:
/// keyed by what clients send, so within a byte budget (<see cref="AuthOptions.LookupCacheBytes"/>); past it the least
/// recently used go and are looked up again.
/// </summary>
public sealed class ApiKeyLookupCache(IOptions<AuthOptions> options) : IBoundedCache, IDisposable
{
    // The hash (64 characters), the record and the entry.
    private const int EntryOverheadBytes = 512;

    private readonly MemoryCache _lookups = new(new MemoryCacheOptions { SizeLimit = options.Value.LookupCacheBytes, CompactionPercentage = 0.25, TrackStatistics = true });

    public string CacheName => "key_lookups";

    public long BudgetBytes => options.Value.LookupCacheBytes;

    /// <summary>The bytes the lookups hold now, never above their budget.</summary>
    public long MemoryBytes => _lookups.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>The key stored under <paramref name="hash"/>, from the cache or else from <paramref name="keys"/>; null when there is none.</summary>
    public async Task<ApiKeyRecord?> FindAsync(string hash, IApiKeyStore keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(keys);
        if (_lookups.TryGetValue(hash, out ApiKeyRecord? known))
        {
            return known;
        }

        var key = await keys.FindByHashAsync(hash, cancellationToken);
        _lookups.Set(hash, key, new MemoryCacheEntryOptions
        {
            Size = EntryOverheadBytes + (hash.Length * 2L) + ((key?.Name.Length ?? 0) * 2L) + ((key?.Id.Length ?? 0) * 2L),
            AbsoluteExpirationRelativeToNow = ApiKeyAuthentication.LookupCacheDuration,
        });
        return key;
    }

    public void Dispose() => _lookups.Dispose();
}
