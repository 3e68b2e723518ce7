using System.Text.Encodings.Web;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Domain;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace KnowledgeGraph.Api.Explorer;

/// <summary>
/// The graph explorer (<c>/explore</c>) and the source reader (<c>/explore/sources/{key}</c>): two small HTML shells
/// whose scripts, bundled at build time (Explorer.targets), read the graph through the public <c>POST /graphql</c>
/// only. The page's language is <c>?lang=</c>, else the browser's <c>Accept-Language</c>, as for the API's answers.
/// </summary>
public static class ExplorerEndpoints
{
    /// <summary>The folder beside the app that the build fills from the explorer's bundle.</summary>
    public const string AssetFolder = "explorer";

    public static IEndpointConventionBuilder MapExplorer(this IEndpointRouteBuilder endpoints, string path = "/explore")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var assetDirectory = Path.Combine(AppContext.BaseDirectory, AssetFolder);
        if (!File.Exists(Path.Combine(assetDirectory, "explorer.js")))
        {
            throw new InvalidOperationException(
                $"The explorer's bundle is missing ({assetDirectory}). It is built from npm packages and copied beside the app by the build (src/KnowledgeGraph.Api/Explorer/Explorer.targets); build the Api project with npm on PATH.");
        }

        var root = path.TrimEnd('/');
        var assetPath = $"{root}/assets";
        var group = endpoints.MapGroup(root);
        group.MapGet(string.Empty, (HttpContext context) => WritePageAsync(context, "explorer", assetPath))
            .WithDisplayName("Graph explorer").ExcludeFromDescription();
        group.MapGet("/sources", (HttpContext context) => WritePageAsync(context, "reader", assetPath))
            .WithDisplayName("Sources").ExcludeFromDescription();
        group.MapGet("/sources/{key}", (HttpContext context) => WritePageAsync(context, "reader", assetPath))
            .WithDisplayName("Source reader").ExcludeFromDescription();
        group.MapMethods("/assets/{**asset}", [HttpMethods.Get, HttpMethods.Head], CreateAssetPipeline(endpoints, assetDirectory, assetPath))
            .WithDisplayName("Explorer assets").ExcludeFromDescription();
        return group;
    }

    /// <summary>The page's language: <c>?lang=en|fr</c> when given, else the best of <c>Accept-Language</c>.</summary>
    internal static Language PageLanguage(HttpRequest request) =>
        Vocabulary.TryParseLanguageCode(request.Query["lang"].ToString(), out var chosen)
            ? chosen
            : GraphRequestContext.FromAcceptLanguage(request.Headers.AcceptLanguage);

    private static Task WritePageAsync(HttpContext context, string script, string assetPath)
    {
        var language = PageLanguage(context.Request);
        var code = Vocabulary.ToCode(language);
        var assets = HtmlEncoder.Default.Encode($"{context.Request.PathBase}{assetPath}");
        var title = script == "reader"
            ? language == Language.Fr ? "Lecteur de source · KnowledgeGraph" : "Source reader · KnowledgeGraph"
            : language == Language.Fr ? "Explorateur du graphe · KnowledgeGraph" : "Graph explorer · KnowledgeGraph";
        var noScript = language == Language.Fr
            ? "L’explorateur a besoin de JavaScript ; l’API GraphQL est à /graphql."
            : "The explorer needs JavaScript; the GraphQL API is at /graphql.";
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.Vary = HeaderNames.AcceptLanguage;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        // Scripts and styles from this origin only; data comes from /graphql on the same origin.
        response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
        return response.WriteAsync(
            $"""
            <!doctype html>
            <html lang="{code}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{HtmlEncoder.Default.Encode(title)}</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="{assets}/explorer.css">
            <script type="module" src="{assets}/{script}.js"></script>
            </head>
            <body>
            <div id="app"><noscript>{HtmlEncoder.Default.Encode(noScript)}</noscript></div>
            </body>
            </html>
            """,
            context.RequestAborted);
    }

    private static RequestDelegate CreateAssetPipeline(IEndpointRouteBuilder endpoints, string assetDirectory, string assetPath)
    {
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.Use((context, next) =>
        {
            // The static file middleware stands aside when routing already chose an endpoint; here it is the endpoint.
            context.SetEndpoint(null);
            PreferCompressedCopy(context, assetDirectory, assetPath);
            return next(context);
        });
        var types = new FileExtensionContentTypeProvider();
        // Known to the middleware so that it serves them; the response then gets the type of the file they compress.
        var served = new FileExtensionContentTypeProvider { Mappings = { [".br"] = "application/octet-stream", [".gz"] = "application/octet-stream" } };
        pipeline.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(assetDirectory),
            RequestPath = assetPath,
            ContentTypeProvider = served,
            OnPrepareResponse = file =>
            {
                var response = file.Context.Response;
                if (file.Context.Items.TryGetValue(OriginalPathKey, out var original) && original is string originalPath)
                {
                    // The compressed copy is served as the file it compresses.
                    response.Headers.ContentEncoding = originalPath.EndsWith(".br", StringComparison.Ordinal) ? "br" : "gzip";
                    response.ContentType = types.TryGetContentType(originalPath[..originalPath.LastIndexOf('.')], out var type) ? type : "application/octet-stream";
                }

                response.Headers.Vary = HeaderNames.AcceptEncoding;
                // Chunks carry a content hash in their names; the entry scripts and the stylesheet keep theirs.
                var immutable = Path.GetFileName(file.File.Name).StartsWith("chunk-", StringComparison.Ordinal);
                response.Headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
            },
        });
        return pipeline.Build();
    }

    private const string OriginalPathKey = "KnowledgeGraph.Explorer.CompressedPath";

    // The build writes a Brotli and a gzip copy of every file (build.mjs); send one when the browser takes it.
    private static void PreferCompressedCopy(HttpContext context, string assetDirectory, string assetPath)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!path.StartsWith(assetPath + "/", StringComparison.Ordinal)
            || path.Contains("..", StringComparison.Ordinal)
            || path.EndsWith(".br", StringComparison.Ordinal)
            || path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return;
        }

        var accepted = context.Request.GetTypedHeaders().AcceptEncoding;
        foreach (var (encoding, extension) in new[] { ("br", ".br"), ("gzip", ".gz") })
        {
            if (accepted.Any(a => string.Equals(a.Value.Value, encoding, StringComparison.OrdinalIgnoreCase) && (a.Quality ?? 1) > 0)
                && File.Exists(Path.Combine(assetDirectory, path[(assetPath.Length + 1)..] + extension)))
            {
                context.Request.Path = path + extension;
                context.Items[OriginalPathKey] = path + extension;
                return;
            }
        }
    }
}
