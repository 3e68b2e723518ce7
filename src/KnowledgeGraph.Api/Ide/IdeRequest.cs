using KnowledgeGraph.Api.Http;
using Microsoft.Net.Http.Headers;

namespace KnowledgeGraph.Api.Ide;

/// <summary>
/// Decides whether a <c>GET</c> on the GraphQL path is a browser opening the IDE. The transport owns every GET that
/// <see cref="GraphQLHttpEndpoints.IsGraphQLGetRequest"/> claims (a <c>query</c> parameter, or a GraphQL JSON type
/// named in <c>Accept</c>); the IDE takes what is left only when the client names <c>text/html</c>, so a script
/// asking with <c>*/*</c> gets a 404 rather than a page it cannot use.
/// </summary>
public static class IdeRequest
{
    public static bool IsIdeRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsGet(request.Method)
            && !GraphQLHttpEndpoints.IsGraphQLGetRequest(request)
            && NamesHtml(request.Headers.Accept);
    }

    private static bool NamesHtml(Microsoft.Extensions.Primitives.StringValues accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return false;
        }

        // q=0 means "not acceptable" (RFC 9110 12.4.2); */* does not count, as for the transport's JSON types.
        return ranges.Any(range => (range.Quality ?? 1) > 0
            && range.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
