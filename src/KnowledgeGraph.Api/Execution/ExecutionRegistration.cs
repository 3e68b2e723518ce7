using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KnowledgeGraph.Api.Execution;

public static class ExecutionRegistration
{
    /// <summary>The one execution pipeline and request reader both transports use.</summary>
    public static IServiceCollection AddGraphQLPipeline(this IServiceCollection services)
    {
        services.TryAddSingleton<GraphQLRequestReader>();
        services.TryAddSingleton<GraphQLPipeline>();
        return services;
    }
}
