using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>Mapping between rows and domain records. Column order follows the *Columns constants of SqliteSql.</summary>
internal static class SqliteRows
{
    public static Entity ReadEntity(DbDataReader reader) => new(
        new EntityKey(reader.GetString(0)),
        Vocabulary.Parse<EntityKind>(reader.GetString(1)),
        new LocalizedText(reader.GetString(2), reader.GetString(3)),
        new LocalizedText(reader.GetString(4), reader.GetString(5)),
        SqliteLazyJsonList<EntityAlias>.Of(reader.GetString(6)),
        SqliteLazyJsonList<Citation>.Of(reader.GetString(7)));

    public static Relationship ReadRelationship(DbDataReader reader) => new(
        reader.GetString(0),
        Vocabulary.Parse<RelationshipType>(reader.GetString(1)),
        new EntityKey(reader.GetString(2)),
        new EntityKey(reader.GetString(3)),
        reader.GetString(4) is var properties && properties == "{}" ? RelationshipProperties.None : SqliteJson.Read<RelationshipProperties>(properties),
        SqliteLazyJsonList<Citation>.Of(reader.GetString(5)))
    {
        Provenance = ReadProvenance(reader, 6),
        PeriodStart = NullableString(reader, 10),
        PeriodEnd = NullableString(reader, 11),
        DateBasis = NullableString(reader, 12) is { } dateBasis ? Vocabulary.Parse<DateBasis>(dateBasis) : null,
    };

    public static Observation ReadObservation(DbDataReader reader) => new(
        reader.GetString(0),
        new EntityKey(reader.GetString(1)),
        reader.GetString(2),
        decimal.Parse(reader.GetString(3), NumberStyles.Float, CultureInfo.InvariantCulture),
        reader.GetString(4),
        Vocabulary.Parse<Precision>(reader.GetString(5)),
        NullableString(reader, 6),
        NullableString(reader, 7),
        NullableString(reader, 8),
        NullableString(reader, 9) is { } region ? new EntityKey(region) : null,
        NullableString(reader, 10) is { } note ? SqliteJson.Read<LocalizedText>(note) : null,
        SqliteJson.Read<List<Citation>>(reader.GetString(11)))
    {
        Provenance = ReadProvenance(reader, 12),
        DateBasis = NullableString(reader, 16) is { } dateBasis ? Vocabulary.Parse<DateBasis>(dateBasis) : null,
        ShareOf = NullableString(reader, 17),
    };

    public static Claim ReadClaim(DbDataReader reader) => new(
        reader.GetString(0),
        new LocalizedText(reader.GetString(1), reader.GetString(2)),
        [.. SqliteJson.Read<List<string>>(reader.GetString(3)).Select(k => new EntityKey(k))],
        ReadProvenance(reader, 4),
        SqliteJson.Read<List<Citation>>(reader.GetString(8)));

    /// <summary>The four provenance columns from <paramref name="first"/> on: basis, reported_by, rationale, hedge.</summary>
    private static FactProvenance ReadProvenance(DbDataReader reader, int first)
    {
        var basis = Vocabulary.Parse<Basis>(reader.GetString(first));
        var reportedBy = NullableString(reader, first + 1);
        var rationale = NullableString(reader, first + 2);
        var hedge = NullableString(reader, first + 3);
        return basis == Basis.Stated && reportedBy is null && rationale is null && hedge is null
            ? FactProvenance.Stated
            : new FactProvenance(basis, reportedBy is null ? null : new EntityKey(reportedBy), rationale is null ? null : SqliteJson.Read<LocalizedText>(rationale), hedge);
    }

    public static Quote ReadQuote(DbDataReader reader) => new(
        reader.GetString(0),
        new EntityKey(reader.GetString(1)),
        reader.GetString(2),
        reader.GetString(3) == "fr" ? Language.Fr : Language.En,
        NullableString(reader, 4),
        SqliteJson.Read<List<Citation>>(reader.GetString(5)));

    public static Source ReadSource(DbDataReader reader) => new(
        reader.GetString(0),
        new LocalizedText(reader.GetString(1), reader.GetString(2)),
        reader.GetString(3) == "fr" ? Language.Fr : Language.En,
        reader.GetString(4),
        NullableString(reader, 5),
        reader.GetString(6))
    {
        RetrievedOn = NullableString(reader, 7),
    };

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
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

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The text <see cref="Write"/> makes, as UTF-8.</summary>
    public static byte[] WriteUtf8<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>A record's canonical JSON: equal records give equal text, so comparing snapshots finds real changes.</summary>
    public static string Snapshot(object record) => KnowledgeGraph.Writes.RecordSnapshot.Of(record);
}
