using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Store.Sqlite;

// Mapping between rows and domain records. Column order follows the *Columns constants of SqliteSql.
public sealed partial class SqliteGraphStore
{
    private static Entity ReadEntity(DbDataReader reader) => new(
        new EntityKey(reader.GetString(0)),
        Vocabulary.Parse<EntityKind>(reader.GetString(1)),
        new LocalizedText(reader.GetString(2), reader.GetString(3)),
        new LocalizedText(reader.GetString(4), reader.GetString(5)),
        FromJson<List<EntityAlias>>(reader.GetString(6)),
        FromJson<List<Citation>>(reader.GetString(7)));

    private static Relationship ReadRelationship(DbDataReader reader) => new(
        reader.GetString(0),
        Vocabulary.Parse<RelationshipType>(reader.GetString(1)),
        new EntityKey(reader.GetString(2)),
        new EntityKey(reader.GetString(3)),
        FromJson<RelationshipProperties>(reader.GetString(4)),
        FromJson<List<Citation>>(reader.GetString(5)));

    private static Observation ReadObservation(DbDataReader reader) => new(
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
        NullableString(reader, 10) is { } note ? FromJson<LocalizedText>(note) : null,
        FromJson<List<Citation>>(reader.GetString(11)));

    private static Quote ReadQuote(DbDataReader reader) => new(
        reader.GetString(0),
        new EntityKey(reader.GetString(1)),
        reader.GetString(2),
        reader.GetString(3) == "fr" ? Language.Fr : Language.En,
        NullableString(reader, 4),
        FromJson<List<Citation>>(reader.GetString(5)));

    private static Source ReadSource(DbDataReader reader) => new(
        reader.GetString(0),
        new LocalizedText(reader.GetString(1), reader.GetString(2)),
        reader.GetString(3) == "fr" ? Language.Fr : Language.En,
        reader.GetString(4),
        NullableString(reader, 5),
        reader.GetString(6));

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static T FromJson<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException($"Stored JSON '{json}' does not hold a {typeof(T).Name}.");

    private static string ToJson<T>(T value) => JsonSerializer.Serialize(value, Json);
}
