using System.Diagnostics;
using System.Net;
using System.Text;

namespace KnowledgeGraph.LoadBenchmarks;

internal sealed record LoadResult(int Connections, long Requests, long Failures, double RequestsPerSecond, double P50Ms, double P99Ms);

/// <summary>Closed-loop load: each connection sends the mix round robin, one request at a time, for a fixed time.</summary>
internal static class LoadDriver
{
    public static async Task<LoadResult> RunAsync(Uri baseAddress, int connections, TimeSpan warmUp, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "application/graphql-response+json, application/json;q=0.9");
        var bodies = QueryMix.Requests.Select(r => Encoding.UTF8.GetBytes(r.Body)).ToArray();

        await RunPhaseAsync(client, bodies, connections, warmUp, record: false);
        var started = Stopwatch.GetTimestamp();
        var perConnection = await RunPhaseAsync(client, bodies, connections, duration, record: true);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var latencies = perConnection.SelectMany(c => c.Latencies).ToArray();
        Array.Sort(latencies);
        var failures = perConnection.Sum(c => c.Failures);
        return new LoadResult(connections, latencies.Length, failures, latencies.Length / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static async Task<(List<double> Latencies, long Failures)[]> RunPhaseAsync(HttpClient client, byte[][] bodies, int connections, TimeSpan duration, bool record)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var latencies = new List<double>(record ? 100_000 : 0);
            long failures = 0;
            var next = worker % bodies.Length;
            while (Stopwatch.GetTimestamp() < end)
            {
                var body = bodies[next];
                next = (next + 1) % bodies.Length;
                var sent = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var response = await client.PostAsync(new Uri("graphql", UriKind.Relative), content);
                await response.Content.CopyToAsync(Stream.Null);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures++;
                }

                if (record)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
            }

            return (latencies, failures);
        }));
        return await Task.WhenAll(workers);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
