using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Benchmarks;
using KnowledgeGraph.Robustness;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;

// dotnet run -c Release --project tests/KnowledgeGraph.Robustness [-- --entities 200000 --seconds 15 --only memory,connections,fairness,faults --gc workstation|limit=MiB|conserve=N --env NAME=VALUE --gcdump FILE]
// Starts the API's Release build (its own data folders, its own redis-server, descriptor limit 1,024), all on
// 127.0.0.1, drives the attacks and faults of issue 9 and prints what held. Every loop is bounded in count and time.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var entities = Option("--entities", 200_000);
var seconds = Option("--seconds", 15);
// --only takes one part or several, comma-separated: memory, connections, fairness, faults.
var only = OptionText("--only")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
bool Runs(string part) => only is null || only.Contains(part, StringComparer.Ordinal);
var gc = OptionText("--gc");
var work = Directory.CreateTempSubdirectory("kg-robust-");
Console.WriteLine($"# KnowledgeGraph robustness run: {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"# {entities:N0} synthetic entities; fairness windows of {seconds} s; API descriptor limit 1,024");
var held = new List<(string Check, bool Held, string Figure)>();
try
{
    var large = Path.Combine(work.FullName, "large");
    var graph = await ImportSyntheticAsync(large, entities);
    var settings = new Dictionary<string, string> { ["Limits:RateLimit:Enabled"] = "false" };
    if (OptionText("--env") is { } variable && variable.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals)
    {
        // One more environment variable for the API (MALLOC_ARENA_MAX=2, say), to see what moves its memory.
        settings[variable[..equals]] = variable[(equals + 1)..];
    }

    if (gc == "workstation")
    {
        settings["DOTNET_gcServer"] = "0";
    }
    else if (gc is { } conserve && conserve.StartsWith("conserve=", StringComparison.Ordinal))
    {
        // How hard the GC works to give memory back (0-9): at 5 and above it compacts the large-object heap when it fragments.
        settings["DOTNET_GCConserveMemory"] = conserve[9..];
    }
    else if (gc is { } limit && limit.StartsWith("limit=", StringComparison.Ordinal))
    {
        // A hard GC heap limit (MiB): the process dies if what it keeps alive does not fit, whatever the RSS shows.
        settings["DOTNET_GCHeapHardLimit"] = "0x" + (long.Parse(limit[6..], CultureInfo.InvariantCulture) * 1024 * 1024).ToString("X", CultureInfo.InvariantCulture);
    }

    await using (var api = await ApiProcess.StartAsync(large, settings))
    {
        if (Runs("memory"))
        {
            await MemoryAsync(api, held, OptionText("--gcdump"));
        }

        if (Runs("connections"))
        {
            await ConnectionsAsync(api, held);
        }

        if (Runs("fairness"))
        {
            // Run after the memory attacks by default, with the caches full, as a service under attack would be.
            await FairnessAsync(api, graph, seconds, held);
        }
    }

    if (Runs("faults"))
    {
        await RedisFaultsAsync(Path.Combine(work.FullName, "faults"), held);
    }
}
finally
{
    Directory.Delete(work.FullName, recursive: true);
}

Console.WriteLine();
Console.WriteLine("| check | held | figure |");
Console.WriteLine("| --- | --- | --- |");
foreach (var (check, ok, figure) in held)
{
    Console.WriteLine($"| {check} | {(ok ? "yes" : "NO")} | {figure} |");
}

return held.All(h => h.Held) ? 0 : 1;

// Where the resident memory sits, by kind of mapping (/proc/<pid>/smaps): the GC's regions are anonymous, the JIT's
// code is double-mapped from a memfd, SQLite's page caches and glibc's arenas are anonymous too.
static void PrintMappings(int pid)
{
    var kinds = new Dictionary<string, long>();
    var kind = "";
    foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
        {
            var name = fields.Length >= 6 ? string.Join(' ', fields[5..]) : "[anonymous]";
            kind = name.StartsWith('/') ? (name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal) ? "shared libraries" : name.EndsWith(".dll", StringComparison.Ordinal) ? "assemblies" : name.StartsWith("/memfd", StringComparison.Ordinal) ? "JIT code (memfd)" : Path.GetFileName(name)) : name;
        }
        else if (fields.Length >= 2 && fields[0] == "Rss:")
        {
            kinds[kind] = kinds.GetValueOrDefault(kind) + long.Parse(fields[1], CultureInfo.InvariantCulture);
        }
    }

    Console.WriteLine("resident memory by mapping: " + string.Join(", ", kinds.OrderByDescending(k => k.Value).Take(6).Select(k => $"{k.Key} {k.Value / 1024.0:F0} MiB")));
}

// What each in-process cache holds of its budget, as the API's own gauges say.
static async Task<string> CachesAsync(HttpClient client)
{
    var lines = (await client.GetStringAsync(new Uri("metrics", UriKind.Relative))).Split('\n');
    string Value(string metric, string cache) => lines
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) && line.Contains($"kg_cache=\"{cache}\"", StringComparison.Ordinal))
        .Select(line => (double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) / (1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture))
        .FirstOrDefault() ?? "n/a";
    string[] caches = ["responses", "documents", "persisted_queries", "fingerprints", "key_lookups"];
    return string.Join(", ", caches
        .Select(cache => $"{cache} {Value("kg_cache_memory_bytes", cache)} of {Value("kg_cache_memory_limit_bytes", cache)} MiB"));
}

// What the GC has done so far (from /metrics): its pauses in ms (dotnet.gc.pause.time), the bytes allocated and the
// collections of each generation. Read before and after a window, what happened in it.
static async Task<GcSnapshot> GcAsync(HttpClient client)
{
    var lines = (await client.GetStringAsync(new Uri("metrics", UriKind.Relative))).Split('\n');
    double Sum(string metric, string? label = null) => lines
        .Where(line => line.StartsWith(metric, StringComparison.Ordinal) && (line.Length > metric.Length && line[metric.Length] is ' ' or '{') && (label is null || line.Contains(label, StringComparison.Ordinal)))
        .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    return new GcSnapshot(
        Sum("dotnet_gc_pause_time_seconds_total") * 1000,
        Sum("dotnet_gc_heap_total_allocated_bytes_total"),
        [(int)Sum("dotnet_gc_collections_total", "\"gen0\""), (int)Sum("dotnet_gc_collections_total", "\"gen1\""), (int)Sum("dotnet_gc_collections_total", "\"gen2\"")]);
}

static async Task GcDumpAsync(int pid, string path)
{
    foreach (var arguments in new[] { $"collect -p {pid} -o {path}", $"report {path}" })
    {
        var start = new ProcessStartInfo("dotnet-gcdump", arguments) { RedirectStandardOutput = true };
        using var tool = Process.Start(start) ?? throw new InvalidOperationException("dotnet-gcdump did not start.");
        var output = await tool.StandardOutput.ReadToEndAsync();
        await tool.WaitForExitAsync();
        Console.WriteLine(string.Join('\n', output.Split('\n').Take(45)));
    }
}

static async Task<SyntheticGraph> ImportSyntheticAsync(string directory, int entities)
{
    var clock = Stopwatch.StartNew();
    var graph = new SyntheticGraph(entities, entities * 3L);
    var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = directory });
    var result = await store.ImportAsync(new GraphImport(graph.Sources, graph.Entities().ToAsyncEnumerable(), graph.Relationships().ToAsyncEnumerable(), _ => { }), CancellationToken.None);
    Console.WriteLine($"imported {result.Entities:N0} entities and {result.Relationships:N0} relationships in {clock.Elapsed.TotalSeconds:F0} s");
    return graph;
}

// 500 distinct large alias queries, then 500 automatic-persisted-query registrations of 200 KiB documents (over
// PersistedOperations:MaxDocumentBytes: refused) and 500 of the largest documents it admits (64 KiB, valid: kept
// within PersistedOperations:MemoryBytes).
static async Task MemoryAsync(ApiProcess api, List<(string, bool, string)> held, string? dump)
{
    using var client = Client(IPAddress.Loopback, api);
    await PostAsync(client, "{ entities(first: 5) { totalCount } }");
    await Task.Delay(1000);
    var before = api.RssMiB;
    PrintMappings(api.Id);
    var heapBefore = await GcHeapMiBAsync(client);
    long bytes = 0;
    var cached = 0;
    for (var i = 0; i < 500; i++)
    {
        // Within every limit (cost, aliases, fields): twenty aliases of one page, a new document each time.
        var query = "{ " + string.Join(' ', Enumerable.Range(0, 20).Select(a => $"q{i}a{a}: entities(first: 100) {{ edges {{ node {{ key name description(lang: FR) }} }} }}")) + " }";
        var (status, body, _) = await PostAsync(client, query);
        bytes += body.Length;
        cached += status == HttpStatusCode.OK ? 1 : 0;
    }

    var afterAnswers = api.RssMiB;
    var heapAnswers = await GcHeapMiBAsync(client);
    async Task<Dictionary<int, int>> RegisterAsync(int paddingBytes, string tag)
    {
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < 500; i++)
        {
            var head = $"# {tag} {i} ";
            var tail = "\n{ entity(key: \"whatsapp\") { name } }";
            var query = head + new string('x', paddingBytes - head.Length - tail.Length) + tail;
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
            var body = JsonSerializer.Serialize(new { query, extensions = new { persistedQuery = new { version = 1, sha256Hash = hash } } });
            var (status, _, _) = await PostRawAsync(client, body);
            statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;
        }

        return statuses;
    }

    var oversize = await RegisterAsync(200 * 1024, "oversize");
    var afterOversize = api.RssMiB;
    var largest = await RegisterAsync(64 * 1024 - 64, "largest");
    var after = api.RssMiB;
    var heapAfter = await GcHeapMiBAsync(client);
    PrintMappings(api.Id);
    Console.WriteLine("caches (kg_cache_memory_bytes of kg_cache_memory_limit_bytes): " + await CachesAsync(client));
    if (dump is not null)
    {
        // What is alive at the end, by type (dotnet-gcdump, a global dotnet tool, must be installed).
        await GcDumpAsync(api.Id, dump);
    }

    static string Statuses(Dictionary<int, int> statuses) => string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Value} answered {p.Key}"));
    Console.WriteLine($"memory: RSS {before:F0} MiB (GC heap {heapBefore}) -> {afterAnswers:F0} MiB (GC heap {heapAnswers}) after 500 answers of {bytes / 500 / 1024} KiB on average ({cached} answered 200) -> {afterOversize:F0} MiB after 500 APQ registrations of 200 KiB ({Statuses(oversize)}) -> {after:F0} MiB (GC heap {heapAfter}) after 500 of 64 KiB ({Statuses(largest)})");
    held.Add(("500 distinct large answers: RSS growth < 128 MiB (response cache budget)", afterAnswers - before < 128, $"+{afterAnswers - before:F0} MiB for {cached} answers of {bytes / 500 / 1024} KiB (GC heap {heapBefore} -> {heapAnswers})"));
    held.Add(("+ 500 APQ registrations of 200 KiB and 500 of 64 KiB: RSS growth < 128 MiB in all (APQ size limit and budget)", after - before < 128, $"200 KiB: {Statuses(oversize)}; 64 KiB: {Statuses(largest)}; +{after - afterAnswers:F0} MiB APQ, +{after - before:F0} MiB in all (GC heap {heapAfter})"));
}

// The managed heap as the runtime's metrics at /metrics report it (the sum of the generations' sizes after the last
// collection), in MiB; "n/a" when the metric is not there.
static async Task<string> GcHeapMiBAsync(HttpClient client)
{
    try
    {
        var text = await client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        var values = text.Split('\n')
            .Where(line => line.StartsWith("dotnet_gc_last_collection_heap_size_bytes", StringComparison.Ordinal))
            .Select(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .ToList();
        return values.Count == 0 ? "n/a" : $"{values.Sum() / (1024 * 1024):F0} MiB";
    }
    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or FormatException)
    {
        return "n/a";
    }
}

// 1,000 idle sockets from 20 addresses against a process limited to 1,024 descriptors.
static async Task ConnectionsAsync(ApiProcess api, List<(string, bool, string)> held)
{
    var sockets = new List<Socket>();
    var failed = 0;
    for (var i = 0; i < 1000; i++)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.2.{2 + (i % 20)}"), 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, api.Port));
            sockets.Add(socket);
        }
        catch (SocketException)
        {
            failed++;
            socket.Dispose();
        }
    }

    await Task.Delay(2000);
    var open = sockets.Count(s => !(s.Poll(0, SelectMode.SelectRead) && s.Available == 0));
    using var client = Client(IPAddress.Loopback, api);
    var during = await HealthAsync(client);
    foreach (var socket in sockets)
    {
        socket.Dispose();
    }

    await Task.Delay(2000);
    var after = await HealthAsync(client);
    var alive = api.IsAlive;
    Console.WriteLine($"connections: 1000 idle sockets, {open} still open after 2 s (others refused or closed), {failed} failed to connect; a request meanwhile: {during}; after closing them: {after}; process alive: {alive}");
    held.Add(("1,000 idle connections at 1,024 descriptors: process survives, service resumes", alive && after == HttpStatusCode.OK, $"{open} held open, {1000 - open - failed} refused; a new connection during the flood: {(during == 0 ? "refused" : ((int)during).ToString(CultureInfo.InvariantCulture))}, after: {(int)after}"));
}

// Normal clients' p99, alone and beside 16 clients running the most expensive queries the limits allow.
static async Task FairnessAsync(ApiProcess api, SyntheticGraph graph, int seconds, List<(string, bool, string)> held)
{
    var words = graph.Entities().Take(400).SelectMany(e => e.Name.En.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length > 3).Distinct().ToArray();
    using var metrics = Client(IPAddress.Loopback, api);
    await HeavyProfileAsync(api, graph, words, metrics);
    // The heavy clients cycle through every HeavyQuery but the cheap one (4, a page by name from the end).
    int[] cycle = [0, 1, 2, 3, 5];
    var gcBefore = await GcAsync(metrics);
    var alone = await NormalAsync(api, graph, TimeSpan.FromSeconds(seconds), CancellationToken.None);
    var gcAlone = (await GcAsync(metrics)).Since(gcBefore);
    using var stop = new CancellationTokenSource();
    var admitted = 0;
    var refused = 0;
    var other = 0;
    long heavyTicks = 0;
    var statuses = new Dictionary<int, int>();
    var heavy = Enumerable.Range(0, 16).Select(h => Task.Run(async () =>
    {
        using var client = Client(IPAddress.Parse($"127.0.3.{10 + h}"), api);
        var random = new Random(h);
        var deadline = DateTime.UtcNow.AddSeconds(seconds + 30);
        for (var i = 0; !stop.IsCancellationRequested && DateTime.UtcNow < deadline && i < 100_000; i++)
        {
            var (_, query, variables) = HeavyQuery(cycle[i % cycle.Length], graph, words, random);
            var started = Stopwatch.GetTimestamp();
            var (status, _, _) = await PostAsync(client, query, variables);
            if (status == HttpStatusCode.OK)
            {
                Interlocked.Add(ref heavyTicks, Stopwatch.GetElapsedTime(started).Ticks);
            }

            if (status != HttpStatusCode.OK && status != HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref other);
                lock (statuses)
                {
                    statuses[(int)status] = statuses.GetValueOrDefault((int)status) + 1;
                }
            }
            else if (status == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref refused);
                await Task.Delay(200);
            }
            else
            {
                Interlocked.Increment(ref admitted);
            }
        }
    })).ToArray();
    await Task.Delay(2000);
    var gcStart = await GcAsync(metrics);
    var beside = await NormalAsync(api, graph, TimeSpan.FromSeconds(seconds), CancellationToken.None);
    var gcBeside = (await GcAsync(metrics)).Since(gcStart);
    await stop.CancelAsync();
    await Task.WhenAll(heavy);
    var ratio = beside.P99 / Math.Max(alone.P99, 0.001);
    Console.WriteLine($"fairness: normal p50/p99 alone {alone.P50:F1}/{alone.P99:F1} ms ({alone.Count} requests); beside 16 heavy clients {beside.P50:F1}/{beside.P99:F1} ms ({beside.Count} requests); heavy answered 200 {admitted} (mean {TimeSpan.FromTicks(heavyTicks / Math.Max(1, admitted)).TotalMilliseconds:F0} ms), other statuses {other} ({string.Join(", ", statuses.Select(p => $"{p.Key}: {p.Value}"))}), refused 429 {refused}; GC in the window alone: {gcAlone}; beside: {gcBeside}");
    held.Add(("16 heavy clients: normal clients' p99 within 3x", ratio <= 3, $"p99 {alone.P99:F1} ms alone, {beside.P99:F1} ms beside them ({ratio:F2}x); heavy: {admitted} answered 200, {other} other, {refused} refused 429"));
}

// The most expensive query each root allows: search's largest page (50), a name scan that finds nothing with the
// largest page (100), a path of the most hops (6) between random ends, an order by degree, a filter on neighbours of
// one kind; every one admitted by the limits. A page by name from the end is cheap, for comparison.
static (string Name, string Query, object Variables) HeavyQuery(int which, SyntheticGraph graph, string[] words, Random random)
{
    var text = string.Join(' ', Enumerable.Range(0, 16).Select(_ => words[random.Next(words.Length)]));
    return which switch
    {
        0 => ("16-word search", "query($t: String!) { search(text: $t, first: 50) { score entity { key } } }", new { t = text }),
        1 => ("name scan", "query($t: String!) { entities(where: { name: { contains: $t } }, first: 100) { totalCount edges { node { key } } } }", new { t = "zq" + text[..8] }),
        // Page sizes vary (under the large page) so that the response cache does not answer the repeats.
        3 => ("most connected first", "query($n: Int!) { entities(orderBy: [{ field: DEGREE, direction: DESC }], first: $n) { edges { node { key } } } }", new { n = random.Next(10, 49) }),
        4 => ("by name, last page", "query($n: Int!) { entities(orderBy: [{ field: NAME }], last: $n) { totalCount edges { node { key } } } }", new { n = random.Next(10, 49) }),
        5 => ("neighbours of a kind", "query($n: Int!) { entities(where: { related: { type: OWNS, node: { kind: { in: [PERSON] } } } }, first: $n) { totalCount edges { node { key } } } }", new { n = random.Next(10, 49) }),
        _ => ("6-hop path", "query($from: String!, $to: String!) { path(from: $from, to: $to, maxHops: 6) { length steps { to { key } } } }", new { from = graph.KeyOf(random.Next(graph.EntityCount)).Value, to = graph.KeyOf(random.Next(graph.EntityCount)).Value }),
    };
}

// What one heavy query of each kind costs alone, one after another: time and what the GC saw, per request.
static async Task HeavyProfileAsync(ApiProcess api, SyntheticGraph graph, string[] words, HttpClient metrics)
{
    using var client = Client(IPAddress.Parse("127.0.3.200"), api);
    const int Each = 6;
    for (var which = 0; which < 6; which++)
    {
        var random = new Random(77 + which);
        var before = await GcAsync(metrics);
        var started = Stopwatch.GetTimestamp();
        var name = "";
        var ok = 0;
        for (var i = 0; i < Each; i++)
        {
            (name, var query, var variables) = HeavyQuery(which, graph, words, random);
            ok += (await PostAsync(client, query, variables)).Status == HttpStatusCode.OK ? 1 : 0;
        }

        var gc = (await GcAsync(metrics)).Since(before);
        Console.WriteLine($"heavy alone, {name}: {Each} requests ({ok} answered 200), {Stopwatch.GetElapsedTime(started).TotalMilliseconds / Each:F0} ms and {(gc.Counted ? $"{gc.AllocatedBytes / Each / (1024 * 1024):F1} MiB" : "an uncounted amount")} allocated each; GC {gc}");
    }
}

static async Task<(double P50, double P99, int Count)> NormalAsync(ApiProcess api, SyntheticGraph graph, TimeSpan duration, CancellationToken cancellationToken)
{
    var latencies = new List<double>();
    var deadline = DateTime.UtcNow + duration;
    var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
    {
        using var client = Client(IPAddress.Parse($"127.0.4.{10 + c}"), api);
        var random = new Random(1000 + c);
        var mine = new List<double>();
        for (var i = 0; DateTime.UtcNow < deadline && i < 1_000_000; i++)
        {
            var key = graph.KeyOf(random.Next(graph.EntityCount)).Value;
            var started = Stopwatch.GetTimestamp();
            await PostAsync(client, "query($k: String!) { entity(key: $k) { key name description(lang: EN) } }", new { k = key });
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        lock (latencies)
        {
            latencies.AddRange(mine);
        }
    }, cancellationToken)).ToArray();
    await Task.WhenAll(clients);
    latencies.Sort();
    return (latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], latencies.Count);
}

// Redis killed and restarted with its data, killed and restarted empty, and the writer partitioned then healed.
static async Task RedisFaultsAsync(string data, List<(string, bool, string)> held)
{
    await using var redis = new RedisProcess();
    await redis.StartAsync(keepData: false);
    await using var proxy = SwallowingProxy.To(redis.Port);
    Directory.CreateDirectory(data);
    var partner = await ApiProcess.CliAsync(data, "keys", "create", "--name", "robustness", "--role", "partner");
    Dictionary<string, string> Settings(int port) => new()
    {
        ["Redis:Configuration"] = $"127.0.0.1:{port},abortConnect=false",
        ["Limits:RateLimit:Enabled"] = "false",
    };
    await using var writer = await ApiProcess.StartAsync(data, Settings(proxy.Port));
    await using var reader = await ApiProcess.StartAsync(data, Settings(redis.Port));
    using var toWriter = Client(IPAddress.Loopback, writer);
    using var toReader = Client(IPAddress.Loopback, reader);
    var version = 0;

    async Task<string> WriteAsync()
    {
        version++;
        var input = new
        {
            key = "robust-briar",
            kind = "APP",
            name = new { en = "Robust Briar", fr = "Robust Briar" },
            description = new { en = $"version {version}", fr = $"version {version}" },
            citations = new[] { new { source = "whatsapp-privacy-exodus-2021", excerpt = "les rivaux de WhatsApp", start = 522, end = 544 } },
        };
        var (status, body, _) = await PostAsync(toWriter, "mutation($input: EntityInput!) { upsertEntity(input: $input) { changed } }", new { input }, partner);
        return status == HttpStatusCode.OK && body.Contains("\"changed\":true", StringComparison.Ordinal) ? $"version {version}" : throw new InvalidOperationException($"The write failed: {body}");
    }

    static async Task<string?> ReadAsync(HttpClient client)
    {
        var (_, body, _) = await PostAsync(client, "{ entity(key: \"robust-briar\") { description(lang: EN) } }");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").GetProperty("entity") is { ValueKind: JsonValueKind.Object } entity ? entity.GetProperty("description").GetString() : null;
    }

    // Both instances cache the current version (the second read of each is a hit).
    async Task CacheBothAsync(string expected)
    {
        for (var i = 0; i < 200 && (await ReadAsync(toWriter) != expected || await ReadAsync(toReader) != expected); i++)
        {
            await Task.Delay(50);
        }
    }

    // Reads both instances every 50 ms for the given time: how many stale answers, and the last one's time after the write.
    static async Task<(int Stale, double LastStaleMs)> WatchAsync(HttpClient[] clients, string expected, Stopwatch sinceAck, TimeSpan duration)
    {
        var stale = 0;
        var last = 0.0;
        var until = sinceAck.Elapsed + duration;
        while (sinceAck.Elapsed < until)
        {
            foreach (var client in clients)
            {
                if (await ReadAsync(client) != expected)
                {
                    stale++;
                    last = sinceAck.Elapsed.TotalMilliseconds;
                }
            }

            await Task.Delay(50);
        }

        return (stale, last);
    }

    async Task FaultAsync(string name, Func<Task> fault, Func<Task> heal)
    {
        var current = await WriteAsync();
        await CacheBothAsync(current);
        await fault();
        var timer = Stopwatch.StartNew();
        var expected = await WriteAsync();
        var writeMs = timer.Elapsed.TotalMilliseconds;
        var sinceAck = Stopwatch.StartNew();
        var ownRead = await ReadAsync(toWriter) == expected;
        var during = await WatchAsync([toWriter, toReader], expected, sinceAck, TimeSpan.FromSeconds(3));
        await heal();
        var afterHeal = await WatchAsync([toWriter, toReader], expected, sinceAck, TimeSpan.FromSeconds(3));
        await using var later = await ApiProcess.StartAsync(data, Settings(redis.Port));
        using var toLater = Client(IPAddress.Loopback, later);
        var laterFresh = await ReadAsync(toLater) == expected && await ReadAsync(toLater) == expected;
        var lastStale = Math.Max(during.LastStaleMs, afterHeal.LastStaleMs);
        Console.WriteLine($"{name}: write took {writeMs:F0} ms; writer read its own write: {ownRead}; stale answers {during.Stale} during the fault, {afterHeal.Stale} after it (last {lastStale:F0} ms after the ack); instance started after: fresh {laterFresh}");
        held.Add(($"{name}: no stale answer past the 2 s bound, writer reads its write, later instance fresh", ownRead && lastStale <= 2500 && afterHeal.Stale == 0 || ownRead && lastStale <= 2500 && laterFresh, $"write {writeMs:F0} ms; {during.Stale + afterHeal.Stale} stale reads, last at {lastStale:F0} ms; later instance fresh: {laterFresh}"));
    }

    await FaultAsync("Redis killed, restarted with its AOF data", redis.KillAsync, () => redis.StartAsync(keepData: true));
    await FaultAsync("Redis killed, restarted empty", redis.KillAsync, () => redis.StartAsync(keepData: false));
    await FaultAsync("writer partitioned from Redis, then healed", () =>
    {
        proxy.Swallow();
        return Task.CompletedTask;
    }, () =>
    {
        proxy.Heal();
        return Task.CompletedTask;
    });
}

static HttpClient Client(IPAddress from, ApiProcess api)
{
    var handler = new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            socket.Bind(new IPEndPoint(from, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };
    return new HttpClient(handler) { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
}

static Task<(HttpStatusCode Status, string Body, string? Cache)> PostAsync(HttpClient client, string query, object? variables = null, string? key = null) =>
    PostRawAsync(client, JsonSerializer.Serialize(new { query, variables }), key);

static async Task<(HttpStatusCode Status, string Body, string? Cache)> PostRawAsync(HttpClient client, string body, string? key = null)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "graphql") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    if (key is not null)
    {
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
    }

    try
    {
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text, response.Headers.TryGetValues("X-Cache", out var cache) ? cache.First() : null);
    }
    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
    {
        return (0, exception.Message, null);
    }
}

static async Task<HttpStatusCode> HealthAsync(HttpClient client)
{
    try
    {
        using var response = await client.GetAsync(new Uri("health/live", UriKind.Relative));
        return response.StatusCode;
    }
    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
    {
        return 0;
    }
}

string? OptionText(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>What the GC had done at one moment, or in a window between two.</summary>
internal sealed record GcSnapshot(double PauseMs, double AllocatedBytes, int[] Collections)
{
    public GcSnapshot Since(GcSnapshot earlier) => new(PauseMs - earlier.PauseMs, AllocatedBytes - earlier.AllocatedBytes, [.. Collections.Zip(earlier.Collections, (now, then) => now - then)]);

    // In a process that has allocated about 4.5 GiB (the full run, after the memory attacks), the runtime's total
    // (dotnet.gc.heap.total_allocated) was seen to stop moving while collections went on: then it is not counted.
    public bool Counted => AllocatedBytes > 0 || Collections.Sum() == 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"paused {PauseMs:F0} ms, allocated {(Counted ? $"{AllocatedBytes / (1024 * 1024):F0} MiB" : "not counted (the runtime's total stood still)")}, collections gen0/gen1/gen2 {Collections[0]}/{Collections[1]}/{Collections[2]}");
}
