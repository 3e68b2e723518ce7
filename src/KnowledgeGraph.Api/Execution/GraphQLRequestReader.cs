using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.PersistedOperations;

namespace KnowledgeGraph.Api.Execution;

/// <summary>
/// Reads a GraphQL request from JSON, the same way for every transport: a POST body and a WebSocket
/// <c>subscribe</c> payload are the same object (<c>query</c>, <c>operationName</c>, <c>variables</c>,
/// <c>extensions</c>), and a GET's <c>variables</c> and <c>extensions</c> parameters are JSON maps.
/// </summary>
public sealed class GraphQLRequestReader(IGraphQLTextSerializer serializer)
{
    /// <summary>How JSON requests are parsed: bounded nesting.</summary>
    public static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>
    /// Parses a request's JSON text, refusing what would be read two ways or fail later (400 <c>INVALID_JSON</c>):
    /// bytes that are not UTF-8, a name twice in one object (the top level or inside <c>variables</c>: a gateway in
    /// front may read the other one), a string that is not valid Unicode (a lone surrogate escape such as
    /// <c>"\ud800"</c>) and a number beyond a double's range (such as <c>1e400</c>).
    /// </summary>
    public static (JsonDocument? Document, GraphQLRequestError? Error) Parse(ReadOnlyMemory<byte> utf8, string what)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span))
        {
            return (null, InvalidJson($"{what} is not valid UTF-8."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, JsonOptions);
        }
        catch (JsonException ex)
        {
            return (null, InvalidJson($"{what} is not valid JSON: {ex.Message}"));
        }
        catch (InvalidOperationException)
        {
            // Comparing names for duplicates unescapes them; a lone surrogate in a name fails there.
            return (null, InvalidJson($"{what} has a name that is not valid Unicode (a lone surrogate)."));
        }

        if (Unreadable(document.RootElement) is { } problem)
        {
            document.Dispose();
            return (null, InvalidJson($"{what} {problem}"));
        }

        return (document, null);
    }

    /// <summary>What in <paramref name="element"/> cannot be read as Unicode text or a finite number; null when all can.</summary>
    public static string? Unreadable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    return !HasEscape(JsonMarshal.GetRawUtf8Value(element)) || IsValidUtf16(element.GetString()!)
                        ? null
                        : "has a string that is not valid Unicode (a lone surrogate).";
                }
                catch (InvalidOperationException)
                {
                    return "has a string that is not valid Unicode (a lone surrogate).";
                }

            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) && double.IsFinite(number)
                    ? null
                    : $"has a number beyond the range of a double ({Shorten(element.GetRawText())}).";
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (Unreadable(item) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    bool valid;
                    try
                    {
                        valid = !HasEscape(JsonMarshal.GetRawUtf8PropertyName(property)) || IsValidUtf16(property.Name);
                    }
                    catch (InvalidOperationException)
                    {
                        valid = false;
                    }

                    if (!valid)
                    {
                        return "has a name that is not valid Unicode (a lone surrogate).";
                    }

                    if (Unreadable(property.Value) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The request in a JSON object, or the error that answers it. <paramref name="body"/> is in a document
    /// <see cref="Parse"/> accepted, which has checked every name, string and number in it already.
    /// </summary>
    public (GraphQLRequest? Request, GraphQLRequestError? Error) ReadObject(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, NotWellFormed(body.ValueKind == JsonValueKind.Array
                ? "Batched requests (a JSON array) are not supported; send one request object per POST."
                : "The request body must be a JSON object with a 'query' string."));
        }

        var (extensions, extensionsError) = ReadMapProperty(body, "extensions");
        if (extensionsError is not null)
        {
            return (null, extensionsError);
        }

        var query = body.TryGetProperty("query", out var q) ? q : default;
        if (query.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
            || (query.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(query.GetString())))
        {
            // A persisted query's document comes from its hash.
            if (!PersistedQueryResolver.HasPersistedQuery(extensions))
            {
                return (null, MissingQuery());
            }

            query = default;
        }
        else if (query.ValueKind != JsonValueKind.String)
        {
            return (null, NotWellFormed("'query' must be a string."));
        }

        string? operationName = null;
        if (body.TryGetProperty("operationName", out var name) && name.ValueKind != JsonValueKind.Null)
        {
            if (name.ValueKind != JsonValueKind.String)
            {
                return (null, NotWellFormed("'operationName' must be a string or null."));
            }

            operationName = name.GetString() is { Length: > 0 } given ? given : null;
        }

        var (variables, variablesError) = ReadMapProperty(body, "variables");
        if (variablesError is not null)
        {
            return (null, variablesError);
        }

        return (new GraphQLRequest { Query = query.ValueKind == JsonValueKind.String ? query.GetString() : null, OperationName = operationName, Variables = variables, Extensions = extensions }, null);
    }

    /// <summary>A JSON map given as text (a GET parameter); empty text or <c>null</c> is no map.</summary>
    public (Inputs? Map, GraphQLRequestError? Error) ReadMapText(string text, string parameter)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return (null, null);
        }

        var (document, error) = Parse(System.Text.Encoding.UTF8.GetBytes(text), $"The '{parameter}' parameter");
        if (document is null)
        {
            return (null, error);
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Null
                ? (null, null)
                : ReadMap(document.RootElement, parameter);
        }
    }

    public static GraphQLRequestError InvalidJson(string message)
        => new(HttpStatusCode.BadRequest, ErrorCodes.InvalidJson, message);

    public static GraphQLRequestError MissingQuery()
        => new(HttpStatusCode.UnprocessableEntity, ErrorCodes.MissingQuery, "The request has no 'query' (the GraphQL document to run).");

    public static GraphQLRequestError NotWellFormed(string message)
        => new(HttpStatusCode.UnprocessableEntity, ErrorCodes.BadRequest, message);

    // The input is valid UTF-8, which cannot encode a surrogate: a lone one can only come from a \u escape, so text
    // with no backslash needs no decoding to be checked.
    private static bool HasEscape(ReadOnlySpan<byte> raw) => raw.Contains((byte)'\\');

    // Property names are unescaped without the check string values get: a lone surrogate comes through.
    private static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    private (Inputs? Map, GraphQLRequestError? Error) ReadMapProperty(JsonElement body, string property)
    {
        if (!body.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return ReadMap(value, property);
    }

    private (Inputs? Map, GraphQLRequestError? Error) ReadMap(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return (null, NotWellFormed($"'{name}' must be a JSON object (a map of names to values); got {value.ValueKind.ToString().ToUpperInvariant()}."));
        }

        return (serializer.ReadNode<Inputs>(value) ?? Inputs.Empty, null);
    }
}
