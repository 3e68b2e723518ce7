using System.Threading.Channels;
using KnowledgeGraph.Storage;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// The store's revision, read at most every <see cref="CacheOptions.RevisionRefresh"/> and kept in memory in between,
/// so that a cached request costs no store call. The bound holds by construction: a value is used only until its
/// read's start plus the refresh, after which requests share one fresh read; a background loop re-reads at half
/// the refresh so that they rarely wait. Nothing here depends on Redis.
/// </summary>
public sealed partial class StoreGraphRevision : BackgroundService, IGraphRevision
{
    private readonly IGraphStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger<StoreGraphRevision> _logger;
    private readonly TimeSpan _refresh;
    private readonly Lock _gate = new();

    // Set by an announcement, so that the background loop re-reads at once rather than at its next turn.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private long _local = -1;
    private long _validUntil;
    private int _epoch;
    private int _failing;
    private Task<long>? _read;

    public StoreGraphRevision(IGraphStore store, TimeProvider clock, IOptions<CacheOptions> options, ILogger<StoreGraphRevision> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _clock = clock;
        _logger = logger;
        _refresh = options.Value.RevisionRefresh;
    }

    /// <summary>Whether the value in memory may be used now without reading the store.</summary>
    public bool IsCurrent => _clock.GetTimestamp() < Volatile.Read(ref _validUntil);

    /// <summary>The last value known, whether or not it is still current (-1 before the first read).</summary>
    public long Known => Volatile.Read(ref _local);

    public ValueTask<long> GetAsync(CancellationToken cancellationToken) =>
        IsCurrent ? ValueTask.FromResult(Volatile.Read(ref _local)) : ReadSharedAsync(cancellationToken);

    public void Advance(long revision) => Merge(revision);

    /// <summary>Another instance wrote <paramref name="revision"/>: unless it is known already, read the store again before the next lookup.</summary>
    public void OnAnnounced(long revision)
    {
        if (revision <= Volatile.Read(ref _local))
        {
            return;
        }

        ReadAgain();
    }

    /// <summary>
    /// Announcements may have been missed (sent before this instance subscribed, or while Redis was away): read the
    /// store again before the next lookup, as for an announcement of a revision not known yet.
    /// </summary>
    public void ReadAgain()
    {
        lock (_gate)
        {
            _epoch++;
            Volatile.Write(ref _validUntil, 0);
        }

        _wake.Writer.TryWrite(true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var half = TimeSpan.FromTicks(_refresh.Ticks / 2);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReadSharedAsync(stoppingToken);
                }
                catch (GraphRevisionUnavailableException)
                {
                    // Logged once by the read; requests bypass the cache until the store answers again.
                }

                await WaitAsync(half, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    private async ValueTask<long> ReadSharedAsync(CancellationToken cancellationToken)
    {
        Task<long> read;
        lock (_gate)
        {
            // A finished read is never reused: each new burst of requests reads the store again.
            if (_read is null || _read.IsCompleted)
            {
                _read = ReadAsync();
            }

            read = _read;
        }

        await read.WaitAsync(cancellationToken);
        // Not the read's own result: a write by this instance may have landed since it was sent.
        return Volatile.Read(ref _local);
    }

    private async Task<long> ReadAsync()
    {
        int epoch;
        lock (_gate)
        {
            epoch = _epoch;
        }

        var started = _clock.GetTimestamp();
        long value;
        try
        {
            // A store that does not answer within the bound cannot vouch for anything within it.
            using var timeout = new CancellationTokenSource(_refresh, _clock);
            value = await _store.GetRevisionAsync(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is not GraphRevisionUnavailableException)
        {
            if (Interlocked.Exchange(ref _failing, 1) == 0)
            {
                RevisionUnreadable(_logger, exception);
            }

            throw new GraphRevisionUnavailableException("The graph revision could not be read from the store.", exception);
        }

        Interlocked.Exchange(ref _failing, 0);
        var merged = Merge(value);
        lock (_gate)
        {
            // An announcement heard during the read may be of a write this read did not see.
            if (_epoch == epoch)
            {
                Volatile.Write(ref _validUntil, started + (long)(_refresh.TotalSeconds * _clock.TimestampFrequency));
            }
        }

        return merged;
    }

    // The store's revision only grows, and a read's answer may arrive after a later write's receipt: keep the larger.
    private long Merge(long value)
    {
        var current = Volatile.Read(ref _local);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _local, value, current);
            if (seen == current)
            {
                return value;
            }

            current = seen;
        }

        return current;
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(delay);
        try
        {
            await _wake.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The delay passed without a wake-up.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The graph revision could not be read from the store; responses bypass the cache until it answers")]
    private static partial void RevisionUnreadable(ILogger logger, Exception exception);
}
