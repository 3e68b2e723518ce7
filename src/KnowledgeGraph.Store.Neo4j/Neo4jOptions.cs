using System.ComponentModel.DataAnnotations;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>The <c>Neo4j</c> configuration section: where the Query API is and how to call it.</summary>
public sealed class Neo4jOptions : IValidatableObject
{
    public const string Section = "Neo4j";

    /// <summary>
    /// The HTTP(S) address of Neo4j's Query API: <c>http://localhost:7474</c> for a local server,
    /// <c>https://xxxxxxxx.databases.neo4j.io</c> for Aura (the Bolt schemes <c>neo4j+s://</c>, <c>bolt://</c> are not it).
    /// </summary>
    public string? Uri { get; set; }

    /// <summary>The parsed <see cref="Uri"/>; valid once the options have passed validation.</summary>
    public Uri GetQueryApiUri() => System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri)
        ? uri
        : throw new InvalidOperationException($"Neo4j:Uri '{Uri}' is not an absolute address.");

    public string Database { get; set; } = "neo4j";

    public string User { get; set; } = "neo4j";

    /// <summary>Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>How long one request may take before it is abandoned (and retried if it may be).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries of a transient failure (connection refused, 503, Neo.TransientError.*); 0 disables them.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first back-off delay; each retry doubles it, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the seed's transaction (all its statements and the commit) may take.</summary>
    public TimeSpan SeedTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a partner's write (its transaction, waiting for the write lock included) may take.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Uri))
        {
            yield return Fail("Neo4j:Uri is required: the HTTP(S) address of Neo4j's Query API, such as http://localhost:7474 or https://xxxxxxxx.databases.neo4j.io for Aura.", nameof(Uri));
        }
        else if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri)
                 || (uri.Scheme != System.Uri.UriSchemeHttp && uri.Scheme != System.Uri.UriSchemeHttps))
        {
            var isBolt = uri is not null
                && (uri.Scheme.StartsWith("neo4j", StringComparison.OrdinalIgnoreCase) || uri.Scheme.StartsWith("bolt", StringComparison.OrdinalIgnoreCase));
            var hint = isBolt
                ? $" '{uri!.Scheme}://' is a Bolt driver address; the Query API of the same server is at https://{uri.Host} (Aura) or http://{uri.Host}:7474."
                : string.Empty;
            yield return Fail($"Neo4j:Uri '{Uri}' must be an absolute http:// or https:// address of Neo4j's Query API.{hint}", nameof(Uri));
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            yield return Fail("Neo4j:Database must name a database (Neo4j's default is 'neo4j').", nameof(Database));
        }

        if (string.IsNullOrWhiteSpace(User))
        {
            yield return Fail("Neo4j:User is required (Neo4j's default user is 'neo4j').", nameof(User));
        }

        if (string.IsNullOrEmpty(Password))
        {
            yield return Fail("Neo4j:Password is required; set it from a secret store or the NEO4J_PASSWORD-backed environment variable Neo4j__Password, never in appsettings.json.", nameof(Password));
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(10))
        {
            yield return Fail($"Neo4j:RequestTimeout must be between 00:00:00 and 00:10:00, not {RequestTimeout}.", nameof(RequestTimeout));
        }

        if (MaxRetries is < 0 or > 10)
        {
            yield return Fail($"Neo4j:MaxRetries must be between 0 and 10, not {MaxRetries}.", nameof(MaxRetries));
        }

        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromSeconds(30))
        {
            yield return Fail($"Neo4j:RetryDelay must be between 00:00:00 and 00:00:30, not {RetryDelay}.", nameof(RetryDelay));
        }

        if (SeedTimeout <= TimeSpan.Zero)
        {
            yield return Fail($"Neo4j:SeedTimeout must be positive, not {SeedTimeout}.", nameof(SeedTimeout));
        }

        if (WriteTimeout <= TimeSpan.Zero)
        {
            yield return Fail($"Neo4j:WriteTimeout must be positive, not {WriteTimeout}.", nameof(WriteTimeout));
        }
    }

    private static ValidationResult Fail(string message, string member) => new(message, [member]);
}
