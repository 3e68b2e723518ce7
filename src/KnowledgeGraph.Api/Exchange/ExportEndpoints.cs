using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.Storage;
using Microsoft.Net.Http.Headers;

namespace KnowledgeGraph.Api.Exchange;

public static class ExportEndpoints
{
    public const string EndpointName = "Export";

    /// <summary>
    /// <c>GET /export?format=graphml&amp;around=whatsapp&amp;depth=2</c> or <c>&amp;kinds=APP,COMPANY</c>: the graph or a
    /// subgraph as a download. Readers' keys, or anonymous callers where <c>Auth:AllowAnonymousReads</c> allows it
    /// (the API-key gate stands before it as before <c>/graphql</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder endpoints, string path = "/export")
    {
        endpoints.MapGet(path, ExportAsync).WithName(EndpointName).AnswersProblems();
        return endpoints;
    }

    private static async Task ExportAsync(HttpContext context, IGraphStore store)
    {
        var query = context.Request.Query;
        if (!ExportRequest.TryParse(query["format"], query["around"], query["depth"], string.Join(',', query["kinds"].ToArray()), out var request, out var error))
        {
            await Results.Problem(error, statusCode: StatusCodes.Status400BadRequest, extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.BadUserInput }).ExecuteAsync(context);
            return;
        }

        // The seed folder cannot travel over HTTP; its single-document form is the same format.
        if (request.Format == ExportFormat.Seed)
        {
            request = request with { Format = ExportFormat.SeedJson };
        }

        var graph = await GraphExporter.CollectAsync(store, request.Scope, context.RequestAborted);
        if (graph is null)
        {
            await Results.Problem($"No entity has the key '{request.Scope.Around}'.", statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.NotFound }).ExecuteAsync(context);
            return;
        }

        var response = context.Response;
        var mediaType = ExportFormats.MediaTypeOf(request.Format);
        response.ContentType = request.Format is ExportFormat.EntitiesCsv or ExportFormat.RelationshipsCsv
            ? $"{mediaType}; charset=utf-8; header=present"
            : $"{mediaType}; charset=utf-8";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(request.FileName);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";
        await GraphExportWriter.WriteAsync(request.Format, graph, response.Body, context.RequestAborted);
    }
}
