using KnowledgeGraph.Api.Writes;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// Moves the cache revision on after every committed write that changed the graph, so the next read of any cached
/// query is a miss with fresh data. Invalidation is this one increment, never a key scan.
/// </summary>
public sealed partial class RevisionBumpingListener(IGraphRevision revision, ILogger<RevisionBumpingListener> logger) : IGraphChangeListener
{
    public async Task OnChangedAsync(WriteReceipt receipt, WriteActor actor, CancellationToken cancellationToken)
    {
        try
        {
            await revision.BumpAsync(cancellationToken);
        }
        catch (GraphRevisionUnavailableException exception)
        {
            // Readers bypass the cache while the shared revision is unreachable, and entries expire within Cache:Ttl.
            BumpFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cache revision could not be moved after a write; cached answers expire within Cache:Ttl")]
    private static partial void BumpFailed(ILogger logger, Exception exception);
}
