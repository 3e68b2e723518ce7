using GraphQL;

namespace KnowledgeGraph.Api.GraphQL;

public static class GraphQLRegistration
{
    /// <summary>GraphQL.NET with the knowledge-graph schema. The HTTP transport is ours (see the Http folder).</summary>
    public static IServiceCollection AddKnowledgeGraphSchema(this IServiceCollection services)
    {
        services.AddScoped<Loading.GraphLoaders>();
        services.AddGraphQL(builder => builder
            .AddSchema<KnowledgeGraphSchema>()
            .AddSystemTextJson()
            .AddGraphTypes(typeof(KnowledgeGraphSchema).Assembly));
        return services;
    }
}
