using KnowledgeGraph.Api.Writes;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// After every committed write that changed the graph: this instance keys its next lookups with the write's revision
/// (a writer reads its own write) and announces it to the others. Invalidation is this, never a key scan; nothing here
/// waits on Redis.
/// </summary>
public sealed class RevisionBumpingListener(IGraphRevision revision, IEnumerable<IRevisionAnnouncer> announcers) : IGraphChangeListener
{
    public Task OnChangedAsync(WriteReceipt receipt, WriteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        revision.Advance(receipt.Revision);
        foreach (var announcer in announcers)
        {
            announcer.Announce(receipt.Revision);
        }

        return Task.CompletedTask;
    }
}
