using System.Diagnostics;
using System.Globalization;
using System.Text;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.LoadBenchmarks;

/// <summary>
/// Our API against a mercurius peer over the same SQLite file, side by side (docs/benchmarks.md, "Side by side").
/// Both serve on one core, wrk drives them from the other; each query of the mix and the mix are measured in turn on
/// each server, round after round, and the server's CPU per request is read from its own accounting. Two floors serve
/// the mix's recorded answers with no GraphQL at all: bare Kestrel for us, bare node:http for the peer.
/// </summary>
internal static class SideBySide
{
    private const string MixName = "the mix of the four";

    private sealed record Options(TimeSpan WarmUp, TimeSpan Settle, TimeSpan Duration, int Rounds, int Connections, string ServerCpus, string DriverCpus, string[]? Queries, string? Baseline = null, string? BaselineEnv = null)
    {
        /// <summary>Whether a case is measured: all without <c>--queries</c>, else those whose name contains one of its comma-separated words.</summary>
        public bool Measures(string name) => Queries is null || Queries.Any(q => name.Contains(q, StringComparison.OrdinalIgnoreCase));

        public static Options Parse(string[] args)
        {
            var quick = args.Contains("--quick");
            double Seconds(string name, double fallback) =>
                Value(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
            var warmUp = Seconds("--warm-up", quick ? 2 : 20);
            return new Options(
                TimeSpan.FromSeconds(warmUp),
                TimeSpan.FromSeconds(Seconds("--settle", Math.Min(2, warmUp))),
                TimeSpan.FromSeconds(Seconds("--seconds", quick ? 3 : 30)),
                (int)Seconds("--rounds", quick ? 1 : 3),
                (int)Seconds("--connections", 32),
                Value(args, "--server-cpu") ?? "0",
                Value(args, "--driver-cpu") ?? "1",
                Value(args, "--queries")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Value(args, "--baseline"),
                Value(args, "--baseline-env"));
        }

        private static string? Value(string[] args, string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }
    }

    private sealed record Measurement(string Server, string Case, int Round, WrkResult Load, TimeSpan Cpu)
    {
        public double CpuMicrosecondsPerRequest => Cpu.TotalMicroseconds / Load.Requests;
    }

    private sealed record Server(string Name, ServerProcess Process);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Options.Parse(args);
        foreach (var (tool, why) in new[] { ("wrk", "the load generator (Debian package wrk)"), ("taskset", "pinning (util-linux)"), ("node", "the peer (Node.js 20)"), ("npm", "the peer's install") })
        {
            if (!OnPath(tool))
            {
                Console.Error.WriteLine($"error: {tool} is needed: {why}. ./build.sh bench-peer installs what is missing.");
                return 2;
            }
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        var token = cancellation.Token;

        var peerDirectory = Path.Combine(RepositoryPaths.Root, "tests", "KnowledgeGraph.LoadBenchmarks", "peer");
        await InstallPeerAsync(peerDirectory, token);

        var work = Directory.CreateTempSubdirectory("kg-side-by-side-");
        var started = DateTime.UtcNow;
        Console.WriteLine($"# KnowledgeGraph side by side with mercurius: {Environment.ProcessorCount} CPUs, {Cpu()}, .NET {Environment.Version}, Node {NodeVersion()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# servers on CPU {options.ServerCpus}, wrk (1 thread, {options.Connections} connections) on CPU {options.DriverCpus}; {options.WarmUp.TotalSeconds:0} s warm-up per server, then per case {options.Settle.TotalSeconds:0} s settling and {options.Duration.TotalSeconds:0} s measured; {options.Rounds} round(s)"));
        Console.WriteLine($"# started {started:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}");
        var measurements = new List<Measurement>();
        try
        {
            var data = Path.Combine(work.FullName, "data");
            await using var ours = await ServerProcess.StartApiAsync(data, new Dictionary<string, string> { ["Cache:Enabled"] = "false" }, options.ServerCpus);
            var database = Path.Combine(data, "knowledge-graph.db");
            await using var peer = await ServerProcess.StartNodeAsync(Path.Combine(peerDirectory, "server.js"), ["--db", database], options.ServerCpus);
            // Another build of ours (another commit's bin/Release/net10.0) or ours with one more variable, measured in the
            // same rounds: a change's cost or gain, side by side, on the same host in the same minutes.
            await using var baseline = options.Baseline is null && options.BaselineEnv is null ? null : await ServerProcess.StartApiAsync(
                Path.Combine(work.FullName, "baseline"), BaselineSettings(options.BaselineEnv), options.ServerCpus, options.Baseline);

            // Both must give the same answer to every query before anything is measured.
            var bodies = Directory.CreateDirectory(Path.Combine(work.FullName, "bodies"));
            var recorded = Directory.CreateDirectory(Path.Combine(work.FullName, "recorded"));
            var cases = new List<(string Name, IReadOnlyList<string> Files)>();
            for (var i = 0; i < QueryMix.Requests.Length; i++)
            {
                var (name, body) = QueryMix.Requests[i];
                var bytes = Encoding.UTF8.GetBytes(body);
                var file = Path.Combine(bodies.FullName, $"{i}.json");
                await File.WriteAllBytesAsync(file, bytes, token);
                var answer = await CheckSameAnswerAsync(name, bytes, ours, peer, token);
                await File.WriteAllBytesAsync(Path.Combine(recorded.FullName, CeilingServer.KeyOf(bytes) + ".json"), answer, token);
                cases.Add((name, [file]));
            }

            var mix = cases.SelectMany(c => c.Files).ToList();
            cases.Add((MixName, mix));

            await using var kestrel = await ServerProcess.StartCeilingAsync(recorded.FullName, options.ServerCpus);
            await using var nodeHttp = await ServerProcess.StartNodeAsync(Path.Combine(peerDirectory, "floor.js"), ["--recorded", recorded.FullName], options.ServerCpus);
            foreach (var floor in new[] { kestrel, nodeHttp })
            {
                foreach (var (name, body) in QueryMix.Requests)
                {
                    var bytes = Encoding.UTF8.GetBytes(body);
                    var expected = await File.ReadAllBytesAsync(Path.Combine(recorded.FullName, CeilingServer.KeyOf(bytes) + ".json"), token);
                    if (!(await PostAsync(floor, bytes, token)).AsSpan().SequenceEqual(expected))
                    {
                        throw new InvalidOperationException($"A floor did not answer '{name}' with the recorded bytes.");
                    }
                }
            }

            if (baseline is not null)
            {
                foreach (var (name, body) in QueryMix.Requests)
                {
                    await CheckSameAnswerAsync(name, Encoding.UTF8.GetBytes(body), baseline, peer, token);
                }
            }

            Server[] graphQL = baseline is null ? [new("ours", ours), new("mercurius", peer)] : [new("ours", ours), new("mercurius", peer), new(BaselineName, baseline)];
            Server[] floors = [new("Kestrel floor", kestrel), new("node:http floor", nodeHttp)];
            var wrk = Wrk.Create(work.FullName, options.DriverCpus);
            foreach (var server in graphQL.Concat(floors))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# warming up {server.Name} on the mix for {options.WarmUp.TotalSeconds:0} s"));
                await wrk.RunAsync(server.Process.BaseAddress, mix, options.Connections, options.WarmUp, token);
            }

            for (var round = 1; round <= options.Rounds; round++)
            {
                Console.WriteLine($"## round {round} (load average {LoadAverage()})");

                // Interleaved, and each round starts with the other server, so a change of load on the machine
                // falls on both.
                var order = round % 2 == 1 ? graphQL : [.. graphQL.Reverse()];
                foreach (var (name, files) in cases.Where(c => options.Measures(c.Name)))
                {
                    foreach (var server in order)
                    {
                        measurements.Add(await MeasureAsync(wrk, server, name, files, round, options, token));
                    }
                }

                foreach (var floor in round % 2 == 1 ? floors : [.. floors.Reverse()])
                {
                    measurements.Add(await MeasureAsync(wrk, floor, MixName, mix, round, options, token));
                }
            }

            // The answers are still the same after the load.
            foreach (var (name, body) in QueryMix.Requests)
            {
                await CheckSameAnswerAsync(name, Encoding.UTF8.GetBytes(body), ours, peer, token);
            }

            Console.WriteLine($"# ours: peak RSS {ours.PeakRssMiB:0} MiB; mercurius: {peer.PeakRssMiB:0} MiB");
        }
        finally
        {
            work.Delete(recursive: true);
        }

        Console.WriteLine($"# finished {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, load average {LoadAverage()}");
        PrintSummary(measurements, cases: [.. QueryMix.Requests.Select(r => r.Name).Append(MixName).Where(options.Measures)]);
        if (options.Baseline is not null || options.BaselineEnv is not null)
        {
            PrintBaseline(measurements, [.. QueryMix.Requests.Select(r => r.Name).Append(MixName).Where(options.Measures)], options);
        }

        return 0;
    }

    private const string BaselineName = "baseline";

    private static Dictionary<string, string> BaselineSettings(string? variable)
    {
        var settings = new Dictionary<string, string> { ["Cache:Enabled"] = "false" };
        if (variable is not null && variable.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
        {
            settings[variable[..equals]] = variable[(equals + 1)..];
        }

        return settings;
    }

    // Ours against the baseline, round by round: the ratio of each round's pair, since both ran in the same minute.
    private static void PrintBaseline(List<Measurement> measurements, IReadOnlyList<string> cases, Options options)
    {
        Console.WriteLine();
        Console.WriteLine($"Ours against the baseline ({options.Baseline ?? "this build"}{(options.BaselineEnv is null ? "" : $" with {options.BaselineEnv}")}), µs CPU/req per round, and ours / baseline:");
        Console.WriteLine();
        Console.WriteLine("| query | rounds: ours / baseline µs | ours / baseline, per round |");
        Console.WriteLine("| --- | --- | --- |");
        foreach (var name in cases)
        {
            var pairs = measurements.Where(m => m.Server == "ours" && m.Case == name)
                .Join(measurements.Where(m => m.Server == BaselineName && m.Case == name), m => m.Round, m => m.Round, (o, b) => (Ours: o.CpuMicrosecondsPerRequest, Baseline: b.CpuMicrosecondsPerRequest))
                .ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {string.Join(", ", pairs.Select(p => $"{p.Ours:0} / {p.Baseline:0}"))} | {string.Join(", ", pairs.Select(p => $"{p.Ours / p.Baseline:0.00}"))} |"));
        }
    }

    private static async Task<Measurement> MeasureAsync(Wrk wrk, Server server, string name, IReadOnlyList<string> files, int round, Options options, CancellationToken token)
    {
        if (options.Settle > TimeSpan.Zero)
        {
            await wrk.RunAsync(server.Process.BaseAddress, files, options.Connections, options.Settle, token);
        }

        var before = server.Process.CpuTime;
        var load = await wrk.RunAsync(server.Process.BaseAddress, files, options.Connections, options.Duration, token);
        var cpu = server.Process.CpuTime - before;
        var measurement = new Measurement(server.Name, name, round, load, cpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-22} {server.Name,-16} {measurement.CpuMicrosecondsPerRequest,7:0} µs CPU/req {load.RequestsPerSecond,8:0} req/s  p50 {load.P50Ms,6:0.00} ms  p99 {load.P99Ms,6:0.00} ms  server CPU {cpu.TotalSeconds / load.Seconds:P0} of a core{(load.Errors > 0 ? $"  ERRORS {load.Errors}" : "")}"));
        return measurement;
    }

    private static void PrintSummary(List<Measurement> measurements, IReadOnlyList<string> cases)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        string Cpu(string server, string name)
        {
            var values = measurements.Where(m => m.Server == server && m.Case == name).Select(m => m.CpuMicrosecondsPerRequest).ToList();
            return values.Count == 1
                ? string.Create(CultureInfo.InvariantCulture, $"{values[0]:0}")
                : string.Create(CultureInfo.InvariantCulture, $"{Median(values):0} ({values.Min():0}-{values.Max():0})");
        }

        double MedianOf(string server, string name, Func<Measurement, double> figure) =>
            Median(measurements.Where(m => m.Server == server && m.Case == name).Select(figure));

        foreach (var failed in measurements.Where(m => m.Load.Errors > 0))
        {
            // A long run is not thrown away for one bad cell, but its figures say so.
            Console.WriteLine($"WARNING: {failed.Server} failed {failed.Load.Errors} requests of '{failed.Case}' in round {failed.Round}: that cell's figures do not compare.");
        }

        var kestrel = MedianOf("Kestrel floor", MixName, m => m.CpuMicrosecondsPerRequest);
        var nodeHttp = MedianOf("node:http floor", MixName, m => m.CpuMicrosecondsPerRequest);
        Console.WriteLine();
        Console.WriteLine("Server CPU per request, median (range) over the rounds; req/s and p50/p99 ms are medians; floors serve the mix's recorded answers.");
        Console.WriteLine();
        Console.WriteLine("| query | ours µs CPU/req | mercurius µs CPU/req | ours / mercurius | ours / Kestrel floor | mercurius / node:http floor | ours req/s | mercurius req/s | ours p50 / p99 ms | mercurius p50 / p99 ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var name in cases)
        {
            var ours = MedianOf("ours", name, m => m.CpuMicrosecondsPerRequest);
            var peer = MedianOf("mercurius", name, m => m.CpuMicrosecondsPerRequest);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Cpu("ours", name)} | {Cpu("mercurius", name)} | {ours / peer:0.00} | {ours / kestrel:0.0} | {peer / nodeHttp:0.0} | {MedianOf("ours", name, m => m.Load.RequestsPerSecond):0} | {MedianOf("mercurius", name, m => m.Load.RequestsPerSecond):0} | {MedianOf("ours", name, m => m.Load.P50Ms):0.00} / {MedianOf("ours", name, m => m.Load.P99Ms):0.00} | {MedianOf("mercurius", name, m => m.Load.P50Ms):0.00} / {MedianOf("mercurius", name, m => m.Load.P99Ms):0.00} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| fixed bytes, no GraphQL (the floor) | Kestrel {Cpu("Kestrel floor", MixName)} | node:http {Cpu("node:http floor", MixName)} | | | | {MedianOf("Kestrel floor", MixName, m => m.Load.RequestsPerSecond):0} | {MedianOf("node:http floor", MixName, m => m.Load.RequestsPerSecond):0} | {MedianOf("Kestrel floor", MixName, m => m.Load.P50Ms):0.00} / {MedianOf("Kestrel floor", MixName, m => m.Load.P99Ms):0.00} | {MedianOf("node:http floor", MixName, m => m.Load.P50Ms):0.00} / {MedianOf("node:http floor", MixName, m => m.Load.P99Ms):0.00} |"));
    }

    private static async Task<byte[]> CheckSameAnswerAsync(string name, byte[] body, ServerProcess ours, ServerProcess peer, CancellationToken token)
    {
        var ourAnswer = await PostAsync(ours, body, token);
        var peerAnswer = await PostAsync(peer, body, token);
        var ourText = Encoding.UTF8.GetString(ourAnswer);
        var peerText = Encoding.UTF8.GetString(peerAnswer);
        if (ourText.Contains("\"errors\"", StringComparison.Ordinal) || !ourText.StartsWith("{\"data\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Our API failed '{name}': {ourText}");
        }

        if (!Answers.Equal(ourText, peerText, out var difference))
        {
            throw new InvalidOperationException($"The peer's answer to '{name}' differs from ours at {difference}\n  ours: {Head(ourText)}\n  peer: {Head(peerText)}");
        }

        Console.WriteLine($"# '{name}': same answer from both ({ourAnswer.Length:N0} bytes from ours, {peerAnswer.Length:N0} from the peer)");
        return ourAnswer;
    }

    private static string Head(string text) => text.Length > 400 ? text[..400] + "…" : text;

    private static async Task<byte[]> PostAsync(ServerProcess server, byte[] body, CancellationToken token)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", "application/graphql-response+json, application/json;q=0.9");
        using var response = await client.SendAsync(request, token);
        var answer = await response.Content.ReadAsByteArrayAsync(token);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{server.BaseAddress} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(answer)}");
        }

        return answer;
    }

    // npm ci installs exactly the lockfile (and builds better-sqlite3's native module); again only when the lockfile
    // changed since the last install.
    private static async Task InstallPeerAsync(string directory, CancellationToken token)
    {
        var marker = Path.Combine(directory, "node_modules", ".package-lock.json");
        var lockfile = Path.Combine(directory, "package-lock.json");
        if (File.Exists(marker) && File.GetLastWriteTimeUtc(marker) >= File.GetLastWriteTimeUtc(lockfile))
        {
            return;
        }

        Console.WriteLine("# installing the peer (npm ci, which compiles better-sqlite3 when no prebuilt binary can be fetched: minutes)");
        var start = new ProcessStartInfo("npm") { WorkingDirectory = directory, UseShellExecute = false };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(TimeSpan.FromMinutes(15));
        try
        {
            await npm.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw;
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {directory} failed with {npm.ExitCode}.");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static string Cpu() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    private static string NodeVersion()
    {
        using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("node did not start.");
        var version = node.StandardOutput.ReadToEnd().Trim();
        node.WaitForExit();
        return version;
    }
}
