using System.Globalization;
using System.Text.RegularExpressions;
using KnowledgeGraph.Api.Writes;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Writes;

namespace KnowledgeGraph.Api.Exchange;

/// <summary>
/// Imports rows in batches through <see cref="GraphWriter"/>, the one write path: each batch is validated against the
/// store (keys, references, every citation's excerpt at its offsets) and written all-or-nothing, with history and
/// change notifications. A batch holding a bad row is refused whole, with the reason on that row; the other batches
/// land. Rows are written in the order sources, entities, relationships, observations, quotes, so later batches may
/// refer to what earlier ones wrote.
/// </summary>
public sealed partial class GraphImporter(GraphWriter writer, IGraphStore store)
{
    public const int DefaultBatchSize = 500;
    public const int MaxBatchSize = WriteValidator.MaxRecordsPerWrite;

    /// <summary>Reads content given as text (the mutation's <c>content</c>); a seed folder is read with <see cref="SeedImportReader.ReadFolderAsync"/>.</summary>
    public static IReadOnlyList<ImportRow> Read(ImportFormat format, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var reader = new StringReader(content);
        return format switch
        {
            ImportFormat.SeedJson => SeedImportReader.ReadDocument(content),
            ImportFormat.EntitiesCsv => GraphCsv.ReadEntities(reader),
            ImportFormat.RelationshipsCsv => GraphCsv.ReadRelationships(reader),
            _ => throw new ImportFormatException("A seed folder cannot be sent as text; send the seed format as one JSON document (SEED_JSON)."),
        };
    }

    /// <summary>
    /// Writes the rows in batches of <paramref name="batchSize"/>, reading them only as each batch is needed, so a
    /// streamed file is never held whole; <paramref name="progress"/> is told how many rows are done after each batch.
    /// The report lists the rows <paramref name="detail"/> says and counts them all.
    /// </summary>
    public async Task<ImportReport> ImportAsync(
        IEnumerable<ImportRow> rows,
        int batchSize,
        WriteActor actor,
        Action<int>? progress,
        CancellationToken cancellationToken,
        ImportRowDetail detail = ImportRowDetail.Every)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, MaxBatchSize);
        var reports = new List<ImportRowReport>();
        var batches = new List<ImportBatchReport>();
        var counts = Enum.GetValues<ImportRowOutcome>().ToDictionary(o => o, _ => 0);
        var done = 0;
        foreach (var chunk in rows.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var number = batches.Count + 1;
            var (report, rowReports) = await ImportBatchAsync(number, chunk, actor, cancellationToken);
            batches.Add(report);
            foreach (var row in rowReports)
            {
                counts[row.Outcome]++;
                if (detail == ImportRowDetail.Every || row.Outcome == ImportRowOutcome.Rejected)
                {
                    reports.Add(row);
                }
            }

            done += chunk.Length;
            progress?.Invoke(done);
        }

        return new ImportReport(reports, batches, counts);
    }

    private async Task<(ImportBatchReport, List<ImportRowReport>)> ImportBatchAsync(int number, ImportRow[] chunk, WriteActor actor, CancellationToken cancellationToken)
    {
        var batch = new Batch(chunk);
        var problems = chunk.ToDictionary(r => r, r => new List<ImportProblem>(r.Problems));
        var unreadable = chunk.Any(r => r.Record is null || r.Problems.Count > 0);
        WriteReceipt? receipt = null;
        try
        {
            if (unreadable)
            {
                // Nothing of this batch is written, but the rows that could be read are still checked, so that one
                // report names every problem of the batch.
                if (batch.Write.Count > 0)
                {
                    await WriteValidator.ValidateAsync(batch.Write, store, cancellationToken);
                }
            }
            else
            {
                receipt = await writer.WriteAsync(batch.Write, actor, cancellationToken);
            }
        }
        catch (WriteValidationException refused)
        {
            foreach (var problem in refused.Problems)
            {
                foreach (var (row, path) in batch.Locate(problem.Path))
                {
                    problems[row].Add(new ImportProblem(path, problem.Message));
                }
            }
        }

        var outcomes = receipt?.Results.GroupBy(r => (r.Type, r.Key)).ToDictionary(g => g.Key, g => g.Last().Outcome);
        var reports = new List<ImportRowReport>(chunk.Length);
        foreach (var row in chunk)
        {
            var outcome = ImportRowOutcome.Rejected;
            var rowProblems = problems[row];
            if (outcomes is not null && row.Key is not null && outcomes.TryGetValue((row.Type, row.Key), out var written))
            {
                outcome = written switch
                {
                    WriteOutcome.Created => ImportRowOutcome.Created,
                    WriteOutcome.Updated => ImportRowOutcome.Updated,
                    _ => ImportRowOutcome.Unchanged,
                };
            }
            else if (rowProblems.Count == 0)
            {
                rowProblems.Add(new ImportProblem(row.Location, string.Create(CultureInfo.InvariantCulture, $"not written: batch {number} was refused because of other rows")));
            }

            reports.Add(new ImportRowReport(row.Row, row.Location, row.Type, row.Key, number, outcome, rowProblems));
        }

        return (new ImportBatchReport(number, chunk.Length, receipt is not null, receipt?.Revision), reports);
    }

    /// <summary>The write of one batch, and which row each of its records came from.</summary>
    private sealed partial class Batch
    {
        private readonly Dictionary<string, List<ImportRow>> _sections = new(StringComparer.Ordinal);
        private readonly ImportRow[] _rows;

        public Batch(ImportRow[] rows)
        {
            _rows = rows;
            var readable = rows.Where(r => r.Record is not null && r.Problems.Count == 0).ToList();
            foreach (var row in readable)
            {
                var section = row.Type switch
                {
                    RecordType.Source => "sources",
                    RecordType.Entity => "entities",
                    RecordType.Relationship => "relationships",
                    RecordType.Observation => "observations",
                    RecordType.Claim => "claims",
                    _ => "quotes",
                };
                if (!_sections.TryGetValue(section, out var list))
                {
                    _sections[section] = list = [];
                }

                list.Add(row);
            }

            Write = new GraphWrite(
                [.. readable.Select(r => r.Record).OfType<Source>()],
                [.. readable.Select(r => r.Record).OfType<Entity>()],
                [.. readable.Select(r => r.Record).OfType<Relationship>()],
                [.. readable.Select(r => r.Record).OfType<Observation>()],
                [.. readable.Select(r => r.Record).OfType<Quote>()],
                [])
            {
                Claims = [.. readable.Select(r => r.Record).OfType<Claim>()],
            };
        }

        public GraphWrite Write { get; }

        /// <summary>The row(s) a validator path (<c>entities[2].citations[0].excerpt</c>) points at, and the path in the row's own input.</summary>
        public IEnumerable<(ImportRow Row, string Path)> Locate(string path)
        {
            var match = RecordPath().Match(path);
            if (match.Success
                && _sections.TryGetValue(match.Groups[1].Value, out var list)
                && int.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, out var index)
                && index < list.Count)
            {
                return [(list[index], list[index].InputPathOf(match.Groups[3].Value))];
            }

            return _rows.Select(r => (r, r.Location));
        }

        [GeneratedRegex(@"^(sources|entities|relationships|observations|quotes)\[(\d+)\](.*)$")]
        private static partial Regex RecordPath();
    }
}
