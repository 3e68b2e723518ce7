using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KnowledgeGraph.Api.Ide;

/// <summary>
/// The IDE's index page and its start-up configuration. The npm build links its assets relative to the page
/// (<c>static/js/...</c>), which from <c>/graphql</c> would resolve to the site root, so the links are rewritten once
/// at start-up to point under the asset path, and the request's path base is filled in per request.
/// </summary>
internal sealed partial class BananaCakePopPage
{
    private const string AssetBaseMarker = "\u0001asset-base\u0001";

    private readonly string _template;

    private BananaCakePopPage(string template, byte[] configuration)
    {
        _template = template;
        Configuration = configuration;
    }

    /// <summary>The JSON the IDE fetches from <c>{page}/bcp-config.json</c> before it renders.</summary>
    public byte[] Configuration { get; }

    public static BananaCakePopPage Load(string assetDirectory, string title)
    {
        var indexPath = Path.Combine(assetDirectory, "index.html");
        if (!File.Exists(indexPath))
        {
            throw new InvalidOperationException(
                $"The GraphQL IDE's assets are missing ({indexPath}). They are installed from npm and copied beside the app by the build (src/KnowledgeGraph.Api/Ide/BananaCakePop.targets); build the Api project with npm on PATH.");
        }

        var template = RelativeAssetLink().Replace(
            File.ReadAllText(indexPath),
            match => $"{match.Groups["attribute"].Value}=\"{AssetBaseMarker}{match.Groups["path"].Value}\"");
        return new BananaCakePopPage(template, JsonSerializer.SerializeToUtf8Bytes(CreateConfiguration(title), ConfigurationJson.Default.IdeConfiguration));
    }

    public string Render(string assetBase) => _template.Replace(AssetBaseMarker, HtmlEncoder.Default.Encode(assetBase), StringComparison.Ordinal);

    private static IdeConfiguration CreateConfiguration(string title) => new(
        Title: title,
        // The endpoint is the page's own URL: same origin, under whatever path base the app is hosted at.
        UseBrowserUrlAsEndpoint: true,
        IncludeCookies: false,
        UseGet: false,
        // The IDE otherwise posts an activation record to its vendor on start; these servers have no outside network
        // and their users did not opt in. Without gaTrackingId it loads no analytics script either.
        DisableTelemetry: true);

    // src="static/js/main.js", href="./favicon.ico"; not "/x", "#x", "//host" or "scheme:".
    [GeneratedRegex(@"(?<attribute>\b(?:src|href))=""(?:\./)?(?<path>(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)[^""]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeAssetLink();
}

/// <summary>The options object Banana Cake Pop reads from <c>bcp-config.json</c>; null members are left out.</summary>
internal sealed record IdeConfiguration(string Title, bool UseBrowserUrlAsEndpoint, bool IncludeCookies, bool UseGet, bool DisableTelemetry);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(IdeConfiguration))]
internal sealed partial class ConfigurationJson : System.Text.Json.Serialization.JsonSerializerContext;
