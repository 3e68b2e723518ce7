using System.Text.Json;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Reads a relationship's properties column and a fact's rationale (<c>{"en":…,"fr":…}</c>) with one pass of the JSON
/// reader, as <see cref="SqliteCitationJson"/> reads citations: through the serializer they were 3 % of a query that
/// reads relationships. A text of any other shape is read by the serializer, as before.
/// </summary>
internal static class SqlitePropertiesJson
{
    public static RelationshipProperties ReadProperties(byte[] utf8Json)
    {
        if (utf8Json.AsSpan().SequenceEqual("{}"u8))
        {
            return RelationshipProperties.None;
        }

        return TryReadProperties(utf8Json, out var properties) ? properties : SqliteJson.Read<RelationshipProperties>(utf8Json);
    }

    public static LocalizedText ReadText(byte[] utf8Json) =>
        TryReadText(utf8Json, out var text) ? text : SqliteJson.Read<LocalizedText>(utf8Json);

    internal static bool TryReadProperties(ReadOnlySpan<byte> utf8Json, out RelationshipProperties properties)
    {
        properties = RelationshipProperties.None;
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            LocalizedText? role = null, note = null;
            string? chart = null, occurredOn = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var ok = reader.ValueTextEquals("role"u8) ? (role = Text(ref reader)) is not null
                    : reader.ValueTextEquals("note"u8) ? (note = Text(ref reader)) is not null
                    : reader.ValueTextEquals("chart"u8) ? (chart = String(ref reader)) is not null
                    : reader.ValueTextEquals("occurredOn"u8) && (occurredOn = String(ref reader)) is not null;
                if (!ok)
                {
                    return false;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }

            properties = new RelationshipProperties(role, chart, occurredOn, note);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    internal static bool TryReadText(ReadOnlySpan<byte> utf8Json, out LocalizedText text)
    {
        text = null!;
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            if (!reader.Read() || Text(ref reader, started: true) is not { } read || reader.Read())
            {
                return false;
            }

            text = read;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The string value after a property name; null when it is of another type.
    private static string? String(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

    // An {"en":…,"fr":…} object, after its property name (or at its start); null when of another shape.
    private static LocalizedText? Text(ref Utf8JsonReader reader, bool started = false)
    {
        if ((!started && !reader.Read()) || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? en = null, fr = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("en"u8) ? (en = String(ref reader)) is not null
                : reader.ValueTextEquals("fr"u8) && (fr = String(ref reader)) is not null;
            if (!ok)
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && en is not null && fr is not null ? new LocalizedText(en, fr) : null;
    }
}
