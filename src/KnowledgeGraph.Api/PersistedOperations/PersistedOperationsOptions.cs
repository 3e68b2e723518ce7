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

    /// <summary>How long a document registered by a client (hash and query) is remembered.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromDays(1);
}
