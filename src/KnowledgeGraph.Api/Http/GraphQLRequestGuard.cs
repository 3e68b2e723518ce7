using System.Buffers;
using System.Net;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
using Microsoft.Net.Http.Headers;

namespace KnowledgeGraph.Api.Http;

/// <summary>The transport's checks on a POST before its body is parsed: CSRF, then size.</summary>
public static class GraphQLRequestGuard
{
    /// <summary>
    /// Headers a browser cannot add to a cross-site request without a CORS preflight, which this service never
    /// grants; any of them shows the request is not a forged form post (as Apollo's CSRF prevention).
    /// </summary>
    public static readonly IReadOnlyList<string> PreflightHeaders =
        ["GraphQL-Require-Preflight", "Apollo-Require-Preflight", "X-Apollo-Operation-Name", "X-Requested-With"];

    // The content types of a CORS "simple request": a page on any site can POST them without asking.
    private static readonly string[] SimpleContentTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];

    /// <summary>
    /// Refuses a POST that any web page could have sent cross-site (a simple content type, or none) unless it carries
    /// a preflight header. Such a request would be refused as not JSON anyway; this says why, before reading it.
    /// </summary>
    public static GraphQLRequestError? RejectCrossSiteForgery(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var contentType = request.ContentType;
        var simple = string.IsNullOrWhiteSpace(contentType)
            || !MediaTypeHeaderValue.TryParse(contentType, out var parsed)
            || SimpleContentTypes.Contains(parsed.MediaType.Value, StringComparer.OrdinalIgnoreCase);
        if (!simple || PreflightHeaders.Any(request.Headers.ContainsKey))
        {
            return null;
        }

        return new GraphQLRequestError(
            HttpStatusCode.BadRequest,
            ErrorCodes.CsrfRejected,
            $"This request has been blocked as a possible cross-site request forgery: send Content-Type: {GraphQLMediaTypes.Json}, or add a {PreflightHeaders[0]} header.");
    }

    /// <summary>
    /// The body, read whole up to <paramref name="maxBytes"/>: a declared length over it is refused without reading,
    /// and an undeclared (chunked) one as soon as it passes it.
    /// </summary>
    public static async Task<(ReadOnlyMemory<byte> Body, GraphQLRequestError? Error)> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            return (default, TooLarge(maxBytes));
        }

        var body = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        while (true)
        {
            var read = await request.Body.ReadAsync(body.GetMemory(4096), cancellationToken);
            if (read == 0)
            {
                return (body.WrittenMemory, null);
            }

            body.Advance(read);
            if (body.WrittenCount > maxBytes)
            {
                return (default, TooLarge(maxBytes));
            }
        }
    }

    private static GraphQLRequestError TooLarge(int maxBytes) => new(
        HttpStatusCode.RequestEntityTooLarge,
        ErrorCodes.RequestTooLarge,
        $"The request body is larger than {maxBytes} bytes.");
}
