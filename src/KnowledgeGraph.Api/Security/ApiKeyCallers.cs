using System.Security.Claims;
using KnowledgeGraph.Security;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Security;

/// <summary>
/// Who a key stands for, for transports that receive the key elsewhere than in a request's headers (the WebSocket
/// <c>connection_init</c> payload) and stay open: the same lookup (and cache) as <see cref="ApiKeyAuthentication"/>,
/// and a watch that ends when the key is revoked.
/// </summary>
public sealed class ApiKeyCallers(IApiKeyStore keys, ApiKeyLookupCache cache, IOptionsMonitor<AuthOptions> auth)
{
    public bool AllowAnonymousReads => auth.CurrentValue.AllowAnonymousReads;

    /// <summary>The caller <paramref name="key"/> stands for; null when it is unknown or revoked.</summary>
    public Task<ClaimsPrincipal?> PrincipalOfAsync(string key, CancellationToken cancellationToken) =>
        ApiKeyAuthentication.PrincipalOfAsync(key, keys, cache, cancellationToken);

    /// <summary>
    /// Returns once <paramref name="key"/> is no longer valid. It is looked up again as often as the HTTP transport's
    /// cache expires, so a revoked key loses its open connections as soon as it would lose its requests.
    /// </summary>
    public async Task WaitUntilRevokedAsync(string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(ApiKeyAuthentication.LookupCacheDuration, cancellationToken);
            if (await PrincipalOfAsync(key, cancellationToken) is null)
            {
                return;
            }
        }
    }
}
