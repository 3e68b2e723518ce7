using System.ComponentModel.DataAnnotations;

namespace KnowledgeGraph.Api.Caching;

/// <summary>The <c>Cache</c> configuration section: the whole-response cache of GraphQL queries.</summary>
public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>Whether successful query responses are cached; when false every response is <c>X-Cache: BYPASS</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a cached response lives; a write makes it unreachable sooner by moving the graph revision.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest response body cached, in bytes; larger responses are served but not cached.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The bytes the in-process response cache may hold (bodies and per-entry overhead); beyond it the least recently
    /// used entries go. Redis, when configured, keeps its own entries regardless.
    /// </summary>
    [Range(1024 * 1024, 16L * 1024 * 1024 * 1024)]
    public long MemoryBytes { get; set; } = 24 * 1024 * 1024;

    /// <summary>The bytes the fingerprints of query texts (normalised hash and operations) may hold in memory.</summary>
    [Range(64 * 1024, 1024L * 1024 * 1024)]
    public long FingerprintMemoryBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// The bytes the parsed and validated documents may hold in memory, each counted as its text length times
    /// <see cref="KnowledgeGraph.Api.GraphQL.ValidatedDocumentCache.BytesPerCharacter"/>; beyond it the least recently used go.
    /// </summary>
    [Range(64 * 1024, 1024L * 1024 * 1024)]
    public long DocumentMemoryBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// The staleness bound: how long an instance keys lookups with the store's revision it read, from the moment the
    /// read started, before reading it again. Announcements over Redis make it re-read sooner.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RevisionRefresh { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>The <c>Redis</c> configuration section: the shared second-level cache and graph revision.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port,password=...</c>); none means an in-process cache and
    /// revision. Unless the string says otherwise, connect and operation timeouts are short (500 ms) and the app
    /// starts without Redis (<c>abortConnect=false</c>).
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>The prefix of every key this app writes, so that several apps or tests can share one server.</summary>
    public string InstanceName { get; set; } = "kg:";

    /// <summary>How long Redis is skipped after a failure before one request tries it again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(3);
}
