using System.Globalization;
using KnowledgeGraph.Security;
using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// API keys as <c>:ApiKey</c> nodes in the graph's database (hashes only, never a secret): <c>id</c>, <c>name</c>,
/// <c>role</c>, <c>hash</c>, <c>createdAt</c>, <c>revokedAt</c>, times in ISO 8601 text. The unique constraints on
/// <c>id</c> and <c>hash</c> are in schema/neo4j/constraints.cypher, applied with the rest of the schema when the
/// graph store seeds.
/// </summary>
public sealed class Neo4jApiKeyStore(ICypherRunner runner) : IApiKeyStore
{
    public async Task<ApiKeyRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Neo4jCypher.ApiKeyByHash.Bind(("hash", hash)), cancellationToken);
        return result.Records.Count == 0 ? null : Read(result.Records[0].Get<CypherNode>("k"));
    }

    public async Task AddAsync(ApiKeyRecord key, string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = key.Id,
            ["name"] = key.Name,
            ["role"] = key.Role.ToString(),
            ["hash"] = hash,
            ["createdAt"] = Text(key.CreatedAt),
            ["revokedAt"] = key.RevokedAt is { } revoked ? Text(revoked) : null,
        };
        await runner.RunAsync(Neo4jCypher.AddApiKey.Bind(("key", properties)), cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Neo4jCypher.ApiKeys.Bind(), cancellationToken);
        return result.Records.Select(r => Read(r.Get<CypherNode>("k"))).ToList();
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Neo4jCypher.RevokeApiKey.Bind(("id", id), ("at", Text(at))), cancellationToken);
        return result.Records.Count == 1 && result.Records[0].Get<long>("revoked") == 1;
    }

    private static string Text(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static ApiKeyRecord Read(CypherNode node) => new(
        node.Get<string>("id"),
        node.Get<string>("name"),
        Enum.Parse<ApiRole>(node.Get<string>("role")),
        Time(node.Get<string>("createdAt")),
        node.Get<string?>("revokedAt") is { } revoked ? Time(revoked) : null);
}
