using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace KnowledgeGraph.Api.Execution;

public static class GraphQLMediaTypes
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";
    public const string GraphQLResponseJsonUtf8 = "application/graphql-response+json; charset=utf-8";
    public const string JsonUtf8 = "application/json; charset=utf-8";

    // A client sends the same Accept on every request, so the verdict on a short header is kept, for the first few
    // distinct ones: the header is client input, so what is kept is bounded (32 texts of at most 256 characters).
    private const int RememberedTexts = 32;
    private const int RememberedLength = 256;
    private static readonly ConcurrentDictionary<string, GraphQLResponseMediaType> Remembered = new(StringComparer.Ordinal);

    /// <summary>
    /// Content negotiation per GraphQL-over-HTTP: the highest-quality supported type wins, ties go to
    /// <c>application/graphql-response+json</c>, and so does an absent, empty or unparseable header.
    /// </summary>
    public static GraphQLResponseMediaType Negotiate(StringValues accept)
    {
        if (accept.Count != 1 || accept[0] is not { Length: > 0 and <= RememberedLength } text)
        {
            return Decide(accept);
        }

        if (Remembered.TryGetValue(text, out var known))
        {
            return known;
        }

        var verdict = Decide(accept);
        if (Remembered.Count < RememberedTexts)
        {
            Remembered.TryAdd(text, verdict);
        }

        return verdict;
    }

    private static GraphQLResponseMediaType Decide(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return GraphQLResponseMediaType.GraphQLResponseJson;
        }

        var graphQLQuality = QualityOf(ranges, GraphQLResponseJson);
        var jsonQuality = QualityOf(ranges, Json);
        if (graphQLQuality <= 0 && jsonQuality <= 0)
        {
            return GraphQLResponseMediaType.NotAcceptable;
        }

        return jsonQuality > graphQLQuality ? GraphQLResponseMediaType.Json : GraphQLResponseMediaType.GraphQLResponseJson;
    }

    /// <summary>
    /// Whether <c>Accept</c> names one of the GraphQL JSON response types itself (not through <c>*/*</c> or
    /// <c>application/*</c>), i.e. the client is a GraphQL client rather than a browser navigating.
    /// </summary>
    public static bool NamesGraphQLResponseType(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return false;
        }

        return ranges.Any(range => (range.Quality ?? 1) > 0
            && (range.MediaType.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase)
                || range.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The quality the most specific matching range gives <paramref name="mediaType"/> (RFC 9110 §12.5.1).</summary>
    private static double QualityOf(IList<MediaTypeHeaderValue> ranges, string mediaType)
    {
        var type = mediaType[..mediaType.IndexOf('/', StringComparison.Ordinal)];
        var bestSpecificity = -1;
        var quality = 0.0;
        foreach (var range in ranges)
        {
            var specificity = range.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase) ? 2
                : range.MatchesAllSubTypes && range.Type.Equals(type, StringComparison.OrdinalIgnoreCase) ? 1
                : range.MatchesAllTypes ? 0
                : -1;
            if (specificity > bestSpecificity)
            {
                bestSpecificity = specificity;
                quality = range.Quality ?? 1;
            }
        }

        return quality;
    }
}
