using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Mapping between rows and domain records, both directions of each record side by side: <c>*Row</c> gives the
/// parameters of its upsert in SqliteSql (the statement stays prepared; only values change), <c>Read*</c> reads it
/// back in the column order of SqliteSql's *Columns constants, from either kind of row (<see cref="ISqliteRow"/>). A new
/// column is its table's DDL and these two.
/// </summary>
internal static class SqliteRows
{
    public static (string Name, object? Value)[] SourceRow(Source s, string origin) =>
    [
        ("$key", s.Key), ("$title_en", s.Title.En), ("$title_fr", s.Title.Fr), ("$language", Vocabulary.ToCode(s.Language)),
        ("$published_on", s.PublishedOn), ("$url", s.Url), ("$retrieved_on", s.RetrievedOn), ("$text", s.Text), ("$origin", origin),
    ];

    public static Source ReadSource(DbDataReader reader) => ReadSource(new DataReaderRow(reader));

    public static Source ReadSource<TRow>(TRow row)
        where TRow : ISqliteRow => new(
        row.GetString(0),
        new LocalizedText(row.GetString(1), row.GetString(2)),
        row.GetString(3) == "fr" ? Language.Fr : Language.En,
        row.GetString(4),
        row.GetStringOrNull(5),
        row.GetString(6))
        {
            RetrievedOn = row.GetStringOrNull(7),
        };

    public static (string Name, object? Value)[] EntityRow(Entity e, string origin) =>
    [
        ("$key", e.Key.Value), ("$kind", Vocabulary.ToWireName(e.Kind)), ("$name_en", e.Name.En), ("$name_fr", e.Name.Fr),
        ("$description_en", e.Description.En), ("$description_fr", e.Description.Fr), ("$aliases", SqliteJson.Write(e.Aliases)),
        ("$citations", SqliteJson.Write(e.Citations)), ("$origin", origin),
    ];

    public static Entity ReadEntity(DbDataReader reader) => ReadEntity(new DataReaderRow(reader));

    public static Entity ReadEntity<TRow>(TRow row)
        where TRow : ISqliteRow => new(
        new EntityKey(row.GetString(0)),
        Vocabulary.Parse<EntityKind>(row.GetString(1)),
        new LocalizedText(row.GetString(2), row.GetString(3)),
        new LocalizedText(row.GetString(4), row.GetString(5)),
        SqliteLazyJsonList<EntityAlias>.Of(row.GetUtf8(6)),
        SqliteLazyJsonList<Citation>.Of(row.GetUtf8(7)));

    public static (string Name, object? Value)[] RelationshipRow(Relationship r, string origin) =>
    [
        ("$key", r.Key), ("$type", Vocabulary.ToWireName(r.Type)), ("$from_key", r.From.Value), ("$to_key", r.To.Value),
        ("$properties", SqliteJson.Write(r.Properties)), ("$citations", SqliteJson.Write(r.Citations)), ("$origin", origin),
        .. ProvenanceRow(r.Provenance), ("$period_start", r.PeriodStart), ("$period_end", r.PeriodEnd), ("$date_basis", DateBasisRow(r.DateBasis)),
    ];

    public static Relationship ReadRelationship(DbDataReader reader) => ReadRelationship(new DataReaderRow(reader));

    public static Relationship ReadRelationship<TRow>(TRow row)
        where TRow : ISqliteRow => new(
        row.GetString(0),
        Vocabulary.Parse<RelationshipType>(row.GetString(1)),
        new EntityKey(row.GetString(2)),
        new EntityKey(row.GetString(3)),
        SqliteColumnJson.ReadProperties(row.GetUtf8(4)),
        SqliteLazyJsonList<Citation>.Of(row.GetUtf8(5)))
        {
            Provenance = ReadProvenance(row, 6),
            PeriodStart = row.GetStringOrNull(10),
            PeriodEnd = row.GetStringOrNull(11),
            DateBasis = row.GetStringOrNull(12) is { } dateBasis ? Vocabulary.Parse<DateBasis>(dateBasis) : null,
        };

    public static (string Name, object? Value)[] ObservationRow(Observation o, string origin) =>
    [
        ("$key", o.Key), ("$subject", o.Subject.Value), ("$metric", o.Metric), ("$value", o.Value.ToString(CultureInfo.InvariantCulture)),
        ("$unit", o.Unit), ("$precision", Vocabulary.ToWireName(o.Precision)), ("$period_start", o.PeriodStart), ("$period_end", o.PeriodEnd),
        ("$duration", o.Duration), ("$region", o.Region?.Value), ("$note", o.Note is null ? null : SqliteJson.Write(o.Note)),
        ("$citations", SqliteJson.Write(o.Citations)), ("$origin", origin), .. ProvenanceRow(o.Provenance),
        ("$date_basis", DateBasisRow(o.DateBasis)), ("$share_of", o.ShareOf),
    ];

    public static Observation ReadObservation(DbDataReader reader) => ReadObservation(new DataReaderRow(reader));

    public static Observation ReadObservation<TRow>(TRow row)
        where TRow : ISqliteRow => new(
        row.GetString(0),
        new EntityKey(row.GetString(1)),
        row.GetString(2),
        decimal.Parse(row.GetString(3), NumberStyles.Float, CultureInfo.InvariantCulture),
        row.GetString(4),
        Vocabulary.Parse<Precision>(row.GetString(5)),
        row.GetStringOrNull(6),
        row.GetStringOrNull(7),
        row.GetStringOrNull(8),
        row.GetStringOrNull(9) is { } region ? new EntityKey(region) : null,
        row.GetStringOrNull(10) is { } note ? SqliteJson.Read<LocalizedText>(note) : null,
        SqliteColumnJson.ReadCitations(row.GetUtf8(11)))
        {
            Provenance = ReadProvenance(row, 12),
            DateBasis = row.GetStringOrNull(16) is { } dateBasis ? Vocabulary.Parse<DateBasis>(dateBasis) : null,
            ShareOf = row.GetStringOrNull(17),
        };

    public static (string Name, object? Value)[] ClaimRow(Claim c, string origin) =>
    [
        ("$key", c.Key), ("$text_en", c.Text.En), ("$text_fr", c.Text.Fr), ("$about", SqliteJson.Write(c.About.Select(k => k.Value))),
        .. ProvenanceRow(c.Provenance), ("$citations", SqliteJson.Write(c.Citations)), ("$origin", origin),
    ];

    public static Claim ReadClaim(DbDataReader reader) => ReadClaim(new DataReaderRow(reader));

    public static Claim ReadClaim<TRow>(TRow row)
        where TRow : ISqliteRow => new(
        row.GetString(0),
        new LocalizedText(row.GetString(1), row.GetString(2)),
        [.. SqliteJson.Read<List<string>>(row.GetString(3)).Select(k => new EntityKey(k))],
        ReadProvenance(row, 4),
        SqliteColumnJson.ReadCitations(row.GetUtf8(8)));

    private static (string Name, object? Value)[] ProvenanceRow(FactProvenance p) =>
    [
        ("$basis", Vocabulary.ToWireName(p.Basis)), ("$reported_by", p.ReportedBy?.Value),
        ("$rationale", p.Rationale is null ? null : SqliteJson.Write(p.Rationale)), ("$hedge", p.Hedge),
    ];

    private static string? DateBasisRow(DateBasis? dateBasis) => dateBasis is { } d ? Vocabulary.ToWireName(d) : null;

    /// <summary>The four provenance columns from <paramref name="first"/> on: basis, reported_by, rationale, hedge.</summary>
    private static FactProvenance ReadProvenance<TRow>(TRow row, int first)
        where TRow : ISqliteRow
    {
        var basis = Vocabulary.Parse<Basis>(row.GetString(first));
        var reportedBy = row.GetStringOrNull(first + 1);
        var rationale = row.IsNull(first + 2) ? null : row.GetUtf8(first + 2);
        var hedge = row.GetStringOrNull(first + 3);
        return basis == Basis.Stated && reportedBy is null && rationale is null && hedge is null
            ? FactProvenance.Stated
            : new FactProvenance(basis, reportedBy is null ? null : new EntityKey(reportedBy), rationale is null ? null : SqliteColumnJson.ReadText(rationale), hedge);
    }

    public static (string Name, object? Value)[] QuoteRow(Quote q, string origin) =>
    [
        ("$key", q.Key), ("$speaker", q.Speaker.Value), ("$text", q.Text), ("$language", Vocabulary.ToCode(q.Language)),
        ("$translation", q.TranslationEn), ("$citations", SqliteJson.Write(q.Citations)), ("$origin", origin),
    ];

    public static Quote ReadQuote(DbDataReader reader) => ReadQuote(new DataReaderRow(reader));

    public static Quote ReadQuote<TRow>(TRow row)
        where TRow : ISqliteRow => new(
        row.GetString(0),
        new EntityKey(row.GetString(1)),
        row.GetString(2),
        row.GetString(3) == "fr" ? Language.Fr : Language.En,
        row.GetStringOrNull(4),
        SqliteColumnJson.ReadCitations(row.GetUtf8(5)));

}

/// <summary>The JSON kept in columns (citations, aliases, properties) and in history snapshots.</summary>
internal static class SqliteJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,

        // Stored text, never HTML: keep accents and typographic quotes readable in the file and in history.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"Stored JSON '{json}' does not hold a {typeof(T).Name}.");

    /// <summary>The value JSON text holds, from its UTF-8 bytes.</summary>
    public static T Read<T>(byte[] utf8Json) =>
        JsonSerializer.Deserialize<T>(utf8Json, Options)
        ?? throw new InvalidDataException($"Stored JSON '{System.Text.Encoding.UTF8.GetString(utf8Json)}' does not hold a {typeof(T).Name}.");

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>
    /// The text <see cref="Write"/> makes of these strings as a JSON array, written straight to a writer: every list
    /// of keys, types, kinds or bases sent to SQLite's <c>json_each</c> goes this way, and the serializer's generic
    /// path for a sequence was a visible part of a point lookup.
    /// </summary>
    public static string WriteStrings(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder, SkipValidation = true }))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The text <see cref="Write"/> makes, as UTF-8.</summary>
    public static byte[] WriteUtf8<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>A record's canonical JSON: equal records give equal text, so comparing snapshots finds real changes.</summary>
    public static string Snapshot(object record) => KnowledgeGraph.Writes.RecordSnapshot.Of(record);
}
