namespace KnowledgeGraph.Api.Exchange;

public static class ExchangeRegistration
{
    /// <summary>Bulk import (through the <c>GraphWriter</c>) for the <c>importGraph</c> mutation.</summary>
    public static IServiceCollection AddGraphExchange(this IServiceCollection services)
    {
        services.AddSingleton<GraphImporter>();
        return services;
    }
}
