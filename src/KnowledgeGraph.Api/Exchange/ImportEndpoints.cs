using System.Globalization;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Hosting;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;
using KnowledgeGraph.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Exchange;

/// <summary>
/// <c>POST /import?format=entities-csv&amp;batchSize=500</c>: a file as the request body, imported exactly as the
/// <c>importGraph</c> mutation and the command line import it (the same batches through the same write path), for
/// files larger than a GraphQL request may be. The body is spooled to a file of <c>Import:SpoolDirectory</c> as it arrives (up to
/// <c>Limits:MaxImportBytes</c>), then CSV is read from it batch by batch, so memory stays flat.
/// </summary>
public static class ImportEndpoints
{
    /// <summary>How many rejected rows the answer lists; the counts cover them all.</summary>
    public const int ListedRejectedRows = 1_000;

    public const string EndpointName = "Import";

    public static IEndpointRouteBuilder MapImportApi(this IEndpointRouteBuilder endpoints, string path = "/import")
    {
        endpoints.MapPost(path, ImportAsync).WithName(EndpointName).RequireRole(ApiRole.Partner).AnswersProblems();
        return endpoints;
    }

    private static async Task ImportAsync(HttpContext context, GraphImporter importer, ImportSpool spools, IOptions<LimitsOptions> limits)
    {
        // The gate let only partner and admin keys through (RequireRole on the endpoint).
        var user = context.User;
        var role = Caller.RoleOf(user) ?? throw new InvalidOperationException("POST /import is mapped without its role requirement.");

        var query = context.Request.Query;
        if (!TryReadArguments(query["format"], query["batchSize"], out var format, out var batchSize, out var problem))
        {
            await ProblemAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.BadUserInput, problem);
            return;
        }

        var maxBytes = limits.Value.MaxImportBytes;
        if (context.Request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, maxBytes);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            // Kestrel's own limit (30 MB by default) would cut a large file short; this endpoint keeps its own.
            bodySize.MaxRequestBodySize = maxBytes;
        }

        var spool = spools.NewFile();
        try
        {
            if (!await SpoolAsync(context.Request.Body, spool, maxBytes, context.RequestAborted))
            {
                await TooLargeAsync(context, maxBytes);
                return;
            }

            ImportSource source;
            try
            {
                source = await ImportSource.OpenAsync(spool, format, context.RequestAborted);
            }
            catch (ImportFormatException unreadable)
            {
                await ProblemAsync(context, StatusCodes.Status400BadRequest, ErrorCodes.ImportUnreadable, unreadable.Message);
                return;
            }

            using (source)
            {
                var actor = new WriteActor(Caller.IdOf(user), role.ToString());
                var report = await importer.ImportAsync(source.Rows, batchSize, actor, null, context.RequestAborted, ImportRowDetail.Rejected);
                context.Response.Headers.CacheControl = "no-store";
                await Results.Json(Describe(report)).ExecuteAsync(context);
            }
        }
        finally
        {
            File.Delete(spool);
        }
    }

    private static bool TryReadArguments(string? formatName, string? batchSizeText, out ImportFormat format, out int batchSize, out string problem)
    {
        batchSize = GraphImporter.DefaultBatchSize;
        problem = string.Empty;
        if (!ImportFormats.TryParse(formatName, out format) || format == ImportFormat.Seed)
        {
            problem = $"format must be one of seed-json, entities-csv, relationships-csv (a seed folder travels as seed-json); got '{formatName}'.";
            return false;
        }

        if (!string.IsNullOrEmpty(batchSizeText)
            && (!int.TryParse(batchSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out batchSize) || batchSize is < 1 or > GraphImporter.MaxBatchSize))
        {
            problem = $"batchSize must be between 1 and {GraphImporter.MaxBatchSize}.";
            return false;
        }

        return true;
    }

    // Copies the body to a file; false (and nothing read further) once it passes maxBytes.
    private static async Task<bool> SpoolAsync(Stream body, string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024, useAsync: true);
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        try
        {
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return false;
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }

        return true;
    }

    private static object Describe(ImportReport report) => new
    {
        created = report.Count(ImportRowOutcome.Created),
        updated = report.Count(ImportRowOutcome.Updated),
        unchanged = report.Count(ImportRowOutcome.Unchanged),
        rejected = report.Count(ImportRowOutcome.Rejected),
        batches = report.Batches.Select(b => new { number = b.Number, rows = b.Rows, written = b.Written, revision = b.Revision }),
        rejectedRows = report.Rows.Take(ListedRejectedRows).Select(r => new
        {
            row = r.Row,
            location = r.Location,
            type = Vocabulary.ToWireName(r.Type),
            key = r.Key,
            batch = r.Batch,
            problems = r.Problems.Select(p => new { inputPath = p.InputPath, message = p.Message }),
        }),
        rejectedRowsNotListed = Math.Max(0, report.Rows.Count - ListedRejectedRows),
    };

    private static Task TooLargeAsync(HttpContext context, long maxBytes) =>
        ProblemAsync(
            context,
            StatusCodes.Status413PayloadTooLarge,
            ErrorCodes.RequestTooLarge,
            string.Create(CultureInfo.InvariantCulture, $"An import file may hold at most {maxBytes} bytes (Limits:MaxImportBytes); nothing was imported. Split the file, or use the command line."));

    private static Task ProblemAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Results.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code }).ExecuteAsync(context);
    }
}
