using System.Globalization;
using KnowledgeGraph.Benchmarks;

// Usage:
//   dotnet run -c Release --project tests/KnowledgeGraph.Benchmarks -- scale [--entities N] [--relationships N] [--seed N]
//       [--dir PATH] [--keep] [--skip-import] [--measure-generation] [--lookups N] [--paths N] [--max-hops N] [--filters N]
//   dotnet run -c Release --project tests/KnowledgeGraph.Benchmarks -- check [--entities N] [--relationships N] [--seed N]
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

if (args.Length == 0 || args[0] is not ("scale" or "check"))
{
    Console.Error.WriteLine("usage: scale|check [--entities N] [--relationships N] [--seed N] [--dir PATH] [--keep] [--skip-import] [--measure-generation] [--lookups N] [--paths N] [--max-hops N] [--filters N]");
    return 2;
}

var options = new ScaleOptions();
for (var i = 1; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    long Number() => long.Parse(Value().Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
    options = args[i] switch
    {
        "--entities" => options with { Entities = checked((int)Number()) },
        "--relationships" => options with { Relationships = Number() },
        "--seed" => options with { Seed = (ulong)Number() },
        "--dir" => options with { Directory = Value() },
        "--keep" => options with { Keep = true },
        "--skip-import" => options with { SkipImport = true },
        "--measure-generation" => options with { MeasureGeneration = true },
        "--lookups" => options with { Lookups = checked((int)Number()) },
        "--paths" => options with { Paths = checked((int)Number()) },
        "--max-hops" => options with { MaxHops = checked((int)Number()) },
        "--filters" => options with { Filters = checked((int)Number()) },
        _ => throw new ArgumentException($"Unknown option {args[i]}."),
    };
}

return args[0] == "check"
    ? GraphCheck.Run(options)
    : await ScaleBenchmark.RunAsync(options, cancellation.Token);
