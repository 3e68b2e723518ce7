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

    // The loaders of the service scope that resolved last: every field of a request asks for them, and a scope's
    // lookup takes its lock. A subscription resolves each event in a scope of its own, so the scope is checked.
    private KeptLoaders? _loaders;

    /// <summary>The <see cref="Loading.GraphLoaders"/> of <paramref name="services"/> (the field's request services).</summary>
    internal Loading.GraphLoaders LoadersOf(IServiceProvider services)
    {
        if (Volatile.Read(ref _loaders) is { } kept && ReferenceEquals(kept.Services, services))
        {
            return kept.Loaders;
        }

        var loaders = services.GetRequiredService<Loading.GraphLoaders>();
        Volatile.Write(ref _loaders, new KeptLoaders(services, loaders));
        return loaders;
    }

    private sealed record KeptLoaders(IServiceProvider Services, Loading.GraphLoaders Loaders);

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
