using System.Globalization;
using System.Text;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Exchange;

/// <summary>
/// The CSV shapes of entities and relationships (docs/import-export.md). Columns are found by their header name, in
/// any order; an unknown column is refused, so a typo is an error rather than a dropped field. Texts kept in both
/// languages take two columns (<c>name_en</c>, <c>name_fr</c>); each citation takes four
/// (<c>citationN_source</c>, <c>citationN_start</c>, <c>citationN_end</c>, <c>citationN_excerpt</c>, N from 1);
/// aliases are separated by <c>|</c> (a literal <c>|</c> or <c>\</c> is written <c>\|</c> or <c>\\</c>).
/// </summary>
public static class GraphCsv
{
    public static readonly IReadOnlyList<string> EntityColumns =
        ["key", "kind", "name_en", "name_fr", "description_en", "description_fr", "aliases", "aliases_en", "aliases_fr"];

    public static readonly IReadOnlyList<string> RelationshipColumns =
        ["key", "type", "from", "to", "role_en", "role_fr", "chart", "occurred_on", "note_en", "note_fr",
            "basis", "reported_by", "rationale_en", "rationale_fr", "hedge", "period_start", "period_end", "date_basis"];

    private static readonly string[] RequiredEntityColumns = ["key", "kind", "name_en", "name_fr", "description_en", "description_fr"];
    private static readonly string[] RequiredRelationshipColumns = ["key", "type", "from", "to"];
    private static readonly string[] CitationParts = ["source", "start", "end", "excerpt"];

    public static IReadOnlyList<ImportRow> ReadEntities(TextReader reader) => Read(reader, EntityColumns, RequiredEntityColumns, ReadEntity);

    public static IReadOnlyList<ImportRow> ReadRelationships(TextReader reader) => Read(reader, RelationshipColumns, RequiredRelationshipColumns, ReadRelationship);

    /// <summary>Writes entities as CSV; rows leave in chunks through async writes (ASP.NET Core refuses synchronous ones).</summary>
    public static Task WriteEntitiesAsync(TextWriter writer, IReadOnlyList<Entity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var citations = Math.Max(1, entities.Select(e => e.Citations.Count).DefaultIfEmpty(0).Max());
        return WriteChunkedAsync(writer, EntityColumns.Concat(CitationHeader(citations)), entities, (buffer, e) =>
        {
            string Aliases(Language? language) => JoinList(e.Aliases.Where(a => a.Language == language).Select(a => a.Text));
            Csv.WriteRecord(buffer, new[]
            {
                e.Key.Value, Vocabulary.ToWireName(e.Kind), e.Name.En, e.Name.Fr, e.Description.En, e.Description.Fr,
                Aliases(null), Aliases(Language.En), Aliases(Language.Fr),
            }.Concat(CitationCells(e.Citations, citations)));
        }, cancellationToken);
    }

    public static Task WriteRelationshipsAsync(TextWriter writer, IReadOnlyList<Relationship> relationships, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relationships);
        var citations = Math.Max(1, relationships.Select(r => r.Citations.Count).DefaultIfEmpty(0).Max());
        return WriteChunkedAsync(writer, RelationshipColumns.Concat(CitationHeader(citations)), relationships, (buffer, r) =>
        {
            var p = r.Properties;
            Csv.WriteRecord(buffer, new[]
            {
                r.Key, Vocabulary.ToWireName(r.Type), r.From.Value, r.To.Value, p.Role?.En, p.Role?.Fr, p.Chart, p.OccurredOn, p.Note?.En, p.Note?.Fr,
                Vocabulary.ToWireName(r.Provenance.Basis), r.Provenance.ReportedBy?.Value, r.Provenance.Rationale?.En, r.Provenance.Rationale?.Fr,
                r.Provenance.Hedge, r.PeriodStart, r.PeriodEnd, r.DateBasis is { } d ? Vocabulary.ToWireName(d) : null,
            }.Concat(CitationCells(r.Citations, citations)));
        }, cancellationToken);
    }

    private static async Task WriteChunkedAsync<T>(TextWriter writer, IEnumerable<string> header, IReadOnlyList<T> items, Action<TextWriter, T> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        Csv.WriteRecord(buffer, header);
        for (var i = 0; i < items.Count; i++)
        {
            write(buffer, items[i]);
            if (i % 500 == 499)
            {
                await writer.WriteAsync(buffer.GetStringBuilder(), cancellationToken);
                buffer.GetStringBuilder().Clear();
            }
        }

        await writer.WriteAsync(buffer.GetStringBuilder(), cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }

    private static IEnumerable<string> CitationHeader(int count) =>
        Enumerable.Range(1, count).SelectMany(n => CitationParts.Select(part => string.Create(CultureInfo.InvariantCulture, $"citation{n}_{part}")));

    private static IEnumerable<string?> CitationCells(IReadOnlyList<Citation> citations, int count) =>
        Enumerable.Range(0, count).SelectMany(i => i < citations.Count
            ? new[] { citations[i].Source, citations[i].Start.ToString(CultureInfo.InvariantCulture), citations[i].End.ToString(CultureInfo.InvariantCulture), citations[i].Excerpt }
            : new string?[] { null, null, null, null });

    private static string JoinList(IEnumerable<string> items) =>
        string.Join('|', items.Select(i => i.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)));

    private static List<string> SplitList(string cell)
    {
        var items = new List<string>();
        if (cell.Length == 0)
        {
            return items;
        }

        var current = new StringBuilder();
        for (var i = 0; i < cell.Length; i++)
        {
            if (cell[i] == '\\' && i + 1 < cell.Length)
            {
                current.Append(cell[++i]);
            }
            else if (cell[i] == '|')
            {
                items.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(cell[i]);
            }
        }

        items.Add(current.ToString());
        return items;
    }

    private delegate object? RowReader(Row row);

    /// <summary>
    /// The rows of a CSV as they are read, for files too large to hold: the header is checked at once (an
    /// <see cref="ImportFormatException"/> before any row), then each row is read when the caller asks for it.
    /// </summary>
    public static IEnumerable<ImportRow> StreamEntities(TextReader reader) => Stream(reader, EntityColumns, RequiredEntityColumns, ReadEntity);

    /// <inheritdoc cref="StreamEntities"/>
    public static IEnumerable<ImportRow> StreamRelationships(TextReader reader) => Stream(reader, RelationshipColumns, RequiredRelationshipColumns, ReadRelationship);

    private static List<ImportRow> Read(TextReader reader, IReadOnlyList<string> columns, string[] required, RowReader read) =>
        [.. Stream(reader, columns, required, read)];

    private static IEnumerable<ImportRow> Stream(TextReader reader, IReadOnlyList<string> columns, string[] required, RowReader read)
    {
        var records = Csv.Read(reader).GetEnumerator();
        try
        {
            var (header, index, citationGroups) = ReadHeader(records, columns, required);
            return Rows(records, header.Count, index, citationGroups, columns == EntityColumns ? RecordType.Entity : RecordType.Relationship, read);
        }
        catch
        {
            records.Dispose();
            throw;
        }
    }

    private static (List<string> Header, Dictionary<string, int> Index, int CitationGroups) ReadHeader(
        IEnumerator<CsvRecord> records, IReadOnlyList<string> columns, string[] required)
    {
        if (!records.MoveNext())
        {
            throw new ImportFormatException("The CSV is empty: it needs a header line naming its columns.");
        }

        var header = records.Current.Fields.Select(f => f.Trim()).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            var known = columns.Contains(name, StringComparer.Ordinal) || IsCitationColumn(name, out _);
            if (!known)
            {
                throw new ImportFormatException($"Unknown column '{name}' (expected {string.Join(", ", columns.Concat(CitationHeader(1)))}, citation2_source...).");
            }

            if (!index.TryAdd(name, i))
            {
                throw new ImportFormatException($"The column '{name}' appears twice.");
            }
        }

        var missing = required.Concat(CitationHeader(1)).Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFormatException($"Missing column{(missing.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", missing)}.");
        }

        var citationGroups = 1;
        while (CitationParts.Any(p => index.ContainsKey(string.Create(CultureInfo.InvariantCulture, $"citation{citationGroups + 1}_{p}"))))
        {
            citationGroups++;
            var incomplete = CitationParts.Select(p => string.Create(CultureInfo.InvariantCulture, $"citation{citationGroups}_{p}")).Where(c => !index.ContainsKey(c)).ToList();
            if (incomplete.Count > 0)
            {
                throw new ImportFormatException($"Missing column{(incomplete.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", incomplete)} (a citation takes four columns).");
            }
        }

        return (header, index, citationGroups);
    }

    private static IEnumerable<ImportRow> Rows(
        IEnumerator<CsvRecord> records, int headerCount, Dictionary<string, int> index, int citationGroups, RecordType type, RowReader read)
    {
        using (records)
        {
            while (records.MoveNext())
            {
                var record = records.Current;
                var row = new Row(record, index, citationGroups);
                if (record.Fields.Count != headerCount)
                {
                    row.Problems.Add(new ImportProblem(row.At, $"the line has {record.Fields.Count} fields where the header has {headerCount}"));
                    yield return ImportRow.FromCsv(record.Line, type, row.Get("key"), null, row.Problems);
                    continue;
                }

                var value = read(row);
                yield return ImportRow.FromCsv(record.Line, type, row.Get("key"), row.Problems.Count == 0 ? value : null, row.Problems);
            }
        }
    }

    private static bool IsCitationColumn(string name, out int number)
    {
        number = 0;
        if (!name.StartsWith("citation", StringComparison.Ordinal))
        {
            return false;
        }

        var underscore = name.IndexOf('_', StringComparison.Ordinal);
        return underscore > 8
            && int.TryParse(name.AsSpan(8, underscore - 8), NumberStyles.None, CultureInfo.InvariantCulture, out number)
            && number >= 1
            && CitationParts.Contains(name[(underscore + 1)..], StringComparer.Ordinal);
    }

    private static Entity ReadEntity(Row row)
    {
        var aliases = new List<EntityAlias>();
        foreach (var (column, language) in new (string, Language?)[] { ("aliases", null), ("aliases_en", Language.En), ("aliases_fr", Language.Fr) })
        {
            aliases.AddRange(SplitList(row.Get(column) ?? string.Empty).Select(a => new EntityAlias(a, language)));
        }

        return new Entity(
            new EntityKey(row.Get("key") ?? string.Empty),
            SeedImportReader.Enum<EntityKind>(row.Get("kind") ?? string.Empty, "kind", row.Problems),
            new LocalizedText(row.Get("name_en") ?? string.Empty, row.Get("name_fr") ?? string.Empty),
            new LocalizedText(row.Get("description_en") ?? string.Empty, row.Get("description_fr") ?? string.Empty),
            aliases,
            row.Citations());
    }

    private static Relationship ReadRelationship(Row row)
    {
        var role = row.Text("role");
        var note = row.Text("note");
        var chart = row.Get("chart").NullIfEmpty();
        var occurredOn = row.Get("occurred_on").NullIfEmpty();
        var properties = RelationshipProperties.Of(role, chart, occurredOn, note);
        return new Relationship(
            row.Get("key") ?? string.Empty,
            SeedImportReader.Enum<RelationshipType>(row.Get("type") ?? string.Empty, "type", row.Problems),
            new EntityKey(row.Get("from") ?? string.Empty),
            new EntityKey(row.Get("to") ?? string.Empty),
            properties,
            row.Citations())
        {
            Provenance = Seed.SeedRecords.Provenance(
                row.Get("basis").NullIfEmpty(),
                row.Get("reported_by").NullIfEmpty(),
                row.Text("rationale") is { } rationale ? new Seed.LocalizedTextDto(rationale.En, rationale.Fr) : null,
                row.Get("hedge").NullIfEmpty(),
                string.Empty,
                row.Problems),
            PeriodStart = row.Get("period_start").NullIfEmpty(),
            PeriodEnd = row.Get("period_end").NullIfEmpty(),
            DateBasis = Seed.SeedRecords.DateBasisOf(
                row.Get("date_basis").NullIfEmpty(), row.Get("period_start").NullIfEmpty() ?? row.Get("period_end").NullIfEmpty(), "date_basis", row.Problems),
        };
    }

    private static string? NullIfEmpty(this string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed class Row(CsvRecord record, Dictionary<string, int> index, int citationGroups)
    {
        public List<ImportProblem> Problems { get; } = [];

        public string At { get; } = string.Create(CultureInfo.InvariantCulture, $"line {record.Line}");

        public string? Get(string column) =>
            index.TryGetValue(column, out var i) && i < record.Fields.Count ? record.Fields[i] : null;

        /// <summary>An optional text in both languages: null when both cells are empty; one alone is left for the validator to refuse.</summary>
        public LocalizedText? Text(string column)
        {
            var en = Get(column + "_en") ?? string.Empty;
            var fr = Get(column + "_fr") ?? string.Empty;
            if (en.Length == 0 && fr.Length == 0)
            {
                return null;
            }

            if (en.Length == 0 || fr.Length == 0)
            {
                Problems.Add(new ImportProblem($"{column}_en/{column}_fr", "needs both an English and a French text"));
            }

            return new LocalizedText(en, fr);
        }

        public List<Citation> Citations()
        {
            var citations = new List<Citation>();
            for (var n = 1; n <= citationGroups; n++)
            {
                var cells = CitationParts.Select(p => Get(string.Create(CultureInfo.InvariantCulture, $"citation{n}_{p}")) ?? string.Empty).ToArray();
                if (cells.All(c => c.Length == 0))
                {
                    continue;
                }

                var start = Offset(cells[1], n, "start");
                var end = Offset(cells[2], n, "end");
                if (cells[0].Length == 0)
                {
                    Problems.Add(new ImportProblem(string.Create(CultureInfo.InvariantCulture, $"citation{n}_source"), "a citation needs its source's key"));
                }

                citations.Add(new Citation(cells[0], cells[3], start, end));
            }

            return citations;
        }

        private int Offset(string cell, int n, string part)
        {
            if (int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Problems.Add(new ImportProblem(string.Create(CultureInfo.InvariantCulture, $"citation{n}_{part}"), $"'{cell}' is not an offset (a whole number of code points)"));
            return 0;
        }
    }
}
