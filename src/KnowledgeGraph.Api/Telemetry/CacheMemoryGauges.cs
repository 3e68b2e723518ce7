using System.Diagnostics.Metrics;
using GraphQL.DI;
using KnowledgeGraph.Api.Caching;

namespace KnowledgeGraph.Api.Telemetry;

/// <summary>
/// What each in-process cache keyed by client input holds (<c>kg.cache.memory</c>) and may hold
/// (<c>kg.cache.memory.limit</c>), in bytes, by <c>kg.cache</c>: on <c>/metrics</c> as <c>kg_cache_memory_bytes</c>
/// and <c>kg_cache_memory_limit_bytes</c>, so an operator sees the budgets fill without a heap dump.
/// </summary>
public sealed class CacheMemoryGauges : IHostedService, IDisposable
{
    private readonly Meter _meter;

    public CacheMemoryGauges(IMeterFactory meters, IEnumerable<IBoundedCache> caches, IEnumerable<IConfigureExecution> executionHooks)
    {
        ArgumentNullException.ThrowIfNull(meters);
        // The validated-document cache is one of GraphQL.NET's execution hooks, registered by GraphQL.NET.
        IBoundedCache[] all = [.. caches, .. executionHooks.OfType<IBoundedCache>()];
        _meter = meters.Create(KnowledgeGraphTelemetry.Name);
        _meter.CreateObservableGauge("kg.cache.memory", () => Measure(all, cache => cache.MemoryBytes), "By", "Bytes each in-process cache holds now, by its own estimate of its entries.");
        _meter.CreateObservableGauge("kg.cache.memory.limit", () => Measure(all, cache => cache.BudgetBytes), "By", "The byte budget of each in-process cache.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<long>> Measure(IBoundedCache[] caches, Func<IBoundedCache, long> value) =>
        caches.Select(cache => new Measurement<long>(value(cache), new KeyValuePair<string, object?>("kg.cache", cache.CacheName)));
}
