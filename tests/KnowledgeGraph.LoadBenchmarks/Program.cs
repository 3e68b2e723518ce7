using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.LoadBenchmarks;

// dotnet run -c Release --project tests/KnowledgeGraph.LoadBenchmarks -- [--seconds 5] [--connections 1,8,32,64] [--warm-up 10]
// Starts the API's Release build three ways (uncached, cached with a real redis-server, and a bare Kestrel ceiling
// serving the same bytes), all on 127.0.0.1, and drives the same query mix at each concurrency level.
//
// dotnet run -c Release --project tests/KnowledgeGraph.LoadBenchmarks -- side-by-side [--quick] [--warm-up 20] [--seconds 30] [--rounds 3] [--connections 32] [--queries "point,path,mix"] [--baseline DIR] [--baseline-env NAME=VALUE]
// Our API against a mercurius peer over the same SQLite file, each pinned to one core, wrk on the other (SideBySide.cs).
// --baseline DIR adds another build of ours (another commit's src/KnowledgeGraph.Api/bin/Release/net10.0), and
// --baseline-env NAME=VALUE runs the baseline (by default this build) with one more variable: an A/B in the same rounds.
if (args is ["--serve-ceiling", var portText, var recordedPath])
{
    await CeilingServer.RunAsync(int.Parse(portText, CultureInfo.InvariantCulture), recordedPath);
    return 0;
}

if (args is ["side-by-side", ..])
{
    return await SideBySide.RunAsync(args[1..]);
}

// dotnet run -c Release --project tests/KnowledgeGraph.LoadBenchmarks -- profile [--queries "point lookup,two hops + citations,mix"] [--warm-up 15] [--seconds 20] [--tiered]
// Where the API's CPU goes per request, by perf sampling with JIT symbols, and its allocations (Profile.cs).
if (args is ["profile", ..])
{
    return await Profile.RunAsync(args[1..]);
}

var seconds = Option("--seconds", 5);
var connectionLevels = (OptionText("--connections") ?? "1,8,32,64").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var warmUp = TimeSpan.FromSeconds(Math.Max(1, seconds / 3));

// Each server first serves the mix at the highest level for this long, unmeasured: a fresh process takes many seconds
// under load to tier up its hot path, and the cases start cold one after the other. Without it the first level of a
// case measures the JIT as much as the server (0 turns it off).
var serverWarmUp = TimeSpan.FromSeconds(Option("--warm-up", 10));
var duration = TimeSpan.FromSeconds(seconds);
var work = Directory.CreateTempSubdirectory("kg-load-");
Console.WriteLine($"# KnowledgeGraph load benchmark: {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"# mix: {string.Join(", ", QueryMix.Requests.Select(r => r.Name))}; each server warmed up {serverWarmUp.TotalSeconds:0} s at {connectionLevels.Max()} connections, then {duration.TotalSeconds:0} s per level after {warmUp.TotalSeconds:0} s warm-up");

var results = new Dictionary<string, (List<LoadResult> Levels, double PeakRssMiB)>();
try
{
    // The ceiling needs the API's own answers: record them from an uncached instance first.
    var recorded = Directory.CreateDirectory(Path.Combine(work.FullName, "recorded"));
    await using (var api = await ServerProcess.StartApiAsync(Path.Combine(work.FullName, "record"), new Dictionary<string, string> { ["Cache:Enabled"] = "false" }))
    {
        await RecordAsync(api.BaseAddress, recorded.FullName);
    }

    results["uncached"] = await RunCaseAsync("uncached", () => ServerProcess.StartApiAsync(Path.Combine(work.FullName, "uncached"), new Dictionary<string, string> { ["Cache:Enabled"] = "false" }));

    // The same cache without Redis (in-process revision and entries): what Redis adds to a cached request.
    results["in-process cached"] = await RunCaseAsync("in-process cached (no Redis)", () => ServerProcess.StartApiAsync(
        Path.Combine(work.FullName, "in-process"), new Dictionary<string, string> { ["Cache:Enabled"] = "true" }));

    await using (var redis = await RedisProcess.StartAsync())
    {
        results["redis-cached"] = await RunCaseAsync("redis-cached", () => ServerProcess.StartApiAsync(
            Path.Combine(work.FullName, "cached"),
            new Dictionary<string, string> { ["Redis:Configuration"] = $"127.0.0.1:{redis.Port}", ["Cache:Enabled"] = "true" }));
    }

    results["ceiling"] = await RunCaseAsync("ceiling (bare Kestrel, same bytes)", () => ServerProcess.StartCeilingAsync(recorded.FullName));
}
finally
{
    work.Delete(recursive: true);
}

Console.WriteLine();
Console.WriteLine("| case | connections | requests/s | p50 ms | p99 ms | of ceiling | failures | server peak RSS MiB |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
var ceiling = results["ceiling"].Levels.ToDictionary(l => l.Connections);
foreach (var (name, (levels, rss)) in results)
{
    foreach (var level in levels)
    {
        var ratio = level.RequestsPerSecond / ceiling[level.Connections].RequestsPerSecond;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {level.Connections} | {level.RequestsPerSecond:0} | {level.P50Ms:0.00} | {level.P99Ms:0.00} | {ratio:P0} | {level.Failures} | {rss:0} |"));
    }
}

return 0;

async Task<(List<LoadResult>, double)> RunCaseAsync(string name, Func<Task<ServerProcess>> start)
{
    Console.WriteLine($"## {name}");
    await using var server = await start();
    if (serverWarmUp > TimeSpan.Zero)
    {
        await LoadDriver.RunAsync(server.BaseAddress, connectionLevels.Max(), TimeSpan.Zero, serverWarmUp);
    }

    var levels = new List<LoadResult>();
    foreach (var connections in connectionLevels)
    {
        var result = await LoadDriver.RunAsync(server.BaseAddress, connections, warmUp, duration);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {connections,3} connections: {result.RequestsPerSecond,8:0} req/s  p50 {result.P50Ms,6:0.00} ms  p99 {result.P99Ms,6:0.00} ms  failures {result.Failures}"));
        levels.Add(result);
    }

    var rss = server.PeakRssMiB;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  server peak RSS {rss:0} MiB"));
    return (levels, rss);
}

static async Task RecordAsync(Uri baseAddress, string directory)
{
    using var client = new HttpClient { BaseAddress = baseAddress };
    client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", "application/graphql-response+json, application/json;q=0.9");
    foreach (var (name, body) in QueryMix.Requests)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/json");
        using var response = await client.PostAsync(new Uri("graphql", UriKind.Relative), content);
        var answer = await response.Content.ReadAsByteArrayAsync();
        using var json = JsonDocument.Parse(answer);
        if (!response.IsSuccessStatusCode || json.RootElement.TryGetProperty("errors", out _))
        {
            throw new InvalidOperationException($"The mix's '{name}' query failed: {(int)response.StatusCode} {Encoding.UTF8.GetString(answer)}");
        }

        Console.WriteLine($"# {name}: {answer.Length} bytes");
        await File.WriteAllBytesAsync(Path.Combine(directory, CeilingServer.KeyOf(bytes) + ".json"), answer);
    }
}

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
