using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Hosting;

public static partial class GraphStoreStartup
{
    /// <summary>
    /// Validates the seed and applies it to the store before the server takes requests. An invalid seed stops
    /// start-up with one message naming the file, the entry and the problem; nothing of it is written.
    /// </summary>
    public static async Task InitializeGraphStoreAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<StoreOptions>>().Value;
        if (!options.SeedOnStart)
        {
            return;
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KnowledgeGraph.Seed");
        var directory = ResolveSeedDirectory(options.SeedDirectory);
        var seed = await SeedLoader.LoadAsync(directory, app.Lifetime.ApplicationStopping);
        var store = app.Services.GetRequiredService<IGraphStore>();
        var result = await store.ApplySeedAsync(seed, app.Lifetime.ApplicationStopping);
        SeedApplied(logger, directory, result.Changed, result.Entities, result.Relationships, result.Observations, result.Quotes);
        // A seed that changed the graph moved the store's revision, which every instance reads within Cache:RevisionRefresh.
    }

    /// <summary>Relative seed paths resolve against the app's folder (the seed is copied there at build), then the working directory.</summary>
    public static string ResolveSeedDirectory(string configured)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }

        var besideApp = Path.Combine(AppContext.BaseDirectory, configured);
        return Directory.Exists(besideApp) ? besideApp : Path.GetFullPath(configured);
    }

    public static void MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Live: the process answers. Ready: the store answers too.
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Start-up stopped. {Problems}")]
    public static partial void SeedRefused(ILogger logger, string problems);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seed {Directory} applied (changed: {Changed}): {Entities} entities, {Relationships} relationships, {Observations} observations, {Quotes} quotes")]
    private static partial void SeedApplied(ILogger logger, string directory, bool changed, int entities, int relationships, int observations, int quotes);
}

/// <summary>Reports the store's own answer to <see cref="IGraphStore.CheckHealthAsync"/>.</summary>
internal sealed class GraphStoreHealthCheck(IGraphStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await store.CheckHealthAsync(cancellationToken);
        return health.IsHealthy ? HealthCheckResult.Healthy(health.Description) : HealthCheckResult.Unhealthy(health.Description);
    }
}
