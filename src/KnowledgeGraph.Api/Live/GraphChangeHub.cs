using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Live;

/// <summary>
/// The changes this instance's subscribers hear, whichever instance made them. Each subscriber gets its own queue
/// and its own delivery loop, so a write never waits for a subscriber's resolvers and a slow subscriber delays
/// nobody else; events reach each subscriber in the order they were published.
/// </summary>
/// <remarks>
/// Bursts are folded, so that live updates stay usable when data changes most (a bulk import commits hundreds of
/// changes a batch): when one write brings a subscriber more than <see cref="LiveOptions.MaxEventsPerBurst"/> changes
/// its filter matches, or that many are waiting for it at once, it hears only the last of them, with
/// <see cref="GraphChange.Skipped"/> counting the others: the signal to re-read rather than apply events one by one.
/// </remarks>
public sealed partial class GraphChangeHub(IOptions<LiveOptions> options, ILogger<GraphChangeHub> logger) : IObservable<GraphChange>
{
    private readonly int _maxEventsPerBurst = options.Value.MaxEventsPerBurst;
    private readonly ILogger<GraphChangeHub> _logger = logger;
    private ImmutableArray<Subscriber> _subscribers = [];

    /// <summary>How many subscribers are listening on this instance.</summary>
    public int Count => _subscribers.Length;

    /// <summary>Queues the changes of one write for every subscriber whose filter they match; returns at once.</summary>
    public void Publish(IEnumerable<GraphChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var subscribers = _subscribers;
        if (subscribers.IsEmpty)
        {
            return;
        }

        var write = changes as IReadOnlyCollection<GraphChange> ?? [.. changes];
        foreach (var subscriber in subscribers)
        {
            var matching = write.Where(subscriber.Matches).ToList();
            if (matching.Count > 0)
            {
                subscriber.Queue.Writer.TryWrite(Fold(matching));
            }
        }
    }

    public IDisposable Subscribe(IObserver<GraphChange> observer) => Subscribe(observer, static _ => true);

    /// <summary>The changes that satisfy <paramref name="predicate"/>, tested before any resolver runs (and before bursts are counted).</summary>
    public IObservable<GraphChange> Where(Func<GraphChange, bool> predicate) => new FilteredChanges(this, predicate);

    private Subscriber Subscribe(IObserver<GraphChange> observer, Func<GraphChange, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var subscriber = new Subscriber(this, observer, predicate);
        ImmutableInterlocked.Update(ref _subscribers, (list, item) => list.Add(item), subscriber);
        subscriber.Start();
        return subscriber;
    }

    // What a subscriber hears of these changes, in order: each of them, or, past the burst limit, the last one
    // counting the others as skipped.
    private List<GraphChange> Fold(List<GraphChange> changes)
    {
        if (changes.Count <= _maxEventsPerBurst)
        {
            return changes;
        }

        var skipped = changes.Sum(c => c.Skipped + 1) - 1;
        return [changes[^1] with { Skipped = skipped }];
    }

    private void Remove(Subscriber subscriber) =>
        ImmutableInterlocked.Update(ref _subscribers, (list, item) => list.Remove(item), subscriber);

    [LoggerMessage(Level = LogLevel.Error, Message = "A live-update subscriber failed to take a change")]
    private static partial void SubscriberFailed(ILogger logger, Exception exception);

    private sealed class Subscriber(GraphChangeHub hub, IObserver<GraphChange> observer, Func<GraphChange, bool> predicate) : IDisposable
    {
        // One item per write: the changes of that write this subscriber hears, already folded.
        public Channel<List<GraphChange>> Queue { get; } = Channel.CreateUnbounded<List<GraphChange>>(new UnboundedChannelOptions { SingleReader = true });

        public bool Matches(GraphChange change) => predicate(change);

        public void Start() => _ = Task.Run(DeliverAsync);

        public void Dispose()
        {
            hub.Remove(this);
            Queue.Writer.TryComplete();
        }

        private async Task DeliverAsync()
        {
            var waiting = new List<GraphChange>();
            var reader = Queue.Reader;
            while (await reader.WaitToReadAsync())
            {
                // Everything waiting now is one burst: several writes that came faster than this subscriber took them.
                waiting.Clear();
                while (reader.TryRead(out var write))
                {
                    waiting.AddRange(write);
                }

                foreach (var change in hub.Fold(waiting))
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
    }

    private sealed class FilteredChanges(GraphChangeHub hub, Func<GraphChange, bool> predicate) : IObservable<GraphChange>
    {
        public IDisposable Subscribe(IObserver<GraphChange> observer) => hub.Subscribe(observer, predicate);
    }
}
