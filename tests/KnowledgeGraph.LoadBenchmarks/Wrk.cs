using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace KnowledgeGraph.LoadBenchmarks;

/// <summary>What one wrk run measured: its own counts and latency percentiles.</summary>
internal sealed record WrkResult(long Requests, double Seconds, long Errors, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Requests / Seconds;
}

/// <summary>
/// Drives a server with wrk (one thread, closed loop, a fixed number of connections), POSTing the given request bodies
/// round robin to /graphql. The bodies are read from files by the Lua script, so the bytes sent are exactly the bytes
/// the floors recorded answers for.
/// </summary>
internal sealed class Wrk(string scriptPath, string? cpus)
{
    private const string Script = """
        -- Written by the side-by-side benchmark (SideBySide.cs): POSTs the bodies of the files named after "--".
        local bodies = {}
        local next_body = 0
        function init(args)
          for i, path in ipairs(args) do
            local file = assert(io.open(path, "rb"))
            bodies[i] = file:read("*a")
            file:close()
          end
        end
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        wrk.headers["Accept"] = "application/graphql-response+json, application/json;q=0.9"
        function request()
          next_body = next_body % #bodies + 1
          return wrk.format(nil, "/graphql", nil, bodies[next_body])
        end
        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("KG-RESULT %d %d %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
            e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
        end
        """;

    public static Wrk Create(string directory, string? cpus)
    {
        var path = Path.Combine(directory, "mix.lua");
        File.WriteAllText(path, Script);
        return new Wrk(path, cpus);
    }

    public async Task<WrkResult> RunAsync(Uri baseAddress, IReadOnlyList<string> bodyFiles, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(cpus is null ? "wrk" : "taskset") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var arguments = new List<string>();
        if (cpus is not null)
        {
            arguments.AddRange(["-c", cpus, "wrk"]);
        }

        arguments.AddRange([
            "-t1", $"-c{connections}", $"-d{Math.Max(1, (int)Math.Round(duration.TotalSeconds))}s", "--timeout", "10s",
            "-s", scriptPath, new Uri(baseAddress, "graphql").ToString(), "--",
        ]);
        arguments.AddRange(bodyFiles);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);

        // Bounded: wrk stops itself after the duration; anything much later is a hang.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(duration + TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output;
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("KG-RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk exited with {process.ExitCode} and no result:\n{text}\n{await errors}");
        var n = line["KG-RESULT ".Length..].Split(' ').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new WrkResult(n[0], n[1] / 1e6, n[2] + n[3] + n[4] + n[5] + n[6], n[7] / 1e3, n[8] / 1e3);
    }
}

/// <summary>Answers compared as JSON values: key order and number spelling do not count, anything else does.</summary>
internal static class Answers
{
    public static bool Equal(string left, string right, out string difference)
    {
        using var a = JsonDocument.Parse(left);
        using var b = JsonDocument.Parse(right);
        difference = First(a.RootElement, b.RootElement, "$") ?? string.Empty;
        return difference.Length == 0;
    }

    private static string? First(JsonElement a, JsonElement b, string path)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return $"{path}: {a.ValueKind} {Show(a)} against {b.ValueKind} {Show(b)}";
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var left = a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                var right = b.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
                foreach (var name in left.Keys.Union(right.Keys, StringComparer.Ordinal))
                {
                    if (!left.TryGetValue(name, out var l) || !right.TryGetValue(name, out var r))
                    {
                        return $"{path}.{name}: present on one side only";
                    }

                    if (First(l, r, $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var la = a.EnumerateArray().ToList();
                var ra = b.EnumerateArray().ToList();
                if (la.Count != ra.Count)
                {
                    return $"{path}: {la.Count} items against {ra.Count}";
                }

                for (var i = 0; i < la.Count; i++)
                {
                    if (First(la[i], ra[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Number:
                return a.GetDouble() == b.GetDouble() ? null : $"{path}: {a.GetRawText()} against {b.GetRawText()}";
            case JsonValueKind.String:
                return a.GetString() == b.GetString() ? null : $"{path}: {Show(a)} against {Show(b)}";
            default:
                return null;
        }
    }

    private static string Show(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length > 120 ? text[..120] + "…" : text;
    }
}
