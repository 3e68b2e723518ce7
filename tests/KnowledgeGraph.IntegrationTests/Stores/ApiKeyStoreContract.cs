using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Store.Neo4j;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>What every <see cref="IApiKeyStore"/> must do. Keys a test adds have names and secrets of their own.</summary>
public abstract class ApiKeyStoreContract
{
    /// <summary>A key store of this kind, its schema in place.</summary>
    protected abstract Task<IApiKeyStore> CreateStoreAsync();

    [ContractFact]
    public async Task An_issued_key_is_found_by_the_hash_of_its_secret_and_never_by_the_secret()
    {
        var store = await CreateStoreAsync();

        var (record, secret) = await ApiKeySecrets.IssueAsync(store, "partner " + Guid.NewGuid(), ApiRole.Partner, CancellationToken.None);

        var found = await store.FindByHashAsync(ApiKeySecrets.Hash(secret), CancellationToken.None);
        Assert.NotNull(found);
        Assert.Equal((record.Id, record.Name, ApiRole.Partner, true), (found.Id, found.Name, found.Role, found.IsActive));
        Assert.Equal(record.CreatedAt, found.CreatedAt);
        Assert.Null(await store.FindByHashAsync(secret, CancellationToken.None));
        Assert.Null(await store.FindByHashAsync(ApiKeySecrets.Hash(ApiKeySecrets.Generate()), CancellationToken.None));
    }

    [ContractFact]
    public async Task Keys_are_listed_oldest_first()
    {
        var store = await CreateStoreAsync();
        var name = "list " + Guid.NewGuid();
        var older = new ApiKeyRecord(ApiKeySecrets.NewId(), name, ApiRole.Reader, DateTimeOffset.UtcNow.AddMinutes(-1), null);
        var newer = new ApiKeyRecord(ApiKeySecrets.NewId(), name, ApiRole.Admin, DateTimeOffset.UtcNow, null);

        await store.AddAsync(newer, ApiKeySecrets.Hash(ApiKeySecrets.Generate()), CancellationToken.None);
        await store.AddAsync(older, ApiKeySecrets.Hash(ApiKeySecrets.Generate()), CancellationToken.None);
        var listed = (await store.ListAsync(CancellationToken.None)).Where(k => k.Name == name).ToList();

        Assert.Equal([older.Id, newer.Id], listed.Select(k => k.Id));
        Assert.Equal([ApiRole.Reader, ApiRole.Admin], listed.Select(k => k.Role));
    }

    [ContractFact]
    public async Task A_key_is_revoked_once_and_stays_revoked()
    {
        var store = await CreateStoreAsync();
        var (record, secret) = await ApiKeySecrets.IssueAsync(store, "revoked " + Guid.NewGuid(), ApiRole.Reader, CancellationToken.None);
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var first = await store.RevokeAsync(record.Id, at, CancellationToken.None);
        var second = await store.RevokeAsync(record.Id, at.AddDays(1), CancellationToken.None);
        var unknown = await store.RevokeAsync(ApiKeySecrets.NewId(), at, CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        Assert.False(unknown);
        var found = await store.FindByHashAsync(ApiKeySecrets.Hash(secret), CancellationToken.None);
        Assert.Equal(at, found!.RevokedAt);
        Assert.False(found.IsActive);
    }

    [ContractFact]
    public async Task A_second_key_with_the_same_hash_is_refused()
    {
        var store = await CreateStoreAsync();
        var hash = ApiKeySecrets.Hash(ApiKeySecrets.Generate());
        await store.AddAsync(new ApiKeyRecord(ApiKeySecrets.NewId(), "first", ApiRole.Reader, DateTimeOffset.UtcNow, null), hash, CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            store.AddAsync(new ApiKeyRecord(ApiKeySecrets.NewId(), "second", ApiRole.Admin, DateTimeOffset.UtcNow, null), hash, CancellationToken.None));

        Assert.Equal("first", (await store.FindByHashAsync(hash, CancellationToken.None))!.Name);
    }
}

/// <summary>The key store contract against the embedded database, always: a fresh file per test.</summary>
public sealed class SqliteApiKeyStoreContract : ApiKeyStoreContract, IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-keys");

    protected override Task<IApiKeyStore> CreateStoreAsync() =>
        Task.FromResult<IApiKeyStore>(new SqliteApiKeyStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = "keys.db" }));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

/// <summary>The key store contract against Neo4j when NEO4J_URI is set (see <see cref="Neo4jGraphStoreContract"/>).</summary>
[RequiresEnvironment("NEO4J_URI", "NEO4J_URI is not set: no Neo4j to run the contract against (see docs/neo4j.md).")]
[Collection(Neo4jTestDatabase.Collection)]
public sealed class Neo4jApiKeyStoreContract : ApiKeyStoreContract, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    protected override async Task<IApiKeyStore> CreateStoreAsync()
    {
        // The key constraints come with the graph's schema, which the graph store applies when it seeds.
        var runner = Neo4jTestDatabase.Runner(_http);
        await Neo4jTestDatabase.EmptyAsync(runner);
        await new Neo4jGraphStore(runner).ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        return new Neo4jApiKeyStore(runner);
    }

    public void Dispose() => _http.Dispose();
}
