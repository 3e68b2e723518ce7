using System.ComponentModel.DataAnnotations;

namespace KnowledgeGraph.Api.Limits;

/// <summary>
/// The <c>Limits</c> configuration section: how much one request may ask of the service. Every value has a safe
/// default and is validated at start-up; README's configuration table says why each default is what it is.
/// </summary>
public sealed class LimitsOptions : IValidatableObject
{
    public const string Section = "Limits";

    /// <summary>The most fields on one path of a document, a root leaf counting 1 (the IDE's introspection query is 15).</summary>
    [Range(1, 100)]
    public int MaxDepth { get; set; } = 15;

    /// <summary>The cost budget: every field costs 1, times the page sizes of the lists it is nested in.</summary>
    [Range(1, 10_000_000)]
    public int MaxComplexity { get; set; } = 10_000;

    /// <summary>The most aliases in a document, fragments counted each time they are spread.</summary>
    [Range(0, 10_000)]
    public int MaxAliases { get; set; } = 30;

    /// <summary>The most field selections in a document, fragments counted each time they are spread.</summary>
    [Range(1, 100_000)]
    public int MaxFields { get; set; } = 500;

    /// <summary>The most directives (<c>@include</c>, <c>@skip</c>...) in a document.</summary>
    [Range(0, 10_000)]
    public int MaxDirectives { get; set; } = 50;

    /// <summary>How long one operation may run; past it the execution is cancelled and answered <c>TIMEOUT</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most resolvers one request runs at once.</summary>
    [Range(1, 1_000)]
    public int MaxParallelResolvers { get; set; } = 16;

    /// <summary>The largest POST body, in bytes; larger bodies are refused with 413 before they are read whole.</summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>The largest file <c>POST /import</c> takes, in bytes; spooled to a temporary file, never held in memory.</summary>
    [Range(1_024, 64L * 1024 * 1024 * 1024)]
    public long MaxImportBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Whether <c>__schema</c>/<c>__type</c> and the published SDL answer. The IDE and code generators need them.</summary>
    public bool Introspection { get; set; } = true;

    /// <summary>Whether validation errors say "Did you mean ...?"; when unset, the same as <see cref="Introspection"/>.</summary>
    public bool? Suggestions { get; set; }

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Suggestions reveal field names, so they follow introspection unless set on their own.</summary>
    public bool ShowSuggestions => Suggestions ?? Introspection;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(RateLimit, new ValidationContext(RateLimit), results, validateAllProperties: true);
        foreach (var result in results)
        {
            yield return new ValidationResult(
                $"{nameof(RateLimit)}: {result.ErrorMessage}",
                [.. result.MemberNames.Select(name => $"{nameof(RateLimit)}:{name}")]);
        }

        if (RateLimit.AddressPermitLimit < RateLimit.PermitLimit)
        {
            yield return new ValidationResult(
                $"{nameof(RateLimit)}:{nameof(RateLimitOptions.AddressPermitLimit)} ({RateLimit.AddressPermitLimit}) must be at least {nameof(RateLimit)}:{nameof(RateLimitOptions.PermitLimit)} ({RateLimit.PermitLimit}).",
                [$"{nameof(RateLimit)}:{nameof(RateLimitOptions.AddressPermitLimit)}"]);
        }
    }
}

/// <summary>The <c>Limits:RateLimit</c> section: fixed windows per client and per client address.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Requests per window for one client: one API key when the request carries one, else one address.</summary>
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; } = 600;

    /// <summary>Requests per window from one address whatever keys it presents, so inventing keys gains nothing.</summary>
    [Range(1, 10_000_000)]
    public int AddressPermitLimit { get; set; } = 1_200;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
