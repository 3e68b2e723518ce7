using System.ComponentModel.DataAnnotations;

namespace KnowledgeGraph.Api.Security;

/// <summary>The <c>Auth</c> section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Whether requests without a key may read. Writes always need a partner or admin key.</summary>
    public bool AllowAnonymousReads { get; set; } = true;

    /// <summary>The bytes recent key lookups (by the hash of the key sent, found or not) may hold in memory.</summary>
    [Range(64 * 1024, 1024L * 1024 * 1024)]
    public long LookupCacheBytes { get; set; } = 4 * 1024 * 1024;
}
