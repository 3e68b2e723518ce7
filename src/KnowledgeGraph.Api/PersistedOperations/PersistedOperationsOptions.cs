using System.ComponentModel.DataAnnotations;

namespace KnowledgeGraph.Api.PersistedOperations;

/// <summary>The <c>PersistedOperations</c> configuration section: automatic persisted queries and trusted documents.</summary>
public sealed class PersistedOperationsOptions
{
    public const string Section = "PersistedOperations";

    /// <summary>
    /// The folder of trusted documents: <c>.graphql</c> files, each addressable by the SHA-256 of its exact text, and
    /// Apollo persisted-query manifests (<c>.json</c>). Relative paths resolve beside the app, then the working directory.
    /// </summary>
    [Required]
    public string Directory { get; set; } = "schema/operations";

    /// <summary>Refuse every document that is not trusted (production hardening); off by default.</summary>
    public bool OnlyTrusted { get; set; }

    /// <summary>How long a document registered by a client (hash and query) is remembered at most.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The largest document a client may register (UTF-8 bytes of <c>query</c> sent with <c>extensions.persistedQuery</c>);
    /// a larger one is refused (413 <c>PERSISTED_QUERY_TOO_LARGE</c>). Trusted documents are not limited.
    /// </summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxDocumentBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The bytes the registered documents may hold in process (two bytes a character and a per-entry overhead);
    /// beyond it the least recently used go (a client whose hash is then unknown sends its query again).
    /// </summary>
    [Range(64 * 1024, 16L * 1024 * 1024 * 1024)]
    public long MemoryBytes { get; set; } = 16 * 1024 * 1024;
}
