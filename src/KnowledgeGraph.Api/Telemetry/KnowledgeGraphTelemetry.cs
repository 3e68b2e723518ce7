using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KnowledgeGraph.Api.Telemetry;

/// <summary>
/// The app's own traces and metrics: store calls and the response cache. ASP.NET Core and GraphQL.NET report
/// requests and executions under their own names (see <see cref="TelemetryRegistration"/>).
/// </summary>
public static class KnowledgeGraphTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "KnowledgeGraph";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> StoreCallDuration = Meter.CreateHistogram<double>(
        "kg.store.call.duration", "s", "Duration of graph store calls, by method.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Counter<long> CacheRequests = Meter.CreateCounter<long>(
        "kg.cache.requests", "{request}", "GraphQL requests by how the response cache served them (hit, miss, bypass).");

    private static readonly Histogram<double> CacheLookupDuration = Meter.CreateHistogram<double>(
        "kg.cache.lookup.duration", "s", "Duration of response-cache lookups (revision read and cache read), by result.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1] });

    public static void RecordStoreCall(string method, TimeSpan duration, string? errorType) =>
        StoreCallDuration.Record(duration.TotalSeconds, new("kg.store.method", method), new("error.type", errorType));

    public static void RecordCacheRequest(string result) => CacheRequests.Add(1, new KeyValuePair<string, object?>("kg.cache.result", result));

    public static void RecordCacheLookup(string result, TimeSpan duration) =>
        CacheLookupDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("kg.cache.result", result));
}
