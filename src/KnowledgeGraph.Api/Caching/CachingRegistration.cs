using KnowledgeGraph.Api.PersistedOperations;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Caching;

public static class CachingRegistration
{
    /// <summary>
    /// The response cache, the graph revision and persisted operations: in process within byte budgets, with Redis as
    /// their second level and revision announcements when <c>Redis:Configuration</c> is set.
    /// </summary>
    public static IServiceCollection AddKnowledgeGraphCaching(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PersistedOperationsOptions>().BindConfiguration(PersistedOperationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Writes.IGraphChangeListener, RevisionBumpingListener>();
        services.AddSingleton<StoreGraphRevision>();
        services.AddSingleton<IGraphRevision>(sp => sp.GetRequiredService<StoreGraphRevision>());
        services.AddHostedService(sp => sp.GetRequiredService<StoreGraphRevision>());

        if (!string.IsNullOrWhiteSpace(configuration[$"{RedisOptions.Section}:Configuration"]))
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<RedisRevisionAnnouncements>();
            services.AddSingleton<IRevisionAnnouncer>(sp => sp.GetRequiredService<RedisRevisionAnnouncements>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisRevisionAnnouncements>());
            services.AddSingleton(sp =>
            {
                var redis = sp.GetRequiredService<RedisConnection>();
                var inner = new RedisCache(Options.Create(new RedisCacheOptions
                {
                    InstanceName = redis.InstanceName,
                    ConnectionMultiplexerFactory = redis.GetMultiplexerAsync,
                }));
                return new CircuitBreakingDistributedCache(inner, redis);
            });
            services.AddSingleton<IDistributedCache>(sp => sp.GetRequiredService<CircuitBreakingDistributedCache>());
        }

        services.AddSingleton<DocumentFingerprints>();
        services.AddSingleton(sp => new ResponseStore(sp.GetRequiredService<IOptions<CacheOptions>>().Value, sp.GetService<CircuitBreakingDistributedCache>()));
        services.AddSingleton<GraphQLResponseCache>();
        services.AddSingleton<TrustedDocuments>();
        services.AddHostedService<TrustedDocumentsStartup>();
        services.AddSingleton(sp => new PersistedQueryStore(sp.GetRequiredService<IOptions<PersistedOperationsOptions>>(), sp.GetService<CircuitBreakingDistributedCache>()));
        services.AddSingleton<PersistedQueryResolver>();
        services.AddSingleton<IBoundedCache>(sp => sp.GetRequiredService<DocumentFingerprints>());
        services.AddSingleton<IBoundedCache>(sp => sp.GetRequiredService<ResponseStore>());
        services.AddSingleton<IBoundedCache>(sp => sp.GetRequiredService<PersistedQueryStore>());
        return services;
    }
}
