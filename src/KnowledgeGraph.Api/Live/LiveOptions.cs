using System.ComponentModel.DataAnnotations;

namespace KnowledgeGraph.Api.Live;

/// <summary>The <c>Live</c> section: subscriptions over WebSocket (<c>graphql-transport-ws</c>).</summary>
public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>How long a client has, after the socket opens, to send <c>connection_init</c> (else close 4408).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many operations (subscriptions, queries, mutations) one connection may run at once.</summary>
    [Range(1, 1000)]
    public int MaxOperationsPerConnection { get; set; } = 25;

    /// <summary>The largest message a client may send, in bytes (else close 1009).</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>How many messages may wait for a slow client before its connection is closed (1008).</summary>
    [Range(16, 100_000)]
    public int MaxPendingMessages { get; set; } = 1000;

    /// <summary>
    /// How long one message may take to reach a client; a client that stops reading is closed (its socket aborted)
    /// when a send passes it, and what it held is freed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most events one subscription gets for one write, or for the writes waiting for it at once: past it, it gets
    /// only the last change, with <c>skipped</c> counting the others (a bulk import's batch is one event, "re-read").
    /// </summary>
    [Range(1, 100_000)]
    public int MaxEventsPerBurst { get; set; } = 20;

    /// <summary>The Redis pub/sub channel the API instances share when <c>Redis:Configuration</c> is set.</summary>
    [Required]
    public string RedisChannel { get; set; } = "knowledge-graph:changes";
}
