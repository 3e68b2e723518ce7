using System.Collections.Immutable;
using System.Threading.Channels;

namespace KnowledgeGraph.Api.Live;

/// <summary>
/// The changes this instance's subscribers hear, whichever instance made them. Each subscriber gets its own queue
/// and its own delivery loop, so a write never waits for a subscriber's resolvers and a slow subscriber delays
/// nobody else; events reach each subscriber in the order they were published.
/// </summary>
public sealed partial class GraphChangeHub(ILogger<GraphChangeHub> logger) : IObservable<GraphChange>
{
    private readonly ILogger<GraphChangeHub> _logger = logger;
    private ImmutableArray<Subscriber> _subscribers = [];

    /// <summary>How many subscribers are listening on this instance.</summary>
    public int Count => _subscribers.Length;

    /// <summary>Queues each change for every subscriber; returns at once.</summary>
    public void Publish(IEnumerable<GraphChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var subscribers = _subscribers;
        if (subscribers.IsEmpty)
        {
            return;
        }

        foreach (var change in changes)
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Queue.Writer.TryWrite(change);
            }
        }
    }

    public IDisposable Subscribe(IObserver<GraphChange> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var subscriber = new Subscriber(this, observer);
        ImmutableInterlocked.Update(ref _subscribers, (list, item) => list.Add(item), subscriber);
        subscriber.Start();
        return subscriber;
    }

    /// <summary>The changes that satisfy <paramref name="predicate"/>, tested before any resolver runs.</summary>
    public IObservable<GraphChange> Where(Func<GraphChange, bool> predicate) => new FilteredChanges(this, predicate);

    private void Remove(Subscriber subscriber) =>
        ImmutableInterlocked.Update(ref _subscribers, (list, item) => list.Remove(item), subscriber);

    [LoggerMessage(Level = LogLevel.Error, Message = "A live-update subscriber failed to take a change")]
    private static partial void SubscriberFailed(ILogger logger, Exception exception);

    private sealed class Subscriber(GraphChangeHub hub, IObserver<GraphChange> observer) : IDisposable
    {
        public Channel<GraphChange> Queue { get; } = Channel.CreateUnbounded<GraphChange>(new UnboundedChannelOptions { SingleReader = true });

        public void Start() => _ = Task.Run(DeliverAsync);

        public void Dispose()
        {
            hub.Remove(this);
            Queue.Writer.TryComplete();
        }

        private async Task DeliverAsync()
        {
            await foreach (var change in Queue.Reader.ReadAllAsync())
            {
                try
                {
                    observer.OnNext(change);
                }
                catch (Exception exception)
                {
                    SubscriberFailed(hub._logger, exception);
                }
            }
        }
    }

    private sealed class FilteredChanges(GraphChangeHub hub, Func<GraphChange, bool> predicate) : IObservable<GraphChange>
    {
        public IDisposable Subscribe(IObserver<GraphChange> observer) => hub.Subscribe(new FilteringObserver(observer, predicate));
    }

    private sealed class FilteringObserver(IObserver<GraphChange> inner, Func<GraphChange, bool> predicate) : IObserver<GraphChange>
    {
        public void OnCompleted() => inner.OnCompleted();

        public void OnError(Exception error) => inner.OnError(error);

        public void OnNext(GraphChange value)
        {
            if (predicate(value))
            {
                inner.OnNext(value);
            }
        }
    }
}
