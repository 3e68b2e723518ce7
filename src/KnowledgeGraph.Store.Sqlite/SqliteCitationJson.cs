using System.Text.Json;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Reads a citations column (<c>[{"source":…,"excerpt":…,"start":…,"end":…}]</c>, as <see cref="SqliteJson.Write"/>
/// writes it) with one pass of the JSON reader. Through the serializer, whose records with a constructor are read
/// through a buffer of arguments, that was 5 % of a query asking for citations. Anything of another shape (a property
/// this reader does not know, one missing, a value of another type) is read by the serializer, as before.
/// </summary>
internal static class SqliteCitationJson
{
    public static List<Citation> Read(byte[] utf8Json) =>
        TryRead(utf8Json, out var citations) ? citations : SqliteJson.Read<List<Citation>>(utf8Json);

    /// <summary>The citations when the text is an array of objects with exactly the four properties; false otherwise.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> utf8Json, out List<Citation> citations)
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
                if (ReadOne(ref reader) is not { } citation)
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

    private static Citation? ReadOne(ref Utf8JsonReader reader)
    {
        string? source = null, excerpt = null;
        int? start = null, end = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("source"u8))
            {
                source = reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (source is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("excerpt"u8))
            {
                excerpt = reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (excerpt is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("start"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
                {
                    return null;
                }

                start = value;
            }
            else if (reader.ValueTextEquals("end"u8))
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var value))
                {
                    return null;
                }

                end = value;
            }
            else
            {
                return null;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject && source is not null && excerpt is not null && start is { } s && end is { } e
            ? new Citation(source, excerpt, s, e)
            : null;
    }
}
