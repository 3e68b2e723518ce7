using System.Diagnostics;
using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Benchmarks;

public sealed record ScaleOptions(
    int Entities = 1_000_000,
    long Relationships = 5_000_000,
    ulong Seed = 42,
    string? Directory = null,
    bool Keep = false,
    bool SkipImport = false,
    bool MeasureGeneration = false,
    int Lookups = 10_000,
    int NeighbourLookups = 2_000,
    int Searches = 1_000,
    int Paths = 200,
    int MaxHops = 4,
    int Filters = 1_000);

/// <summary>
/// Generates a synthetic graph, streams it into a fresh SQLite store through the bulk import, then times reads
/// through the <see cref="IGraphStore"/> port, one call at a time, as a resolver level would make them.
/// </summary>
public static class ScaleBenchmark
{
    public static async Task<int> RunAsync(ScaleOptions options, CancellationToken cancellationToken)
    {
        var directory = options.Directory ?? Path.Combine(Path.GetTempPath(), $"kg-scale-{Guid.NewGuid():N}");
        var storeOptions = new SqliteStoreOptions { DataDirectory = directory, FileName = "scale.db" };
        Console.WriteLine($"# Scale benchmark: {options.Entities:N0} entities, {options.Relationships:N0} relationships, seed {options.Seed}");
        Console.WriteLine($"machine: {Machine.Describe()}");
        Console.WriteLine($"database: {storeOptions.DatabasePath}");

        var total = Stopwatch.StartNew();
        var graph = new SyntheticGraph(options.Entities, options.Relationships, options.Seed);
        Console.WriteLine($"graph plan: {total.Elapsed.TotalSeconds:F1} s");

        if (options.MeasureGeneration)
        {
            var generation = Stopwatch.StartNew();
            long citations = graph.Entities().Sum(e => (long)e.Citations.Count) + graph.Relationships().Sum(r => (long)r.Citations.Count);
            Console.WriteLine($"generation alone (no store): {generation.Elapsed.TotalSeconds:F1} s, {citations:N0} citations");
        }

        var store = new SqliteGraphStore(storeOptions);
        if (!(options.SkipImport && File.Exists(storeOptions.DatabasePath)))
        {
            // CPU time beside wall-clock time: on a shared machine the wall clock also measures the neighbours.
            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            var import = Stopwatch.StartNew();
            var phases = new List<string>();
            var result = await store.ImportAsync(
                new GraphImport(
                    graph.Sources,
                    graph.Entities().ToAsyncEnumerable(),
                    graph.Relationships().ToAsyncEnumerable(),
                    phase => phases.Add(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{phase} done at {import.Elapsed.TotalSeconds:F1} s (process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds:F1} s)"))),
                cancellationToken);
            import.Stop();
            Console.WriteLine($"import phases: {string.Join("; ", phases)}");
            Console.WriteLine(
                $"generation + import: {import.Elapsed.TotalSeconds:F1} s ({result.Entities:N0} entities, {result.Relationships:N0} relationships, " +
                $"{result.Sources} sources, indexes built after load: {result.IndexesBuiltAfterLoad}); peak RSS so far {Machine.PeakRssMiB():N0} MiB");
        }

        Console.WriteLine($"database file: {Machine.FileSizeMiB(storeOptions.DatabasePath):N0} MiB (+ WAL {Machine.FileSizeMiB(storeOptions.DatabasePath + "-wal"):N0} MiB)");

        var random = new SplitMix64(options.Seed ^ 0x5EED);
        var rows = new List<(string Name, Percentiles Figures, string Note)>();

        rows.Add(await TimeAsync("entity by key", options.Lookups, graph, random, async (i, _) =>
        {
            var found = await store.GetEntitiesAsync([graph.KeyOf(i)], cancellationToken);
            return found.Count == 1 ? 1 : throw new InvalidOperationException($"Entity {graph.KeyOf(i)} is missing.");
        }, "found"));
        random = new SplitMix64(random.NextULong());

        rows.Add(await TimeAsync("relationships of (both directions)", options.NeighbourLookups, graph, random, async (i, _) =>
            (await store.GetRelationshipsOfAsync([graph.KeyOf(i)], RelationshipFilter.All, cancellationToken)).Values.Sum(l => l.Count), "relationships read"));
        random = new SplitMix64(random.NextULong());

        rows.Add(await TimeAsync("search (full English name, first 10)", options.Searches, graph, random, async (i, _) =>
            (await store.SearchAsync(new SearchQuery(graph.EntityAt(i).Name.En, null, 10), cancellationToken)).Count, "hits"));
        random = new SplitMix64(random.NextULong());

        // Filtered lists, each one ListEntitiesAsync as the entities field makes it: the entities tied to a random
        // entity by a relationship of a type its kind has (a related filter with a node condition), with the total;
        // then the same with the counts by kind of the whole filtered set.
        EntityQuery Related(int i, bool counts) => new(
            First: 20,
            Where: new EntityFilterSpec { Related = new(TypeFor(graph.EntityAt(i).Kind), RelationshipDirection.Both, new() { KeyEq = graph.KeyOf(i).Value }) }.Normalise(),
            IncludeTotalCount: true,
            IncludeCountsByKind: counts);
        rows.Add(await TimeAsync("entities(where: related with a node key, first 20) + totalCount", options.Filters, graph, random, async (i, _) =>
            (await store.ListEntitiesAsync(Related(i, counts: false), cancellationToken)).TotalCount ?? 0, "entities matched"));
        random = new SplitMix64(random.NextULong());
        rows.Add(await TimeAsync("the same + countsByKind", options.Filters, graph, random, async (i, _) =>
            (await store.ListEntitiesAsync(Related(i, counts: true), cancellationToken)).CountsByKind?.Sum(c => c.Count) ?? 0, "entities counted"));
        random = new SplitMix64(random.NextULong());
        // A name condition, folded by Core as the entities field folds it: an exact name (eq), then its first word
        // (startsWith), each a seek of the indexes on kg_fold(name_en) and kg_fold(name_fr).
        EntityQuery Named(int i, bool prefix) => new(
            First: 20,
            Where: (prefix
                ? new EntityFilterSpec { NameStartsWith = graph.EntityAt(i).Name.En.Split(' ')[0] }
                : new EntityFilterSpec { NameEq = graph.EntityAt(i).Name.En }).Normalise());
        rows.Add(await TimeAsync("entities(where: name eq an English name, first 20)", options.Filters, graph, random, async (i, _) =>
            (await store.ListEntitiesAsync(Named(i, prefix: false), cancellationToken)).Items.Count, "entities matched"));
        random = new SplitMix64(random.NextULong());
        rows.Add(await TimeAsync("entities(where: name startsWith its first word, first 20)", options.Filters, graph, random, async (i, _) =>
            (await store.ListEntitiesAsync(Named(i, prefix: true), cancellationToken)).Items.Count, "entities matched"));
        random = new SplitMix64(random.NextULong());
        var lengths = new SortedDictionary<int, int>();
        rows.Add(await TimeAsync($"shortest paths, max {options.MaxHops} hops, limit 10", options.Paths, graph, random, async (i, r) =>
        {
            var to = graph.RandomConnectedEntity(ref r);
            var paths = await store.FindShortestPathsAsync(new PathQuery(graph.KeyOf(i), graph.KeyOf(to), options.MaxHops, null, 10), cancellationToken);
            var length = paths.Count == 0 ? 0 : paths[0].Length;
            lengths[length] = lengths.GetValueOrDefault(length) + 1;
            return paths.Count;
        }, "paths returned"));

        Console.WriteLine();
        Console.WriteLine("| read (one call through IGraphStore) | calls | p50 ms | p90 ms | p99 ms | max ms | mean result |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (name, f, note) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {f.Count:N0} | {f.P50:F2} | {f.P90:F2} | {f.P99:F2} | {f.Max:F2} | {f.MeanResult:F1} {note} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"path lengths found (0 = none within {options.MaxHops} hops): {string.Join(", ", lengths.Select(l => $"{l.Key}: {l.Value}"))}");
        Console.WriteLine($"peak RSS (VmHWM): {Machine.PeakRssMiB():N0} MiB; total run {total.Elapsed.TotalSeconds:F1} s");

        SqliteConnection.ClearAllPools();
        if (!options.Keep && options.Directory is null)
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        return 0;
    }

    private static async Task<(string, Percentiles, string)> TimeAsync(
        string name, int calls, SyntheticGraph graph, SplitMix64 random, Func<int, SplitMix64, Task<int>> call, string note)
    {
        // A few untimed calls first, so that JIT and connection pool warm-up are not measured.
        var warm = new SplitMix64(random.NextULong() ^ 1);
        for (var i = 0; i < Math.Min(20, calls); i++)
        {
            await call(graph.RandomConnectedEntity(ref warm), new SplitMix64(warm.NextULong()));
        }

        var times = new double[calls];
        long results = 0;
        for (var i = 0; i < calls; i++)
        {
            var entity = graph.RandomConnectedEntity(ref random);
            var inner = new SplitMix64(random.NextULong());
            var watch = Stopwatch.StartNew();
            results += await call(entity, inner);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (name, new Percentiles(calls, At(times, 0.50), At(times, 0.90), At(times, 0.99), times[^1], (double)results / calls), note);
    }

    // A relationship type entities of the kind take part in, in the synthetic graph's mix.
    private static RelationshipType TypeFor(EntityKind kind) => kind switch
    {
        EntityKind.Company => RelationshipType.Owns,
        EntityKind.Person => RelationshipType.Leads,
        EntityKind.App => RelationshipType.CompetesWith,
        EntityKind.Platform => RelationshipType.AvailableOn,
        EntityKind.Endorsement => RelationshipType.Endorses,
        _ => RelationshipType.InvolvedIn,
    };

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

    private sealed record Percentiles(int Count, double P50, double P90, double P99, double Max, double MeanResult);
}

internal static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim() : "?";
        return $"{Environment.ProcessorCount} cores, {cpu ?? "unknown CPU"}, MemTotal {memory}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}";
    }

    /// <summary>The peak resident set size of this process (VmHWM), in MiB; 0 where /proc is not available.</summary>
    public static long PeakRssMiB()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return 0;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public static long FileSizeMiB(string path) => File.Exists(path) ? new FileInfo(path).Length / (1024 * 1024) : 0;
}
