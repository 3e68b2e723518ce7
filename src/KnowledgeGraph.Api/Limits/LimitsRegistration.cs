using GraphQL;
using GraphQL.DI;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Validation.Rules.Custom;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using DI = GraphQL.DI;

namespace KnowledgeGraph.Api.Limits;

public static class LimitsRegistration
{
    /// <summary>The <c>Limits</c> options, validated at start-up, and the rate limiter; see <see cref="UseKnowledgeGraphLimits"/>.</summary>
    public static IServiceCollection AddKnowledgeGraphLimits(this IServiceCollection services)
    {
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClientRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ClientRateLimiter>(GraphQLRateLimiting.Configure);
        return services;
    }

    /// <summary>
    /// The document limits inside GraphQL.NET: shape checks at parse time, the cost budget, introspection on or off,
    /// the execution timeout and the resolver parallelism. Needs <see cref="AddKnowledgeGraphLimits"/>.
    /// </summary>
    public static IGraphQLBuilder AddQueryLimits(this IGraphQLBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Register<IDocumentBuilder, LimitedDocumentBuilder>(DI.ServiceLifetime.Singleton, replace: true);
        builder.Services.Register<QueryCostRule, QueryCostRule>(DI.ServiceLifetime.Singleton);
        builder.ConfigureExecutionOptions(options =>
        {
            var services = options.RequestServices ?? throw new InvalidOperationException("The transport sets RequestServices.");
            var limits = services.GetRequiredService<IOptions<LimitsOptions>>().Value;
            options.Timeout = limits.ExecutionTimeout;
            options.MaxParallelExecutionCount = limits.MaxParallelResolvers;

            IValidationRule[] rules = limits.Introspection
                ? [services.GetRequiredService<QueryCostRule>()]
                : [services.GetRequiredService<QueryCostRule>(), NoIntrospectionValidationRule.Instance];
            options.ValidationRules = (options.ValidationRules ?? DocumentValidator.CoreRules).Concat(rules);
            // Cost depends on variables, so a cached document is measured again.
            options.CachedDocumentValidationRules = (options.CachedDocumentValidationRules ?? []).Concat(rules);
        });
        return builder;
    }

    /// <summary>The rate limiter; call before the endpoints are mapped.</summary>
    public static IApplicationBuilder UseKnowledgeGraphLimits(this IApplicationBuilder app) => app.UseRateLimiter();
}
