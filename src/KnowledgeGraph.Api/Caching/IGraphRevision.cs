namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// The graph revision a cached response is keyed with. Its truth is the store's own revision
/// (<see cref="Storage.IGraphStore.GetRevisionAsync"/>), which every committed write and every seed that changes the
/// graph moves on: one write makes every response cached before it unreachable at once, with no key scan.
/// </summary>
/// <remarks>
/// An instance keeps the value it last read from the store for at most <c>Cache:RevisionRefresh</c>, then reads the
/// store again (requests wait for that one shared read rather than use an older value): no instance keys a lookup
/// with a revision older than that bound, whatever Redis does. The writing instance takes its write's revision at
/// once (<see cref="Advance"/>); announcements over Redis only make other instances re-read sooner.
/// </remarks>
public interface IGraphRevision
{
    /// <summary>The store's revision, as read within <c>Cache:RevisionRefresh</c> or later written by this instance.</summary>
    /// <exception cref="GraphRevisionUnavailableException">The store does not answer now; do not use the cache.</exception>
    ValueTask<long> GetAsync(CancellationToken cancellationToken);

    /// <summary>A write on this instance committed at <paramref name="revision"/>: key every later lookup with it.</summary>
    void Advance(long revision);
}

/// <summary>The graph revision cannot be read from the store now.</summary>
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
