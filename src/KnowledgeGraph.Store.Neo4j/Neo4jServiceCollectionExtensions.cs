using KnowledgeGraph.Security;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Store.Neo4j;

public static class Neo4jServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the Query API runner uses.</summary>
    public const string HttpClientName = "Neo4j";

    /// <summary>
    /// Registers <see cref="Neo4jGraphStore"/> as the <see cref="IGraphStore"/> and <see cref="Neo4jApiKeyStore"/> as
    /// the <see cref="IApiKeyStore"/> (keys live beside the graph they guard), configured by the <c>Neo4j</c> section
    /// (<see cref="Neo4jOptions"/>), validated at start-up with messages that name the setting to fix.
    /// </summary>
    public static IServiceCollection AddNeo4jGraphStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<Neo4jOptions>()
            .Bind(configuration.GetSection(Neo4jOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // One long-lived handler whose pooled connections are renewed, so DNS changes (Aura fail-overs) are seen.
        // The runner enforces its own timeouts per request, hence no HttpClient timeout.
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddSingleton<ICypherRunner>(sp => new QueryApiCypherRunner(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<Neo4jOptions>>(),
            sp.GetRequiredService<ILogger<QueryApiCypherRunner>>()));
        services.AddSingleton<IGraphStore>(sp => new Neo4jGraphStore(
            sp.GetRequiredService<ICypherRunner>(),
            sp.GetRequiredService<ILogger<Neo4jGraphStore>>())
        {
            SeedTimeout = sp.GetRequiredService<IOptions<Neo4jOptions>>().Value.SeedTimeout,
            WriteTimeout = sp.GetRequiredService<IOptions<Neo4jOptions>>().Value.WriteTimeout,
        });
        services.AddSingleton<IApiKeyStore>(sp => new Neo4jApiKeyStore(sp.GetRequiredService<ICypherRunner>()));
        return services;
    }
}
