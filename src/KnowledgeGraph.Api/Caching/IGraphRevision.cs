namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// A number that changes whenever the graph does. It is part of every response-cache key, so one
/// <see cref="BumpAsync"/> makes every cached response unreachable at once, with no key scan.
/// </summary>
/// <remarks>
/// Contract for writers: call <see cref="BumpAsync"/> after every committed write to the store (never before the
/// commit, or a reader could cache the old data under the new revision), and after a seed that changed the graph.
/// With Redis configured the revision is one key shared by every API instance; otherwise it lives in this process.
/// </remarks>
public interface IGraphRevision
{
    /// <summary>The current revision.</summary>
    /// <exception cref="GraphRevisionUnavailableException">The shared revision cannot be read now; do not use the cache.</exception>
    ValueTask<long> GetAsync(CancellationToken cancellationToken);

    /// <summary>Moves the revision on and returns the new value.</summary>
    /// <exception cref="GraphRevisionUnavailableException">The shared revision cannot be reached; cached responses expire within <c>Cache:Ttl</c>.</exception>
    Task<long> BumpAsync(CancellationToken cancellationToken);
}

/// <summary>The shared graph revision cannot be read or moved (Redis is down or too slow).</summary>
public sealed class GraphRevisionUnavailableException : Exception
{
    public GraphRevisionUnavailableException()
        : base("The graph revision is unavailable.")
    {
    }

    public GraphRevisionUnavailableException(string message)
        : base(message)
    {
    }

    public GraphRevisionUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The revision of a single API instance: a counter in memory, starting from the clock so it never repeats.</summary>
public sealed class InProcessGraphRevision(TimeProvider clock) : IGraphRevision
{
    private long _revision = clock.GetUtcNow().ToUnixTimeMilliseconds();

    public ValueTask<long> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Volatile.Read(ref _revision));

    public Task<long> BumpAsync(CancellationToken cancellationToken) => Task.FromResult(Interlocked.Increment(ref _revision));
}
