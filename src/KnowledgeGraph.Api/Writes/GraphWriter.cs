using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.Api.Writes;

/// <summary>Hears about every committed write that changed the graph (cache revision, live updates).</summary>
public interface IGraphChangeListener
{
    Task OnChangedAsync(WriteReceipt receipt, WriteActor actor, CancellationToken cancellationToken);
}

/// <summary>
/// The one way writes reach the store: validate against the graph, write all-or-nothing, then tell every
/// <see cref="IGraphChangeListener"/>. Mutations and bulk imports both go through it.
/// </summary>
public sealed partial class GraphWriter(IGraphStore store, IEnumerable<IGraphChangeListener> listeners, ILogger<GraphWriter> logger)
{
    public async Task<WriteReceipt> WriteAsync(GraphWrite write, WriteActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        write = await WriteValidator.ValidateAsync(write, store, cancellationToken);
        var receipt = await store.WriteAsync(write, actor, cancellationToken);
        var changed = receipt.Results.Count(r => r.Outcome != WriteOutcome.Unchanged);
        WriteApplied(logger, actor.Id, changed, receipt.Results.Count, receipt.Revision);
        if (receipt.ChangedAnything)
        {
            foreach (var listener in listeners)
            {
                // The write is committed: a listener that fails must not turn it into an error for the writer.
                try
                {
                    await listener.OnChangedAsync(receipt, actor, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    ListenerFailed(logger, listener.GetType().Name, exception);
                }
            }
        }

        return receipt;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Write by {Actor}: {Changed} of {Records} records changed, revision {Revision}")]
    private static partial void WriteApplied(ILogger logger, string actor, int changed, int records, long revision);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change listener {Listener} failed after a committed write")]
    private static partial void ListenerFailed(ILogger logger, string listener, Exception exception);
}
