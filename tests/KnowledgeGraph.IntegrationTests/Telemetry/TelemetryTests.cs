using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Telemetry;

/// <summary>Prometheus metrics at /metrics, and the activities of a request nested as a trace.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Metrics_show_requests_store_calls_and_the_cache_after_a_query()
    {
        await using var app = new KnowledgeGraphApp();
        await app.PostAsync("{ entity(key: \"signal\") { name } }");
        await app.PostAsync("{ entity(key: \"signal\") { name } }");

        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("kg_store_call_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("kg_store_method=\"GetEntitiesAsync\"", text, StringComparison.Ordinal);
        Assert.Contains("kg_cache_requests_total{", text, StringComparison.Ordinal);
        Assert.Contains("kg_cache_result=\"HIT\"", text, StringComparison.Ordinal);
        Assert.Contains("kg_cache_lookup_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("signal", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_show_what_each_in_process_cache_holds_within_its_budget()
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Cache:MemoryBytes", "1048576")] };
        await app.PostAsync("{ entity(key: \"signal\") { name } }");
        using var client = app.CreateClient();
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        // The values are read from this app's own meter: other apps of this test process publish the same names, and
        // a Prometheus exporter listens to every meter of its name in the process.
        var factory = app.Services.GetRequiredService<IMeterFactory>();
        var gauges = new Dictionary<(string Name, string Cache), long>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name.StartsWith("kg.cache.memory", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "kg.cache")
                    {
                        gauges[(instrument.Name, (string)tag.Value!)] = value;
                    }
                }
            });
            listener.Start();
            listener.RecordObservableInstruments();
        }

        Assert.Contains("kg_cache_memory_bytes{", text, StringComparison.Ordinal);
        Assert.Contains("kg_cache_memory_limit_bytes{", text, StringComparison.Ordinal);
        foreach (var cache in new[] { "responses", "documents", "fingerprints", "persisted_queries", "key_lookups" })
        {
            Assert.Contains($"kg_cache=\"{cache}\"", text, StringComparison.Ordinal);
            Assert.InRange(gauges[("kg.cache.memory", cache)], 0, gauges[("kg.cache.memory.limit", cache)]);
        }

        // The one query answered is held as a response, a validated document and a fingerprint.
        Assert.Equal(1048576, gauges[("kg.cache.memory.limit", "responses")]);
        Assert.True(gauges[("kg.cache.memory", "responses")] > 0);
        Assert.True(gauges[("kg.cache.memory", "documents")] > 0);
        Assert.True(gauges[("kg.cache.memory", "fingerprints")] > 0);
    }

    [Fact]
    public async Task The_graphql_execution_and_store_calls_are_activities_nested_under_the_request()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "KnowledgeGraph" || source.Name == GraphQL.Telemetry.GraphQLTelemetryProvider.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var app = new KnowledgeGraphApp { Settings = [("Cache:Enabled", "false")] };
        var operation = "Probe" + Guid.NewGuid().ToString("N");

        var response = await app.PostAsync($"query {operation} {{ entity(key: \"whatsapp\") {{ name relationships(first: 2) {{ totalCount }} }} }}", operationName: operation);
        Assert.Equal(HttpStatusCode.OK, response.Status);

        Activity? graphql = null, request = null;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            graphql = stopped.FirstOrDefault(a => a.Source.Name == GraphQL.Telemetry.GraphQLTelemetryProvider.SourceName && a.DisplayName.Contains(operation, StringComparison.Ordinal));
            request = graphql is null ? null : stopped.FirstOrDefault(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == graphql.TraceId);
            if (request is not null)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.NotNull(graphql);
        Assert.NotNull(request);
        Assert.Equal(request.SpanId, graphql.ParentSpanId);
        Assert.Equal(operation, graphql.GetTagItem("graphql.operation.name"));
        Assert.Equal("query", graphql.GetTagItem("graphql.operation.type"));
        var storeCalls = stopped.Where(a => a.Source.Name == "KnowledgeGraph" && a.TraceId == graphql.TraceId).ToList();
        Assert.NotEmpty(storeCalls);
        Assert.All(storeCalls, call => Assert.Equal(graphql.SpanId, call.ParentSpanId));
        Assert.Contains(storeCalls, call => Equals(call.GetTagItem("kg.store.method"), "GetEntitiesAsync"));
    }
}
