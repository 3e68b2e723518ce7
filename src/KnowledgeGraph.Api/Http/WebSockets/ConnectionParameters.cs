using System.Text.Json;

namespace KnowledgeGraph.Api.Http.WebSockets;

/// <summary>
/// What a client may put in the <c>connection_init</c> payload (graphql-ws <c>connectionParams</c>), by name,
/// ignoring case, at the top level or under <c>headers</c> (as some clients nest them): <c>Authorization</c>
/// (<c>Bearer &lt;key&gt;</c>), <c>apiKey</c> or <c>X-Api-Key</c>, and <c>Accept-Language</c>.
/// </summary>
internal static class ConnectionParameters
{
    public static string? ApiKeyOf(JsonElement payload)
    {
        if (StringOf(payload, "Authorization") is { } authorization)
        {
            var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? authorization["Bearer ".Length..]
                : authorization;
            return token.Trim() is { Length: > 0 } key ? key : null;
        }

        return (StringOf(payload, "apiKey") ?? StringOf(payload, "X-Api-Key"))?.Trim() is { Length: > 0 } value ? value : null;
    }

    public static string? AcceptLanguageOf(JsonElement payload) => StringOf(payload, "Accept-Language");

    private static string? StringOf(JsonElement payload, string name)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in payload.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }

        foreach (var property in payload.EnumerateObject())
        {
            if (property.Name.Equals("headers", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Object)
            {
                return StringOf(property.Value, name);
            }
        }

        return null;
    }
}
