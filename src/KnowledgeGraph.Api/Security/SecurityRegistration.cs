using KnowledgeGraph.Api.Hosting;

namespace KnowledgeGraph.Api.Security;

public static class SecurityRegistration
{
    /// <summary>API-key authentication (done by the gate) and the <c>Auth</c> options; the key store comes with the graph store.</summary>
    public static IServiceCollection AddApiKeySecurity(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyLookupCache>();
        services.AddSingleton<Caching.IBoundedCache>(sp => sp.GetRequiredService<ApiKeyLookupCache>());
        services.AddSingleton<ApiKeyCallers>();
        return services;
    }

    public static IApplicationBuilder UseApiKeyGate(this IApplicationBuilder app) => app.UseMiddleware<ApiKeyGateMiddleware>();
}
