using System.CommandLine;
using System.Globalization;
using System.Text;
using KnowledgeGraph.Api.Exchange;
using KnowledgeGraph.Api.Writes;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.Storage;
using Spectre.Console;

namespace KnowledgeGraph.Api.Cli;

// import and export: the same importer, exporter and store as the server, run in this process.
public static partial class KnowledgeGraphCli
{
    /// <summary>Exit code of an import some of whose batches were refused (the others landed).</summary>
    public const int SomeRowsRejected = 2;

    private static Command ImportCommand(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? settings)
    {
        var file = new Argument<string>("file") { Description = "A seed folder, a seed-format JSON document, or a CSV file of entities or relationships." };
        var format = new Option<string?>("--format") { Description = "seed (a folder), seed-json, entities-csv or relationships-csv; guessed from the file when absent." };
        var batchSize = new Option<int>("--batch-size") { Description = $"Rows per batch, each written all-or-nothing (1 to {GraphImporter.MaxBatchSize}).", DefaultValueFactory = _ => GraphImporter.DefaultBatchSize };
        var command = new Command("import", "Imports a file through the same validation and write path as the API. Exit code 0: every row landed; 2: some batches were refused; 1: nothing could be read.") { file, format, batchSize };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            var size = parse.GetValue(batchSize);
            if (size is < 1 or > GraphImporter.MaxBatchSize)
            {
                await error.WriteLineAsync($"--batch-size must be between 1 and {GraphImporter.MaxBatchSize}.");
                return 1;
            }

            ImportSource source;
            try
            {
                source = await ImportSource.OpenAsync(path, ResolveImportFormat(path, parse.GetValue(format)), cancellationToken);
            }
            catch (Exception exception) when (exception is ImportFormatException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"Cannot import '{path}': {exception.Message}");
                return 1;
            }

            using var opened = source;
            await using var services = BuildServices(settings);
            var store = services.GetRequiredService<IGraphStore>();
            if (!await IsReadyAsync(store, error, cancellationToken))
            {
                return 1;
            }

            var writer = new GraphWriter(store, services.GetServices<IGraphChangeListener>(), services.GetRequiredService<ILogger<GraphWriter>>());
            var importer = new GraphImporter(writer, store);
            var actor = new WriteActor($"cli:{Environment.UserName}", "admin");
            var console = ConsoleFor(output);
            ImportReport report;
            if (console.Profile.Capabilities.Interactive)
            {
                ImportReport? done = null;
                await console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask($"Importing {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}", maxValue: 1000);
                        done = await importer.ImportAsync(source.Rows, size, actor, _ => task.Value = source.Fraction * 1000, cancellationToken, ImportRowDetail.Rejected);
                        task.Value = task.MaxValue;
                    });
                report = done!;
            }
            else
            {
                // Redirected output (a log, CI): a line per tenth of the input rather than a bar redrawn in place.
                console.WriteLine($"Importing {Path.GetFileName(Path.TrimEndingDirectorySeparator(path))} in batches of {size}");
                var reported = 0;
                report = await importer.ImportAsync(source.Rows, size, actor, count =>
                {
                    var percent = (int)(source.Fraction * 100);
                    if (percent / 10 > reported / 10)
                    {
                        reported = percent;
                        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count} rows ({percent}% of the input)"));
                    }
                }, cancellationToken, ImportRowDetail.Rejected);
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {report.Batches.Sum(b => b.Rows)} rows (100% of the input)"));
            }

            WriteImportReport(console, report);
            return report.AllWritten ? 0 : SomeRowsRejected;
        });
        return command;
    }

    private static Command ExportCommand(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? settings)
    {
        var format = new Option<string>("--format") { Description = $"{string.Join(", ", ExportFormats.Names)} (seed writes a folder).", DefaultValueFactory = _ => "seed-json" };
        var around = new Option<string?>("--around") { Description = "Export the neighbourhood of this entity (relationships followed both ways)." };
        var depth = new Option<int>("--depth") { Description = $"How many hops around --around (0 to {ExportScope.MaxDepth}).", DefaultValueFactory = _ => 1 };
        var kinds = new Option<string?>("--kinds") { Description = "Only entities of these kinds, comma-separated (APP,COMPANY)." };
        var path = new Option<string?>("--output") { Description = "The file (or, for seed, the folder) to write; standard output when absent." };
        var command = new Command("export", "Exports the graph or a subgraph from the configured store.") { format, around, depth, kinds, path };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!ExportRequest.TryParse(parse.GetValue(format), parse.GetValue(around), parse.GetValue(depth).ToString(CultureInfo.InvariantCulture), parse.GetValue(kinds), out var request, out var problem))
            {
                await error.WriteLineAsync(problem);
                return 1;
            }

            var target = parse.GetValue(path);
            if (request.Format == ExportFormat.Seed && string.IsNullOrWhiteSpace(target))
            {
                await error.WriteLineAsync("--format seed writes a folder: give it with --output.");
                return 1;
            }

            await using var services = BuildServices(settings);
            var store = services.GetRequiredService<IGraphStore>();
            if (!await IsReadyAsync(store, error, cancellationToken))
            {
                return 1;
            }

            var graph = await GraphExporter.CollectAsync(store, request.Scope, cancellationToken);
            if (graph is null)
            {
                await error.WriteLineAsync($"No entity has the key '{request.Scope.Around}'.");
                return 1;
            }

            if (request.Format == ExportFormat.Seed)
            {
                await SeedWriter.WriteFolderAsync(graph, target!, cancellationToken);
            }
            else if (!string.IsNullOrWhiteSpace(target))
            {
                await using var stream = File.Create(target);
                await GraphExportWriter.WriteAsync(request.Format, graph, stream, cancellationToken);
            }
            else
            {
                using var buffer = new MemoryStream();
                await GraphExportWriter.WriteAsync(request.Format, graph, buffer, cancellationToken);
                await output.WriteAsync(Encoding.UTF8.GetString(buffer.ToArray()));
                return 0;
            }

            await error.WriteLineAsync($"Exported {graph.Entities.Count} entities, {graph.Relationships.Count} relationships, {graph.Observations.Count} observations, {graph.Quotes.Count} quotes and {graph.Sources.Count} sources to {target}.");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Whether the configured store answers and holds a graph: a new SQLite data folder has none until the service
    /// first starts and applies the seed.
    /// </summary>
    private static async Task<bool> IsReadyAsync(IGraphStore store, TextWriter error, CancellationToken cancellationToken)
    {
        var health = await store.CheckHealthAsync(cancellationToken);
        if (!health.IsHealthy)
        {
            await error.WriteLineAsync($"The store is not ready: {health.Description} A new data folder gets its graph when the service first starts (./build.sh run); check Store:Provider and Sqlite:DataDirectory or Neo4j:Uri.");
        }

        return health.IsHealthy;
    }

    private static ImportFormat ResolveImportFormat(string path, string? name)
    {
        if (!string.IsNullOrWhiteSpace(name))
        {
            return ImportFormats.TryParse(name, out var format)
                ? format
                : throw new ImportFormatException($"--format '{name}' is not known; use {string.Join(", ", ImportFormats.Names)}.");
        }

        if (Directory.Exists(path))
        {
            return ImportFormat.Seed;
        }

        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return ImportFormat.SeedJson;
        }

        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? string.Empty).Split(',').Select(h => h.Trim().Trim('"', '\uFEFF')).ToList();
        return header.Contains("kind") ? ImportFormat.EntitiesCsv
            : header.Contains("type") ? ImportFormat.RelationshipsCsv
            : throw new ImportFormatException("the format cannot be told from the file; give --format.");
    }

    private static IAnsiConsole ConsoleFor(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = output == Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
        Interactive = output == Console.Out ? InteractionSupport.Detect : InteractionSupport.No,
    });

    private static void WriteImportReport(IAnsiConsole console, ImportReport report)
    {
        var summary = new Table().AddColumns("created", "updated", "unchanged", "rejected", "batches written");
        summary.AddRow(
            Count(report, ImportRowOutcome.Created),
            Count(report, ImportRowOutcome.Updated),
            Count(report, ImportRowOutcome.Unchanged),
            Count(report, ImportRowOutcome.Rejected),
            string.Create(CultureInfo.InvariantCulture, $"{report.Batches.Count(b => b.Written)} of {report.Batches.Count}"));
        console.Write(summary);

        const int Shown = 50;
        var rejected = report.Rows.Where(r => r.Outcome == ImportRowOutcome.Rejected).ToList();
        if (rejected.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("row", "batch", "type", "key", "input path", "reason");
        foreach (var row in rejected.Take(Shown))
        {
            foreach (var problem in row.Problems)
            {
                table.AddRow(
                    Markup.Escape(row.Location),
                    row.Batch.ToString(CultureInfo.InvariantCulture),
                    Vocabulary.ToWireName(row.Type),
                    Markup.Escape(row.Key ?? string.Empty),
                    Markup.Escape(problem.InputPath),
                    Markup.Escape(problem.Message));
            }
        }

        console.Write(table);
        if (rejected.Count > Shown)
        {
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"... and {rejected.Count - Shown} more rejected rows."));
        }
    }

    private static string Count(ImportReport report, ImportRowOutcome outcome) =>
        report.Count(outcome).ToString(CultureInfo.InvariantCulture);
}
