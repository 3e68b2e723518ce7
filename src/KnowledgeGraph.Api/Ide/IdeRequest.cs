using Microsoft.Net.Http.Headers;

namespace KnowledgeGraph.Api.Ide;

/// <summary>
/// Decides who answers a <c>GET /graphql</c>: the JSON transport or the IDE. The transport owns every request that
/// carries a <c>query</c> parameter or accepts a GraphQL JSON media type; the IDE takes what is left, when the client
/// accepts HTML (a browser navigating to the URL).
/// </summary>
public static class IdeRequest
{
    private const string GraphQLResponseJson = "application/graphql-response+json";

    public static bool IsIdeRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method) || request.Query.ContainsKey("query"))
        {
            return false;
        }

        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        var acceptsHtml = false;
        foreach (var mediaType in accepted)
        {
            // q=0 means "not acceptable" (RFC 9110 12.4.2), so such an entry names nothing the client wants.
            if (mediaType.Quality is 0)
            {
                continue;
            }

            var name = mediaType.MediaType;
            if (name.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase)
                || name.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            // Only an explicit text/html counts: */* is what scripted clients send when they want the API.
            acceptsHtml |= name.Equals("text/html", StringComparison.OrdinalIgnoreCase);
        }

        return acceptsHtml;
    }
}
