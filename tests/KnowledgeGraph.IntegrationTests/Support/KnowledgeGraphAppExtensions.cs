using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Security;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Support;

public static class KnowledgeGraphAppExtensions
{
    /// <summary>Issues a key of the given role in the app's own key store and returns the secret.</summary>
    public static async Task<string> IssueKeyAsync(this KnowledgeGraphApp app, ApiRole role, string name = "test")
    {
        ArgumentNullException.ThrowIfNull(app);
        var (_, secret) = await ApiKeySecrets.IssueAsync(app.Services.GetRequiredService<IApiKeyStore>(), name, role, CancellationToken.None);
        return secret;
    }

    /// <summary>POSTs a query with <c>Authorization: Bearer {apiKey}</c> (or <c>X-Api-Key</c> when <paramref name="header"/> says so).</summary>
    public static async Task<GraphQLResponse> PostWithKeyAsync(this KnowledgeGraphApp app, string apiKey, string query, object? variables = null, string header = "Authorization")
    {
        ArgumentNullException.ThrowIfNull(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql");
        request.Content = new StringContent(JsonSerializer.Serialize(new { query, variables }), Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(header, header == "Authorization" ? $"Bearer {apiKey}" : apiKey);
        return await app.SendAsync(request);
    }
}
