using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace KnowledgeGraph.Security;

/// <summary>What a key may do. Each role includes the ones before it.</summary>
public enum ApiRole
{
    /// <summary>Reads the graph.</summary>
    Reader,
    /// <summary>Reads, and writes facts with provenance.</summary>
    Partner,
    /// <summary>Everything, including history and retracted records.</summary>
    Admin,
}

/// <summary>A key as stored: never the key itself, only its hash.</summary>
public sealed record ApiKeyRecord(string Id, string Name, ApiRole Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>Where keys are kept, by the hash of their secret.</summary>
public interface IApiKeyStore
{
    Task<ApiKeyRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken);

    Task AddAsync(ApiKeyRecord key, string hash, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key by id; false when no active key has that id.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}

public static class ApiKeySecrets
{
    private const string Prefix = "kg_";

    /// <summary>A new key: 256 random bits, prefixed so a leaked key is easy to recognise and scan for.</summary>
    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The stored form of a key. A plain SHA-256 is enough: keys are 256 random bits, so there is nothing to guess
    /// that a slow hash would protect, and every request can check its key cheaply.
    /// </summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A short, public id for a new key (shown in history and logs instead of the key).</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static async Task<(ApiKeyRecord Record, string Secret)> IssueAsync(IApiKeyStore store, string name, ApiRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var secret = Generate();
        var record = new ApiKeyRecord(NewId(), name.Trim(), role, DateTimeOffset.UtcNow, null);
        await store.AddAsync(record, Hash(secret), cancellationToken);
        return (record, secret);
    }
}
