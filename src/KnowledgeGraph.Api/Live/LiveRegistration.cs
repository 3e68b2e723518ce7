using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.Api.Writes;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KnowledgeGraph.Api.Live;

public static class LiveRegistration
{
    /// <summary>The <c>Redis</c> section's connection string, shared with the response cache.</summary>
    public const string RedisConfigurationKey = "Redis:Configuration";

    /// <summary>
    /// Live updates: the change publisher every write calls, the event bus (through Redis pub/sub when
    /// <c>Redis:Configuration</c> is set, so every instance hears every instance's writes).
    /// </summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LiveOptions>().BindConfiguration(LiveOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<GraphChangeHub>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGraphChangeListener, GraphChangePublisher>());

        var redis = configuration[RedisConfigurationKey];
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.TryAddSingleton<IGraphEventBus, InProcessGraphEventBus>();
        }
        else
        {
            // The app's one Redis connection, which the response cache registers too (whichever comes first).
            services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section);
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<RedisConnection>();
            services.TryAddSingleton<RedisGraphEventBus>();
            services.TryAddSingleton<IGraphEventBus>(sp => sp.GetRequiredService<RedisGraphEventBus>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisGraphEventBus>());
        }

        return services;
    }
}
