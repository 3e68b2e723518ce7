using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KnowledgeGraph.Writes;

/// <summary>
/// A record's canonical JSON, shared by every store: equal records give equal text, so comparing snapshots finds
/// real changes (a write that changes nothing is <c>Unchanged</c>), and history reads the same whatever the store.
/// </summary>
public static class RecordSnapshot
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,

        // Stored text, never HTML: keep accents and typographic quotes readable in history.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Of(object record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.Serialize(record, record.GetType(), Options);
    }
}
