using System.Net;
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
    public static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    /// <summary>The request in a JSON object, or the error that answers it.</summary>
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

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, JsonOptions);
        }
        catch (JsonException ex)
        {
            return (null, InvalidJson($"The '{parameter}' parameter is not valid JSON: {ex.Message}"));
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
