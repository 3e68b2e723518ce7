using System.Globalization;
using System.Text.RegularExpressions;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Exchange;

/// <summary>What an import reads: the seed format (a folder, or one JSON document) or CSV of entities or relationships.</summary>
public enum ImportFormat
{
    /// <summary>A seed folder, exactly as seed/README.md describes it (command line only).</summary>
    Seed,
    /// <summary>One JSON document holding the seed's sections, source texts inline.</summary>
    SeedJson,
    EntitiesCsv,
    RelationshipsCsv,
}

/// <summary>The wire names of <see cref="ImportFormat"/>: seed, seed-json, entities-csv, relationships-csv.</summary>
public static class ImportFormats
{
    private static readonly (string Name, ImportFormat Format)[] All =
    [
        ("seed", ImportFormat.Seed), ("seed-json", ImportFormat.SeedJson), ("entities-csv", ImportFormat.EntitiesCsv), ("relationships-csv", ImportFormat.RelationshipsCsv),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name)];

    public static bool TryParse(string? name, out ImportFormat format)
    {
        foreach (var (known, value) in All)
        {
            if (string.Equals(known, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                format = value;
                return true;
            }
        }

        format = default;
        return false;
    }
}

/// <summary>One thing wrong with a row: where in the input (a JSON path, or a CSV column) and what.</summary>
public sealed record ImportProblem(string InputPath, string Message);

/// <summary>Content that cannot be read at all (not JSON, a CSV without its required columns); nothing was written.</summary>
public sealed class ImportFormatException : Exception
{
    public ImportFormatException()
    {
    }

    public ImportFormatException(string message)
        : base(message)
    {
    }

    public ImportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// One row of an import as read: its number (a CSV line, or the 1-based position in its seed section), its key,
/// the record when it could be read, and the problems found while reading it.
/// </summary>
public sealed partial class ImportRow
{
    private readonly bool _csv;

    private ImportRow(bool csv, int row, RecordType type, string? key, string location, object? record, IReadOnlyList<ImportProblem> problems)
    {
        _csv = csv;
        Row = row;
        Type = type;
        Key = key;
        Location = location;
        Record = record;
        Problems = problems;
    }

    /// <summary>CSV: the line the record starts on (the header is line 1). Seed: the 1-based position in its section.</summary>
    public int Row { get; }

    public RecordType Type { get; }

    public string? Key { get; }

    /// <summary>Where the row is: <c>entities[3]</c> in the seed format, <c>line 7</c> in CSV.</summary>
    public string Location { get; }

    /// <summary>The <see cref="Source"/>, <see cref="Entity"/>... read, or null when the row could not be read.</summary>
    public object? Record { get; }

    public IReadOnlyList<ImportProblem> Problems { get; }

    public static ImportRow FromJson(string section, int index, RecordType type, string? key, object? record, IReadOnlyList<ImportProblem> problems) =>
        new(false, index + 1, type, key, $"{section}[{index}]", record, problems);

    public static ImportRow FromCsv(int line, RecordType type, string? key, object? record, IReadOnlyList<ImportProblem> problems) =>
        new(true, line, type, key, string.Create(CultureInfo.InvariantCulture, $"line {line}"), record, problems);

    /// <summary>
    /// Where a problem the write validator found (<c>.citations[0].excerpt</c>, relative to the record) is in this
    /// row's input: <c>entities[3].citations[0].excerpt</c> in the seed format, <c>citation1_excerpt</c> in CSV.
    /// </summary>
    public string InputPathOf(string relative)
    {
        if (!_csv)
        {
            var mapped = relative switch
            {
                ".occurredOn" or ".role" or ".chart" or ".note" when Type == RecordType.Relationship => ".properties" + relative,
                _ => relative,
            };
            return Location + mapped;
        }

        var citation = CitationPath().Match(relative);
        if (citation.Success)
        {
            var n = int.Parse(citation.Groups[1].Value, CultureInfo.InvariantCulture) + 1;
            return citation.Groups[2].Success
                ? string.Create(CultureInfo.InvariantCulture, $"citation{n}_{citation.Groups[2].Value}")
                : string.Create(CultureInfo.InvariantCulture, $"citation{n}_start/citation{n}_end");
        }

        return relative switch
        {
            "" => Location,
            ".citations" => "citation1_source",
            ".name" => "name_en/name_fr",
            ".description" => "description_en/description_fr",
            ".occurredOn" => "occurred_on",
            ".reportedBy" => "reported_by",
            ".rationale" or ".rationale.en" or ".rationale.fr" => "rationale_en/rationale_fr",
            ".periodStart" => "period_start",
            ".periodEnd" => "period_end",
            ".dateBasis" => "date_basis",
            _ when relative.StartsWith(".aliases", StringComparison.Ordinal) => "aliases",
            _ => relative.TrimStart('.'),
        };
    }

    [GeneratedRegex(@"^\.citations\[(\d+)\](?:\.(source|excerpt))?$")]
    private static partial Regex CitationPath();
}
