using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// What the HTTP layer tells resolvers about the request. It is the execution's <c>UserContext</c>: the transport
/// creates one per request, with the language taken from <c>Accept-Language</c> (English when absent or unknown).
/// </summary>
public sealed class GraphRequestContext : Dictionary<string, object?>
{
    public GraphRequestContext(Language language) => Language = language;

    /// <summary>The language <c>lang</c> arguments default to.</summary>
    public Language Language { get; }

    /// <summary>
    /// The caller's role, part of every response-cache key so that callers who may see different data never share a
    /// cached response: the API key's role, or <see cref="AnonymousRole"/> without a key.
    /// </summary>
    public string Role { get; init; } = AnonymousRole;

    public const string AnonymousRole = "anonymous";

    /// <summary>Picks the first supported language of an <c>Accept-Language</c> header by quality, else English.</summary>
    public static Language FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return Language.En;
        }

        var best = Language.En;
        var bestQuality = -1.0;
        foreach (var part in header.Split(','))
        {
            var pieces = part.Split(';');
            var quality = 1.0;
            foreach (var parameter in pieces.Skip(1))
            {
                var p = parameter.Trim();
                if (p.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && double.TryParse(p.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q))
                {
                    quality = q;
                }
            }

            if (quality > bestQuality && Vocabulary.TryParseLanguageCode(pieces[0], out var language))
            {
                best = language;
                bestQuality = quality;
            }
        }

        return best;
    }
}
