using System.Security.Claims;
using KnowledgeGraph.Security;

namespace KnowledgeGraph.Api.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> against the key store, for
/// <see cref="ApiKeyGateMiddleware"/> (the endpoints it stands before are the only ones that read the caller) and the
/// WebSocket transport. No key: anonymous, with no lookup at all. A key that is unknown or revoked: refused (401).
/// Lookups are cached briefly, so a revocation takes effect within <see cref="LookupCacheDuration"/>. This is not an
/// ASP.NET Core authentication scheme: one would run on every request (health probes and scrapes too) before any
/// endpoint is chosen, and the gate would then ask it again.
/// </summary>
public static class ApiKeyAuthentication
{
    /// <summary>The authentication type of the callers' identities.</summary>
    public const string AuthenticationType = "ApiKey";
    public const string KeyIdClaim = "kg:key-id";
    public static readonly TimeSpan LookupCacheDuration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The caller a key stands for, or null when the key is unknown or revoked. Shared with transports that receive
    /// the key elsewhere than in a header (the WebSocket <c>connection_init</c> payload).
    /// </summary>
    public static async Task<ClaimsPrincipal?> PrincipalOfAsync(string secret, IApiKeyStore keys, ApiKeyLookupCache cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(cache);
        var hash = ApiKeySecrets.Hash(secret);
        var key = await cache.FindAsync(hash, keys, cancellationToken);
        if (key is not { IsActive: true })
        {
            return null;
        }

        var identity = new ClaimsIdentity(
            [new Claim(KeyIdClaim, key.Id), new Claim(ClaimTypes.Name, key.Name), new Claim(ClaimTypes.Role, key.Role.ToString())],
            AuthenticationType);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The key a request carries, from <c>Authorization: Bearer</c> or else <c>X-Api-Key</c>; null when none.</summary>
    public static string? ReadKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var header = request.Headers["X-Api-Key"].ToString().Trim();
        return header.Length > 0 ? header : null;
    }
}

/// <summary>Who is calling, as resolvers and validation rules see it.</summary>
public static class Caller
{
    public const string Anonymous = "anonymous";

    /// <summary>The caller's role; null for an anonymous caller.</summary>
    public static ApiRole? RoleOf(ClaimsPrincipal? user) =>
        user?.FindFirst(ClaimTypes.Role)?.Value is { } role && Enum.TryParse<ApiRole>(role, out var parsed) ? parsed : null;

    /// <summary>The key id that made a request (recorded with writes), or <see cref="Anonymous"/>.</summary>
    public static string IdOf(ClaimsPrincipal? user) => user?.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value ?? Anonymous;
}
