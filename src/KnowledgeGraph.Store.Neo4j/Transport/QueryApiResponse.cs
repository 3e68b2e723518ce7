using System.Globalization;
using System.Text.Json;

namespace KnowledgeGraph.Store.Neo4j.Transport;

/// <summary>An error Neo4j reported: its status code (<c>Neo.ClientError.Statement.SyntaxError</c>) and message.</summary>
public sealed record Neo4jError(string Code, string Message)
{
    /// <summary>Neo4j's own word that retrying the same request may succeed.</summary>
    public bool IsTransient => Code.StartsWith("Neo.TransientError.", StringComparison.Ordinal);
}

/// <summary>The transaction a Query API response belongs to: its id and when the server will roll it back if idle.</summary>
public sealed record QueryApiTransaction(string Id, string? Expires);

/// <summary>One decoded Query API response body.</summary>
public sealed record QueryApiResponse(CypherResult Result, IReadOnlyList<Neo4jError> Errors, QueryApiTransaction? Transaction);

/// <summary>
/// Decodes Query API v2 response bodies in the typed JSON format (<c>application/vnd.neo4j.query</c>), where every
/// value is <c>{"$type": ..., "_value": ...}</c>. Integers and floats arrive as strings so that no precision is lost.
/// </summary>
public static class QueryApiResponseReader
{
    public static QueryApiResponse Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return new QueryApiResponse(CypherResult.Empty, [], null);
        }

        using var document = JsonDocument.Parse(body.ToArray());
        return Read(document.RootElement);
    }

    public static QueryApiResponse Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A Query API response is a JSON object, not {root.ValueKind}.");
        }

        var errors = new List<Neo4jError>();
        if (root.TryGetProperty("errors", out var errorsElement) && errorsElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var error in errorsElement.EnumerateArray())
            {
                errors.Add(new Neo4jError(
                    StringOrEmpty(error, "code"),
                    StringOrEmpty(error, "message")));
            }
        }

        var fields = new List<string>();
        var records = new List<CypherRecord>();
        if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
        {
            if (data.TryGetProperty("fields", out var fieldsElement))
            {
                fields.AddRange(fieldsElement.EnumerateArray().Select(f => f.GetString() ?? string.Empty));
            }

            if (data.TryGetProperty("values", out var rows))
            {
                foreach (var row in rows.EnumerateArray())
                {
                    var values = row.ValueKind == JsonValueKind.Array
                        ? row.EnumerateArray().Select(Decode).ToList()
                        : [Decode(row)]; // a one-field row some servers send unwrapped
                    if (values.Count != fields.Count)
                    {
                        throw new JsonException($"A record has {values.Count} values for {fields.Count} fields.");
                    }

                    records.Add(new CypherRecord(fields, values));
                }
            }
        }

        var bookmarks = root.TryGetProperty("bookmarks", out var bookmarksElement) && bookmarksElement.ValueKind == JsonValueKind.Array
            ? bookmarksElement.EnumerateArray().Select(b => b.GetString() ?? string.Empty).ToList()
            : [];

        QueryApiTransaction? transaction = null;
        if (root.TryGetProperty("transaction", out var tx) && tx.ValueKind == JsonValueKind.Object)
        {
            transaction = new QueryApiTransaction(StringOrEmpty(tx, "id"), tx.TryGetProperty("expires", out var e) ? e.GetString() : null);
        }

        return new QueryApiResponse(new CypherResult(fields, records, bookmarks), errors, transaction);
    }

    /// <summary>Decodes one typed value (<c>{"$type": "Integer", "_value": "42"}</c>) to its .NET value.</summary>
    public static object? Decode(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("$type", out var typeElement))
        {
            return DecodePlain(element);
        }

        var type = typeElement.GetString();
        if (!element.TryGetProperty("_value", out var value))
        {
            throw new JsonException($"A typed value of $type '{type}' has no _value.");
        }

        return type switch
        {
            "Null" => null,
            "Boolean" => value.GetBoolean(),
            "Integer" => value.ValueKind == JsonValueKind.String
                ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
                : value.GetInt64(),
            "Float" => value.ValueKind == JsonValueKind.String
                ? ParseFloat(value.GetString()!)
                : value.GetDouble(),
            "String" => value.GetString(),
            "Base64" => Convert.FromBase64String(value.GetString() ?? string.Empty),
            "List" => value.EnumerateArray().Select(Decode).ToList(),
            "Map" => DecodeMap(value),
            "Node" => DecodeNode(value),
            "Relationship" => DecodeRelationship(value),
            "Path" => DecodePath(value),
            // Temporal values keep their ISO-8601 text; points and anything newer keep their JSON.
            _ => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(),
        };
    }

    private static double ParseFloat(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, object?> DecodeMap(JsonElement value)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            map[property.Name] = Decode(property.Value);
        }

        return map;
    }

    private static CypherNode DecodeNode(JsonElement value) =>
        new(
            StringOrEmpty(value, "_element_id"),
            value.TryGetProperty("_labels", out var labels) ? labels.EnumerateArray().Select(l => l.GetString() ?? string.Empty).ToList() : [],
            value.TryGetProperty("_properties", out var properties) ? DecodeMap(properties) : new Dictionary<string, object?>());

    private static CypherRelationship DecodeRelationship(JsonElement value) =>
        new(
            StringOrEmpty(value, "_element_id"),
            StringOrEmpty(value, "_start_node_element_id"),
            StringOrEmpty(value, "_end_node_element_id"),
            StringOrEmpty(value, "_type"),
            value.TryGetProperty("_properties", out var properties) ? DecodeMap(properties) : new Dictionary<string, object?>());

    private static CypherPath DecodePath(JsonElement value)
    {
        var nodes = new List<CypherNode>();
        var relationships = new List<CypherRelationship>();
        foreach (var item in value.EnumerateArray())
        {
            switch (Decode(item))
            {
                case CypherNode node:
                    nodes.Add(node);
                    break;
                case CypherRelationship relationship:
                    relationships.Add(relationship);
                    break;
                default:
                    throw new JsonException("A path holds only nodes and relationships.");
            }
        }

        if (nodes.Count != relationships.Count + 1)
        {
            throw new JsonException($"A path of {relationships.Count} relationships must hold {relationships.Count + 1} nodes, not {nodes.Count}.");
        }

        return new CypherPath(nodes, relationships);
    }

    // Plain JSON (application/json), should a server answer in it rather than in typed JSON: numbers without a
    // fraction are integers, nodes and relationships are recognised by their element ids, and a list that alternates
    // node, relationship, node... is a path.
    private static object? DecodePlain(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? (object)l : element.GetDouble();
            case JsonValueKind.Array:
                var items = element.EnumerateArray().Select(Decode).ToList();
                var isPath = items.Count >= 3 && items.Count % 2 == 1
                    && items.Select((item, i) => i % 2 == 0 ? item is CypherNode : item is CypherRelationship).All(ok => ok);
                return isPath
                    ? new CypherPath(items.OfType<CypherNode>().ToList(), items.OfType<CypherRelationship>().ToList())
                    : items;
            case JsonValueKind.Object when element.TryGetProperty("elementId", out var id) && element.TryGetProperty("properties", out var properties):
                if (element.TryGetProperty("labels", out var labels))
                {
                    return new CypherNode(id.GetString() ?? string.Empty, labels.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToList(), DecodeMap(properties));
                }

                return new CypherRelationship(
                    id.GetString() ?? string.Empty,
                    StringOrEmpty(element, "startNodeElementId"),
                    StringOrEmpty(element, "endNodeElementId"),
                    StringOrEmpty(element, "type"),
                    DecodeMap(properties));
            case JsonValueKind.Object:
                return DecodeMap(element);
            default:
                return null;
        }
    }

    private static string StringOrEmpty(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
}
