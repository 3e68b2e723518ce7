using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.Api.Exchange;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Http;
using KnowledgeGraph.Api.Http.WebSockets;
using KnowledgeGraph.Api.Ide;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Live;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Api.Telemetry;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j;

namespace KnowledgeGraph.Api.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the store named by <c>Store:Provider</c>: <c>Sqlite</c> (the default) or <c>Neo4j</c>.</summary>
    public static IServiceCollection AddGraphStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var provider = configuration[$"{StoreOptions.Section}:Provider"] ?? StoreOptions.Sqlite;
        switch (provider)
        {
            case var p when p.Equals(StoreOptions.Sqlite, StringComparison.OrdinalIgnoreCase):
                services.AddSqliteGraphStore();
                break;
            case var p when p.Equals(StoreOptions.Neo4j, StringComparison.OrdinalIgnoreCase):
                services.AddNeo4jGraphStore(configuration);
                break;
            default:
                throw new InvalidOperationException(
                    $"Store:Provider '{provider}' is not known; use '{StoreOptions.Sqlite}' or '{StoreOptions.Neo4j}'.");
        }

        return services;
    }

    /// <summary>The schema, transport, IDE, health checks, caching, persisted operations, telemetry and live updates; after <see cref="AddGraphStore"/>.</summary>
    public static IServiceCollection AddKnowledgeGraphApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddConnectionLimits();
        services.AddKnowledgeGraphLimits();
        services.AddExpensiveOperationAdmission();
        services.AddApiKeySecurity();
        services.AddCrossOriginAccess();
        services.AddKnowledgeGraphSchema();
        services.AddGraphExchange();
        services.AddOptions<ImportSpoolOptions>().BindConfiguration(ImportSpoolOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImportSpool>();
        services.AddHostedService(sp => sp.GetRequiredService<ImportSpool>());
        services.AddKnowledgeGraphCaching(configuration);
        services.AddKnowledgeGraphTelemetry(configuration);
        services.AddGraphQLPipeline();
        services.AddGraphQLHttp();
        services.AddLiveUpdates(configuration);
        services.AddGraphQLWebSockets();
        services.AddBananaCakePop();
        services.AddHealthChecks().AddCheck<GraphStoreHealthCheck>("store", tags: ["ready"]);
        return services;
    }
}
