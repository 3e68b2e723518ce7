using System.Text.Json;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Reads the JSON columns the hot reads parse (citations, a relationship's properties, a fact's rationale) with one
/// pass of the JSON reader. Through the serializer, whose records with a constructor are read through a buffer of
/// arguments, they were 6.5 % of a query that reads relationships with their citations. A text of any other shape (a
/// property these readers do not know, one missing, a value of another type) is read by the serializer, as before.
/// </summary>
/// <remarks>What each reader parses is kept by its text (<see cref="SqliteParsedJson{T}"/>), so a row read again is not parsed again.</remarks>
internal static class SqliteColumnJson
{
    // Sized for a graph's worth of hot rows; a larger graph only parses more often.
    private static readonly SqliteParsedJson<IReadOnlyList<Citation>> Citations = new(2048, ParseCitations);
    private static readonly SqliteParsedJson<RelationshipProperties> Properties = new(512, ParseProperties);
    private static readonly SqliteParsedJson<LocalizedText> Texts = new(512, ParseText);

    /// <summary>A citations column (<c>[{"source":…,"excerpt":…,"start":…,"end":…}]</c>, as <see cref="SqliteJson.Write"/> writes it).</summary>
    public static IReadOnlyList<Citation> ReadCitations(byte[] utf8Json) =>
        utf8Json.AsSpan().SequenceEqual("[]"u8) ? [] : Citations.Get(utf8Json);

    private static Citation[] ParseCitations(byte[] utf8Json) =>
        TryReadCitations(utf8Json, out var citations) ? [.. citations] : [.. SqliteJson.Read<List<Citation>>(utf8Json)];

    /// <summary>The citations when the text is an array of objects with exactly the four properties; false otherwise.</summary>
    internal static bool TryReadCitations(ReadOnlySpan<byte> utf8Json, out List<Citation> citations)
    {
        citations = [];
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                if (ReadCitation(ref reader) is not { } citation)
                {
                    return false;
                }

                citations.Add(citation);
            }

            return reader.TokenType == JsonTokenType.EndArray && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Citation? ReadCitation(ref Utf8JsonReader reader)
    {
        string? source = null, excerpt = null;
        int? start = null, end = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var ok = reader.ValueTextEquals("source"u8) ? (source = String(ref reader)) is not null
                : reader.ValueTextEquals("excerpt"u8) ? (excerpt = String(ref reader)) is not null
                : reader.ValueTextEquals("start"u8) ? (start = Int32(ref reader)) is not null
                : reader.ValueTextEquals("end"u8) && (end = Int32(ref reader)) is not null;
            if (!ok)
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && source is not null && excerpt is not null && start is { } s && end is { } e
            ? new Citation(source, excerpt, s, e)
            : null;
    }

    public static RelationshipProperties ReadProperties(byte[] utf8Json)
    {
        if (utf8Json.AsSpan().SequenceEqual("{}"u8))
        {
            return RelationshipProperties.None;
        }

        return Properties.Get(utf8Json);
    }

    /// <summary>An <c>{"en":…,"fr":…}</c> column (a fact's rationale).</summary>
    public static LocalizedText ReadText(byte[] utf8Json) => Texts.Get(utf8Json);

    private static RelationshipProperties ParseProperties(byte[] utf8Json) =>
        TryReadProperties(utf8Json, out var properties) ? properties : SqliteJson.Read<RelationshipProperties>(utf8Json);

    private static LocalizedText ParseText(byte[] utf8Json) =>
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

    // The 32-bit integer after a property name; null when it is of another type or size.
    private static int? Int32(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : null;

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
