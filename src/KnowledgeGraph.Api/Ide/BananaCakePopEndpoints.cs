using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace KnowledgeGraph.Api.Ide;

public static class BananaCakePopEndpoints
{
    /// <summary>The folder beside the app that the build fills from the npm package (see BananaCakePop.targets).</summary>
    public const string AssetFolder = "ide";

    private const string Title = "KnowledgeGraph";

    /// <summary>Registers the routing policy that lets the IDE share <c>GET</c> on the GraphQL path with the transport.</summary>
    public static IServiceCollection AddBananaCakePop(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, IdeEndpointSelectorPolicy>());
        return services;
    }

    /// <summary>
    /// Serves Banana Cake Pop at <paramref name="path"/> to browsers (see <see cref="IdeRequest"/> for the rule that
    /// leaves every other <c>GET</c> to the GraphQL transport), its configuration at <c>{path}/bcp-config.json</c> and
    /// its static build under <c>{path}/ide/</c>. Requires <see cref="AddBananaCakePop"/>.
    /// </summary>
    public static IEndpointConventionBuilder MapBananaCakePop(this IEndpointRouteBuilder endpoints, string path = "/graphql")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!endpoints.ServiceProvider.GetServices<MatcherPolicy>().OfType<IdeEndpointSelectorPolicy>().Any())
        {
            throw new InvalidOperationException(
                $"{nameof(MapBananaCakePop)} needs services.{nameof(AddBananaCakePop)}(): without it the IDE page would answer GraphQL GET requests too.");
        }

        var assetDirectory = Path.Combine(AppContext.BaseDirectory, AssetFolder);
        var page = BananaCakePopPage.Load(assetDirectory, Title);
        var assetPath = $"{path.TrimEnd('/')}/{AssetFolder}";

        var group = endpoints.MapGroup(path);
        group.MapGet(string.Empty, (HttpContext context) => WritePageAsync(context, page, assetPath))
            // IdeEndpointSelectorPolicy keeps this endpoint out of the transport's GET requests on the same route.
            .WithMetadata(IdePageMetadata.Instance)
            .WithDisplayName("GraphQL IDE (Banana Cake Pop)")
            .ExcludeFromDescription();
        group.MapGet("/bcp-config.json", (HttpContext context) => WriteConfigurationAsync(context, page))
            .WithDisplayName("GraphQL IDE configuration")
            .ExcludeFromDescription();
        group.MapMethods($"/{AssetFolder}/{{**asset}}", [HttpMethods.Get, HttpMethods.Head], CreateAssetPipeline(endpoints, assetDirectory, assetPath))
            .WithDisplayName("GraphQL IDE assets")
            .ExcludeFromDescription();
        return group;
    }

    private static Task WritePageAsync(HttpContext context, BananaCakePopPage page, string assetPath)
    {
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        // The same URL answers JSON to API clients, so caches must key on Accept; no-cache keeps a redeploy's asset names fresh.
        response.Headers.Vary = HeaderNames.Accept;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync(page.Render($"{context.Request.PathBase}{assetPath}/"), context.RequestAborted);
    }

    private static Task WriteConfigurationAsync(HttpContext context, BananaCakePopPage page)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.Body.WriteAsync(page.Configuration, context.RequestAborted).AsTask();
    }

    private static RequestDelegate CreateAssetPipeline(IEndpointRouteBuilder endpoints, string assetDirectory, string assetPath)
    {
        var pipeline = endpoints.CreateApplicationBuilder();
        // The static file middleware stands aside when routing already chose an endpoint; here it is the endpoint.
        pipeline.Use((context, next) =>
        {
            context.SetEndpoint(null);
            return next(context);
        });
        pipeline.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(assetDirectory),
            RequestPath = assetPath,
            ContentTypeProvider = new FileExtensionContentTypeProvider { Mappings = { [".webmanifest"] = "application/manifest+json" } },
            OnPrepareResponse = file =>
            {
                // Files under static/ carry a content hash in their names, so a new build never reuses a cached one.
                var immutable = file.Context.Request.Path.StartsWithSegments($"{assetPath}/static", StringComparison.Ordinal);
                file.Context.Response.Headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
            },
        });
        return pipeline.Build();
    }
}
