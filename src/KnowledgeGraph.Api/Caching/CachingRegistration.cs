using KnowledgeGraph.Api.PersistedOperations;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Caching;

public static class CachingRegistration
{
    /// <summary>
    /// The response cache, the graph revision and persisted operations: HybridCache in process, with Redis as its
    /// second level and the shared revision when <c>Redis:Configuration</c> is set.
    /// </summary>
    public static IServiceCollection AddKnowledgeGraphCaching(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PersistedOperationsOptions>().BindConfiguration(PersistedOperationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Writes.IGraphChangeListener, RevisionBumpingListener>();

        if (!string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Configuration"]))
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<RedisGraphRevision>();
            services.AddSingleton<IGraphRevision>(sp => sp.GetRequiredService<RedisGraphRevision>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisGraphRevision>());
            services.AddSingleton<IDistributedCache>(sp =>
            {
                var redis = sp.GetRequiredService<RedisConnection>();
                var inner = new RedisCache(Options.Create(new RedisCacheOptions
                {
                    InstanceName = redis.InstanceName,
                    ConnectionMultiplexerFactory = redis.GetMultiplexerAsync,
                }));
                return new CircuitBreakingDistributedCache(inner, redis);
            });
        }
        else
        {
            services.AddSingleton<IGraphRevision, InProcessGraphRevision>();
        }

        services.AddHybridCache(hybrid =>
        {
            hybrid.MaximumPayloadBytes = 64 * 1024 * 1024;
            hybrid.ReportTagMetrics = false;
        });
        services.AddSingleton<DocumentFingerprints>();
        services.AddSingleton<GraphQLResponseCache>();
        services.AddSingleton<TrustedDocuments>();
        services.AddHostedService<TrustedDocumentsStartup>();
        services.AddSingleton<PersistedQueryResolver>();
        return services;
    }
}
