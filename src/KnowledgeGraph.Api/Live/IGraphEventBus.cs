namespace KnowledgeGraph.Api.Live;

/// <summary>
/// Carries committed changes to every subscriber: in process alone (<see cref="InProcessGraphEventBus"/>), or through
/// Redis pub/sub to every API instance (<see cref="RedisGraphEventBus"/>). Publishing never fails a write and never
/// waits for a subscriber.
/// </summary>
public interface IGraphEventBus
{
    /// <summary>False only when no subscriber anywhere can hear a change, so the publisher may skip its reads.</summary>
    bool MayHaveSubscribers { get; }

    ValueTask PublishAsync(IReadOnlyList<GraphChange> changes, CancellationToken cancellationToken);
}

/// <summary>One API instance: changes go straight to this instance's subscribers.</summary>
public sealed class InProcessGraphEventBus(GraphChangeHub hub) : IGraphEventBus
{
    public bool MayHaveSubscribers => hub.Count > 0;

    public ValueTask PublishAsync(IReadOnlyList<GraphChange> changes, CancellationToken cancellationToken)
    {
        hub.Publish(changes);
        return ValueTask.CompletedTask;
    }
}
