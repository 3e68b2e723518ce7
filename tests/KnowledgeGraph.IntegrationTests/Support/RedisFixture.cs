namespace KnowledgeGraph.IntegrationTests.Support;

/// <summary>One redis-server for the test run's Redis collection; each test isolates itself by key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("redis-server has not started.");

    /// <summary>Settings for an app using this server under its own key prefix.</summary>
    public IReadOnlyList<(string Key, string Value)> SettingsFor(string prefix) =>
    [
        ("Redis:Configuration", Server.Configuration),
        ("Redis:InstanceName", prefix),
    ];

    public async Task InitializeAsync() => _server = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisGroup : ICollectionFixture<RedisFixture>
{
    public const string Name = "Redis";
}
