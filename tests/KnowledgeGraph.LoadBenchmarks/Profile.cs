using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KnowledgeGraph.Testing;

namespace KnowledgeGraph.LoadBenchmarks;

/// <summary>
/// Where our server's CPU goes per request (docs/benchmarks.md, "Where the microseconds go"): the API pinned to one
/// core under wrk load of one query at a time, sampled by perf with the runtime's JIT symbol map, with the runtime's
/// own counters (dotnet-counters) for allocations and GC. Each sample is charged to the innermost frame that says what
/// the work is for (a SQLite entry point, the store, a resolver, validation...), skipping frames that only carry it
/// (the runtime's helpers, async machinery, the kernel), so the categories add up to the whole.
/// </summary>
internal static partial class Profile
{
    private const string Mix = "mix";

    public static async Task<int> RunAsync(string[] args)
    {
        var tiered = args.Contains("--tiered");
        var warmUp = TimeSpan.FromSeconds(Number(args, "--warm-up", tiered ? 60 : 15));
        var seconds = Number(args, "--seconds", 20);
        var connections = (int)Number(args, "--connections", 32);
        var names = Value(args, "--queries")?.Split(',') ?? ["point lookup", "two hops + citations"];
        var output = Directory.CreateDirectory(Value(args, "--out") ?? Path.Combine(RepositoryPaths.Root, "artifacts", "profile"));
        foreach (var tool in new[] { "perf", "wrk", "taskset" })
        {
            if (!File.Exists($"/usr/bin/{tool}"))
            {
                Console.Error.WriteLine($"error: {tool} is needed (Debian packages linux-perf, wrk, util-linux).");
                return 2;
            }
        }

        var counters = await DotnetCountersAsync();
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        var token = cancellation.Token;
        var work = Directory.CreateTempSubdirectory("kg-profile-");
        Console.WriteLine($"# profile of the API under wrk ({connections} connections) on CPU 0, wrk on CPU 1; {(tiered ? "tiered compilation (the runtime's default)" : "no tiering: every method fully optimised at first call")}; {warmUp.TotalSeconds:0} s warm-up, {seconds:0} s sampled per query; load average {LoadAverage()}");
        try
        {
            // perf finds JIT-compiled methods through /tmp/perf-<pid>.map; with W^X on, the runtime runs that code from
            // a double mapping perf cannot match to the map, so W^X is off for the profile (and only there).
            // Unless --tiered, every method is compiled once, fully optimised, at its first call (no tiering, no
            // precompiled code, no dynamic PGO): on a shared machine a one-core server can take minutes to tier up,
            // and a profile of half-tiered code shows the JIT's progress, not the code's cost. It also names every
            // frame, where precompiled code would show as its module only.
            var settings = new Dictionary<string, string> { ["Cache:Enabled"] = "false", ["DOTNET_PerfMapEnabled"] = "1", ["DOTNET_EnableWriteXorExecute"] = "0" };
            if (!tiered)
            {
                settings["DOTNET_TieredCompilation"] = "0";
                settings["DOTNET_ReadyToRun"] = "0";
            }

            await using var api = await ServerProcess.StartApiAsync(Path.Combine(work.FullName, "data"), settings, "0");
            var wrk = Wrk.Create(work.FullName, "1");
            foreach (var name in names)
            {
                // "mix": the four queries round robin per connection, as the side-by-side's mix sends them.
                var indexes = name == Mix ? [.. Enumerable.Range(0, QueryMix.Requests.Length)] : new[] { Array.FindIndex(QueryMix.Requests, r => r.Name == name) };
                if (indexes[0] < 0)
                {
                    Console.Error.WriteLine($"error: no query '{name}' in the mix ({string.Join(", ", QueryMix.Requests.Select(r => r.Name))}, or {Mix}).");
                    return 2;
                }

                string[] body = [.. indexes.Select(index => Path.Combine(work.FullName, $"{index}.json"))];
                foreach (var index in indexes)
                {
                    await File.WriteAllTextAsync(body[Array.IndexOf(indexes, index)], QueryMix.Requests[index].Body, token);
                }

                Console.WriteLine($"## {name}");
                await wrk.RunAsync(api.BaseAddress, body, connections, warmUp, token);

                var slug = Regex.Replace(name, "[^a-z0-9]+", "-");
                var perfData = Path.Combine(output.FullName, $"{slug}.perf.data");
                var countersFile = Path.Combine(work.FullName, $"{slug}.csv");
                var cpuBefore = api.CpuTime;
                var load = wrk.RunAsync(api.BaseAddress, body, connections, TimeSpan.FromSeconds(seconds + 2), token);
                await Task.Delay(1000, token);
                await RunAsync("perf", ["record", "-e", "cpu-clock", "-F", "999", "-g", "-o", perfData, "-p", api.Pid.ToString(CultureInfo.InvariantCulture), "--", "sleep", seconds.ToString(CultureInfo.InvariantCulture)], token);
                var result = await load;
                var cpu = api.CpuTime - cpuBefore;
                var cpuPerRequest = cpu.TotalMicroseconds / result.Requests;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {result.RequestsPerSecond:0} req/s, {cpuPerRequest:0} µs CPU/req (server at {cpu.TotalSeconds / result.Seconds:P0} of a core), p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms"));

                // The counters in a load run of their own: attaching them makes the runtime compile and run its event
                // sources and metrics listeners, which the CPU profile above should not see.
                if (counters is not null)
                {
                    var countedLoad = wrk.RunAsync(api.BaseAddress, body, connections, TimeSpan.FromSeconds(seconds + 2), token);
                    await Task.Delay(1000, token);
                    await RunAsync(counters, ["collect", "-p", api.Pid.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime", "--format", "csv", "-o", countersFile, "--refresh-interval", "1", "--duration", TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture)], token);
                    var counted = await countedLoad;
                    if (File.Exists(countersFile))
                    {
                        PrintRuntimeCounters(countersFile, counted.RequestsPerSecond);
                    }
                }

                var script = await RunAsync("perf", ["script", "-i", perfData, "-F", "comm,tid,ip,sym,dso"], token);
                var samples = Samples(script).ToList();
                await File.WriteAllLinesAsync(Path.Combine(output.FullName, $"{slug}.folded"), Folded(samples), token);
                PrintCategories(samples, cpuPerRequest);
                PrintTopFrames(samples);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        Console.WriteLine($"# perf data and folded stacks (for a flame graph) in {output.FullName}; load average {LoadAverage()}");
        return 0;
    }

    private sealed record Frame(string Symbol, string Module)
    {
        public string Name => Symbol == "[unknown]" ? $"[{Path.GetFileName(Module)}]" : Symbol;
    }

    private sealed record Sample(string Thread, IReadOnlyList<Frame> Frames);

    private static IEnumerable<Sample> Samples(string script)
    {
        string? thread = null;
        var frames = new List<Frame>();
        foreach (var raw in script.Split('\n'))
        {
            if (raw.Length == 0)
            {
                if (thread is not null)
                {
                    yield return new Sample(thread, frames);
                }

                thread = null;
                frames = [];
                continue;
            }

            if (!char.IsWhiteSpace(raw[0]))
            {
                // "<comm>  <tid>": the thread's name may hold spaces (".NET TP Worker").
                thread = raw.TrimEnd()[..raw.TrimEnd().LastIndexOf(' ')].Trim();
                continue;
            }

            var line = raw.Trim();
            var space = line.IndexOf(' ');
            var open = line.LastIndexOf(" (", StringComparison.Ordinal);
            if (space < 0 || open < space)
            {
                continue;
            }

            frames.Add(new Frame(line[(space + 1)..open], line[(open + 2)..^1]));
        }

        if (thread is not null)
        {
            yield return new Sample(thread, frames);
        }
    }

    // What a frame is for, by its name (or its module, for precompiled code perf cannot name); null when the frame
    // only carries work for its callers. Tested on each frame from the leaf up; the first answer wins.
    private static readonly (string Category, Regex Pattern)[] Rules =
    [
        ("JIT compiling (warm-up not over)", new(@"libclrjit\.so", RegexOptions.Compiled)),
        ("logging and telemetry", new(@"Microsoft\.Extensions\.Logging|System\.Diagnostics\.(Activity|Metrics|DiagnosticListener|DiagnosticSource)|HostingApplicationDiagnostics|KnowledgeGraph\.Api\.Telemetry|OpenTelemetry|System\.Diagnostics\.DiagnosticSource\.dll|ResolverErrorLogging", RegexOptions.Compiled)),
        ("rate limiting and request guards", new(@"RateLimit|KnowledgeGraph\.Api\.Limits|GraphQLRequestGuard", RegexOptions.Compiled)),
        ("store: JSON of citations, aliases, properties", new(@"KnowledgeGraph\.Store\.Sqlite\.SqliteJson", RegexOptions.Compiled)),
        ("store: Microsoft.Data.Sqlite and our store code", new(@"Microsoft\.Data\.Sqlite|SQLitePCL|KnowledgeGraph\.Store\.Sqlite|Microsoft\.Data\.Sqlite\.dll|SQLitePCLRaw", RegexOptions.Compiled)),
        ("loaders (batching)", new(@"KnowledgeGraph\.Api\.GraphQL\.Loading|GraphQL\.DataLoader", RegexOptions.Compiled)),
        ("resolvers (ours)", new(@"KnowledgeGraph\.Api\.GraphQL\.(Types|QueryType|ResolveContextExtensions|Cursor|GlobalId)", RegexOptions.Compiled)),
        ("document hashing and caches", new(@"DocumentFingerprints|ValidatedDocumentCache|KnowledgeGraph\.Api\.Caching|KnowledgeGraph\.Api\.PersistedOperations|System\.Security\.Cryptography|SHA256|XxHash|MemoryCache", RegexOptions.Compiled)),
        ("validation (GraphQL.NET rules and ours)", new(@"GraphQL\.Validation|QueryCostRule|KnowledgeGraph\.Api\.Security", RegexOptions.Compiled)),
        ("parsing the document", new(@"GraphQLParser\.(Parser|Lexer|ParserContext)", RegexOptions.Compiled)),
        ("result serialisation (JSON writing)", new(@"Utf8JsonWriter|GraphQL\.SystemTextJson\.\w+Converter::Write|GraphQLSerializer::Write|JsonSerializer::Serialize|GraphQL\.SystemTextJson.*Write", RegexOptions.Compiled)),
        ("request reading (JSON)", new(@"Utf8JsonReader|JsonSerializer::Deserialize|GraphQL\.SystemTextJson.*Read|ReadFromJsonAsync", RegexOptions.Compiled)),
        ("execution engine (GraphQL.NET)", new(@"GraphQL\.Execution|GraphQL\.DocumentExecuter|GraphQL\.Resolvers|GraphQL\.Types|GraphQL\.Instrumentation|GraphQL\.Execution|GraphQL\.ExecutionResult|\[GraphQL\]|GraphQL\.dll", RegexOptions.Compiled)),
        ("our GraphQL-over-HTTP transport", new(@"KnowledgeGraph\.Api", RegexOptions.Compiled)),
        ("ASP.NET Core middleware and routing", new(@"Microsoft\.AspNetCore\.(Routing|Http|Builder|Hosting|Authentication|Authorization|WebSockets|Diagnostics|ResponseCompression)|Microsoft\.AspNetCore\.(Routing|Http|Hosting)[\w.]*\.dll", RegexOptions.Compiled)),
        ("Kestrel, pipelines and sockets (HTTP)", new(@"Kestrel|System\.IO\.Pipelines|System\.Net\.Sockets|System\.Net\.Http\.Headers|System\.IO\.Pipelines\.dll|System\.Net\.Sockets\.dll", RegexOptions.Compiled)),
    ];

    // System.Text.Json reads and writes for whoever called it: under the store, it is the store's JSON (citations,
    // aliases and properties read from their columns, keys written as a parameter), not the request's or the result's.
    private static string OwnerOfJson(string category, IReadOnlyList<Frame> frames, int at)
    {
        if (category is not ("request reading (JSON)" or "result serialisation (JSON writing)"))
        {
            return category;
        }

        for (var i = at + 1; i < frames.Count; i++)
        {
            var name = Short(frames[i].Name);
            if (name.Contains("KnowledgeGraph.Store.Sqlite.SqliteJson::Read", StringComparison.Ordinal))
            {
                return "store: JSON of citations, aliases, properties";
            }

            if (name.Contains("KnowledgeGraph.Store.Sqlite", StringComparison.Ordinal))
            {
                return "store: Microsoft.Data.Sqlite and our store code";
            }
        }

        return category;
    }

    // The bundled SQLite has no frame pointers, so perf sees only the function a sample fell in, not who called it:
    // the phase is told from the function's name (SQLite's own source names): the parser, name resolution and code
    // generation of sqlite3_prepare, and the freeing of a finished statement's program, against everything else, which
    // runs a statement (the VDBE, b-trees, pages, json_each). Allocation serves both.
    private static readonly Regex SqliteCompile = new(
        @"^(sqlite3(RunParser|Parser\w*|GetToken|Prepare\w*|LockAndPrepare|Init\w*|Select\w*|Where\w*|Expr\w*|Resolve\w*|Locate\w*|Find\w*|Src\w*|Code\w*|Walk\w*|GenerateColumnNames|Db(Span|Str|StrN)Dup|TableLock|PExpr|IdList\w*|JoinType|Fix\w*|SchemaToIndex|StrICmp|ColumnsFromExprList|MatchEName|ColumnIndex|IndexAffinityStr|AffinityType|KeyInfo\w*|OpenTable|TableAffinity|ParserAddCleanup|NestedParse|AuthCheck|ViewGetColumnNames|IsReadOnly|VdbeDelete|VdbeClearObject|_finalize|VdbeFinalize|DeleteTable|ParseObject\w*|Vdbe(AddOp\w*|ChangeP\w*|ResolveLabel|MakeLabel|MakeReady|Create|SetColName|SetNumCols|Goto|LoadString|AddFunctionCall|Comment|ExplainParent|UsesBtree|SetP4KeyInfo|ChangeOpcode|JumpHere\w*|CurrentAddr|GetOp|GetLastOp|AppendP4|Explain\w*|ReusesBtree|ChangeToNoop|TypeofColumn|DeletePriorOpcode|ScanStatus\w*|Prepare\w*))|yy\w*|walk\w*|keywordCode|getToken|resolve\w*|lookupName|select\w*|where\w*|expr\w*|code\w*|disableTerm|multiSelect\w*|pushDownWhereTerms|flattenSubquery|substExpr\w*|generateColumnNames|computeLimitRegisters|innerLoopLoadRow|columnTypeImpl|agginfo\w*|havingToWhere\w*|isSelfJoinView|analyze\w*|translateColumnToCopy|freeP4|vdbeFreeOpArray|clearSelect|exprListDeleteNN|whereInfoFree|whereLoop\w*|tokenExpr|parserDoubleLinkSelect|addWhereTerm|findElementWithHash|sqlite3HashFind|strHash|sqlite3_prepare\w*)$",
        RegexOptions.Compiled);

    private static readonly Regex SqliteMemory = new(
        @"^(sqlite3(DbMalloc\w*|Malloc\w*|_free|DbFree\w*|Realloc\w*|DbRealloc|MemSize|DbNNFreeNN|_malloc\w*|_realloc\w*|DbMallocZero)|dbMallocRawFinish|mallocWithAlarm|measureAllocationSize|lookasideMallocSize)$",
        RegexOptions.Compiled);

    private static (string Category, string Frame) Categorise(Sample sample)
    {
        var frames = sample.Frames;
        if (sample.Thread.StartsWith(".NET Tiered Com", StringComparison.Ordinal))
        {
            return ("JIT compiling (warm-up not over)", sample.Thread);
        }

        // A thread being switched in or out, whoever asked for the wait: a lever of its own (fewer threads, fewer
        // wake-ups), so it is not charged to the waiting code.
        if (frames.Count > 0 && frames[0].Module.Contains("kernel", StringComparison.Ordinal) && ThreadSwitch().IsMatch(frames[0].Symbol))
        {
            return ("kernel: switching threads (waits, wake-ups, yields)", frames[0].Symbol);
        }

        for (var i = 0; i < frames.Count; i++)
        {
            // The method's own name and module only: a parameter's type says nothing about what the method does.
            var text = $"{Short(frames[i].Name)} {frames[i].Module}";
            if (frames[i].Module.Contains("libe_sqlite3", StringComparison.Ordinal))
            {
                var name = frames[i].Symbol;
                return (SqliteCompile.IsMatch(name) ? "SQLite: compiling statements, freeing them"
                    : SqliteMemory.IsMatch(name) ? "SQLite: memory allocation (both phases)"
                    : "SQLite: running statements", name);
            }

            foreach (var (category, pattern) in Rules)
            {
                if (pattern.IsMatch(text))
                {
                    return (OwnerOfJson(category, frames, i), Short(frames[i].Name));
                }
            }
        }

        var leaf = frames.Count > 0 ? Short(frames[0].Name) : "(no frames)";
        return frames.Count > 0 && frames.All(f => f.Module.Contains("kernel", StringComparison.Ordinal)) ? ("kernel only (scheduling, interrupts)", leaf)
            : frames.Any(f => f.Module.Contains("libcoreclr", StringComparison.Ordinal)) ? ("runtime, no managed caller named (GC, thread pool, stubs)", leaf)
            : ("other", leaf);
    }

    private static void PrintCategories(List<Sample> samples, double cpuPerRequest)
    {
        Console.WriteLine($"  {samples.Count} samples; share of the server's CPU and µs per request, by what the work was for:");
        Console.WriteLine("  | what | share | µs/req |");
        Console.WriteLine("  | --- | ---: | ---: |");
        var categorised = samples.Select(Categorise).ToList();
        var groups = categorised.GroupBy(c => c.Category).OrderByDescending(g => g.Count()).ToList();
        foreach (var group in groups)
        {
            var share = (double)group.Count() / samples.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  | {group.Key} | {share:P1} | {share * cpuPerRequest:0.0} |"));
        }

        // What decided each of the larger categories: the frames that were charged.
        Console.WriteLine("  the frames each category was charged by (top 4 of the categories over 2 %):");
        foreach (var group in groups.Where(g => g.Count() >= samples.Count * 0.02))
        {
            Console.WriteLine($"    {group.Key}:");
            foreach (var frame in group.GroupBy(c => c.Frame).OrderByDescending(f => f.Count()).Take(4))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"      {(double)frame.Count() / samples.Count,6:P1}  {frame.Key}"));
            }
        }
    }

    private static void PrintTopFrames(List<Sample> samples)
    {
        Console.WriteLine("  hottest frames (self time, top 15):");
        foreach (var group in samples.Where(s => s.Frames.Count > 0).GroupBy(s => Short(s.Frames[0].Name)).OrderByDescending(g => g.Count()).Take(15))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {(double)group.Count() / samples.Count,6:P1}  {group.Key}"));
        }
    }

    // "instance void [GraphQL] GraphQL.Validation.X::Y(args)[OptimizedTier1]" -> "GraphQL.Validation.X::Y [OptimizedTier1]"
    private static string Short(string name)
    {
        var match = ManagedName().Match(name);
        var text = match.Success ? $"{match.Groups["method"].Value} {match.Groups["tier"].Value}".Trim() : name;
        return text.Length > 150 ? text[..150] + "…" : text;
    }

    [GeneratedRegex(@"^(finish_task_switch|__schedule|schedule\w*|__sched_yield|do_sched_yield|__x64_sys_sched_yield)")]
    private static partial Regex ThreadSwitch();

    [GeneratedRegex(@"\] (?<method>[^\[\]\s(]+(\[[^\]]*\])?[^\s(]*)\(.*\)(?<tier>\[\w+\])?$")]
    private static partial Regex ManagedName();

    private static IEnumerable<string> Folded(List<Sample> samples) =>
        samples.Where(s => s.Frames.Count > 0)
            .GroupBy(s => string.Join(';', s.Frames.Reverse().Select(f => Short(f.Name).Replace(';', ','))))
            .Select(g => $"{g.Key} {g.Count()}");

    // dotnet-counters' System.Runtime meter: allocated bytes and collections per interval, GC pause time.
    private static void PrintRuntimeCounters(string csv, double requestsPerSecond)
    {
        var rows = File.ReadLines(csv).Skip(1).Select(l => l.Split(','))
            .Where(r => r.Length >= 5 && double.TryParse(r[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(r => (Name: string.Join(',', r[2..^2]), Value: double.Parse(r[^1], NumberStyles.Float, CultureInfo.InvariantCulture)))
            .ToList();
        double Rate(string prefix)
        {
            var values = rows.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r.Value).ToList();
            return values.Count == 0 ? double.NaN : values.Average();
        }

        // Each value is an increment over one 1 s interval.
        var allocated = Rate("dotnet.gc.heap.total_allocated");
        var gen0 = Rate("dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen0]");
        var gen1 = Rate("dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen1]");
        var gen2 = Rate("dotnet.gc.collections ({collection} / 1 sec)[gc.heap.generation=gen2]");
        var pause = Rate("dotnet.gc.pause.time");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated {allocated / requestsPerSecond / 1024:0.0} KiB/req; per 1,000 requests: {gen0 * 1000 / requestsPerSecond:0.0} gen0, {gen1 * 1000 / requestsPerSecond:0.00} gen1, {gen2 * 1000 / requestsPerSecond:0.00} gen2 collections; GC paused {pause:P1} of the time ({pause * 1e6 / requestsPerSecond:0.0} µs/req)"));
    }

    private static async Task<string?> DotnetCountersAsync()
    {
        var tools = Path.Combine(RepositoryPaths.Root, "artifacts", "tools");
        var path = Path.Combine(tools, "dotnet-counters");
        if (!File.Exists(path))
        {
            Console.WriteLine("# installing dotnet-counters into artifacts/tools (a dotnet tool from NuGet)");
            try
            {
                await RunAsync("dotnet", ["tool", "install", "dotnet-counters", "--tool-path", tools, "--version", "10.0.750501"], CancellationToken.None);
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine($"# no dotnet-counters, so no allocation figures: {e.Message}");
                return null;
            }
        }

        return path;
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> arguments, CancellationToken token)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(token);
        var errors = process.StandardError.ReadToEndAsync(token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await errors}");
        }

        return await output;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static double Number(string[] args, string name, double fallback) =>
        Value(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
