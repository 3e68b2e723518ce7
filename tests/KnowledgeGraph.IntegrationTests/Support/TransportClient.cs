using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>The three ways a client sends an operation.</summary>
public enum Transport
{
    Post,
    Get,
    WebSocket,
}

/// <summary>
/// What a transport answered, reduced to what must not depend on the transport: the error codes and the data.
/// <see cref="Status"/> is the HTTP status (null over WebSocket, where a refusal is an <c>error</c> message).
/// </summary>
public sealed record TransportAnswer(HttpStatusCode? Status, IReadOnlyList<string?> Codes, JsonElement Data, string Raw)
{
    public override string ToString() => $"{Status?.ToString() ?? "ws"}: {Raw}";
}

public static class TransportClient
{
    /// <summary>Sends one operation over <paramref name="transport"/>, with <paramref name="apiKey"/> when given.</summary>
    public static async Task<TransportAnswer> RunAsync(this KnowledgeGraphApp app, Transport transport, string? query, string? apiKey = null, object? extensions = null, object? variables = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (transport == Transport.WebSocket)
        {
            await using var client = await GraphQLWsClient.ConnectAndInitAsync(app, apiKey is null ? null : new { Authorization = $"Bearer {apiKey}" });
            return await client.RunAsync("1", query, extensions, variables);
        }

        HttpRequestMessage request;
        if (transport == Transport.Post)
        {
            request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent(JsonSerializer.Serialize(new { query, variables, extensions }), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        else
        {
            var parameters = new List<string>();
            if (query is not null)
            {
                parameters.Add("query=" + Uri.EscapeDataString(query));
            }

            if (variables is not null)
            {
                parameters.Add("variables=" + Uri.EscapeDataString(JsonSerializer.Serialize(variables)));
            }

            if (extensions is not null)
            {
                parameters.Add("extensions=" + Uri.EscapeDataString(JsonSerializer.Serialize(extensions)));
            }

            request = new HttpRequestMessage(HttpMethod.Get, "/graphql?" + string.Join('&', parameters));
        }

        using (request)
        {
            if (apiKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {apiKey}");
            }

            var response = await app.SendAsync(request);
            return new TransportAnswer(response.Status, response.ErrorCodes, response.Data, response.Body);
        }
    }

    /// <summary>Runs one operation on an open connection and reads its first answer: a <c>next</c> or an <c>error</c>.</summary>
    public static async Task<TransportAnswer> RunAsync(this GraphQLWsClient client, string id, string? query, object? extensions = null, object? variables = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.SendAsync(new { id, type = "subscribe", payload = new { query, variables, extensions } });
        var message = await client.ReceiveAsync();
        var type = message.GetProperty("type").GetString();
        var payload = message.GetProperty("payload");
        if (type == "next")
        {
            // A query or mutation: one result, then its complete.
            var complete = await client.ReceiveAsync();
            Assert.Equal("complete", complete.GetProperty("type").GetString());
        }

        return type switch
        {
            "next" => new TransportAnswer(
                null,
                payload.TryGetProperty("errors", out var errors) ? CodesOf(errors) : [],
                payload.TryGetProperty("data", out var data) ? data.Clone() : default,
                message.GetRawText()),
            "error" => new TransportAnswer(null, CodesOf(payload), default, message.GetRawText()),
            _ => throw new InvalidOperationException($"expected 'next' or 'error', got {message}"),
        };
    }

    private static List<string?> CodesOf(JsonElement errors) => [.. errors.EnumerateArray().Select(e =>
        e.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var code) ? code.GetString() : null)];
}
