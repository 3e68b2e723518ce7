using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.Api.Ide;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the store named by <c>Store:Provider</c> (<c>Sqlite</c>, the default).</summary>
    public static IServiceCollection AddGraphStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var provider = configuration[$"{StoreOptions.Section}:Provider"] ?? StoreOptions.Sqlite;
        switch (provider)
        {
            case var p when p.Equals(StoreOptions.Sqlite, StringComparison.OrdinalIgnoreCase):
                services.AddSqliteGraphStore();
                break;
            default:
                throw new InvalidOperationException(
                    $"Store:Provider '{provider}' is not known; use '{StoreOptions.Sqlite}'.");
        }

        return services;
    }

    public static IServiceCollection AddKnowledgeGraphApi(this IServiceCollection services)
    {
        services.AddKnowledgeGraphLimits();
        services.AddKnowledgeGraphSchema();
        services.AddGraphQLHttp();
        services.AddBananaCakePop();
        services.AddHealthChecks().AddCheck<GraphStoreHealthCheck>("store", tags: ["ready"]);
        return services;
    }
}
