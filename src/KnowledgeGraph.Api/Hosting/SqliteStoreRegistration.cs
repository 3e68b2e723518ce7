using KnowledgeGraph.Security;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Hosting;

public static class SqliteStoreRegistration
{
    /// <summary>The embedded store, configured by the <c>Sqlite</c> section (<c>DataDirectory</c>, <c>FileName</c>, <c>PathTopologyLimit</c>).</summary>
    public static IServiceCollection AddSqliteGraphStore(this IServiceCollection services)
    {
        services.AddOptions<SqliteStoreOptions>().BindConfiguration("Sqlite").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IGraphStore>(sp => new SqliteGraphStore(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
        services.AddSingleton<IApiKeyStore>(sp => new SqliteApiKeyStore(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
        return services;
    }
}
