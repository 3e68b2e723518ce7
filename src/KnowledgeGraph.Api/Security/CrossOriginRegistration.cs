using System.ComponentModel.DataAnnotations;
using KnowledgeGraph.Api.Http;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Security;

/// <summary>
/// The <c>Cors</c> section: which browser origins may call the API from their own pages. None by default, so a page
/// on another origin can neither read an answer nor send the JSON POST that needs a preflight.
/// </summary>
public sealed class CrossOriginOptions : IValidatableObject
{
    public const string Section = "Cors";

    /// <summary>Origins (<c>scheme://host[:port]</c>, no path) whose pages may call the API; <c>*</c> allows every origin.</summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>How long a browser may reuse a preflight's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether any origin is listed, and so whether the CORS middleware runs at all.</summary>
    public bool IsEnabled => AllowedOrigins.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (origin == "*")
            {
                continue;
            }

            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/'))
            {
                yield return new ValidationResult(
                    $"Cors:AllowedOrigins: '{origin}' is not an origin; write scheme://host[:port] with no path (or * for every origin).",
                    [nameof(AllowedOrigins)]);
            }
        }
    }
}

public static class CrossOriginRegistration
{
    /// <summary>
    /// What a GraphQL client in a browser sends besides the CORS-safelisted headers: the JSON content type, a key, and
    /// the headers that show a request is not a forged form post.
    /// </summary>
    public static readonly IReadOnlyList<string> AllowedHeaders =
        ["Content-Type", "Authorization", "X-Api-Key", .. GraphQLRequestGuard.PreflightHeaders];

    /// <summary>Response headers a browser script may read: the cache result and how long to wait after a 429.</summary>
    public static readonly IReadOnlyList<string> ExposedHeaders = ["X-Cache", "Retry-After"];

    public static IServiceCollection AddCrossOriginAccess(this IServiceCollection services)
    {
        services.AddOptions<CrossOriginOptions>().BindConfiguration(CrossOriginOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddCors();
        return services;
    }

    /// <summary>
    /// First in the pipeline, so a preflight is answered before limits and the key gate (it carries no key). Credentials
    /// are never allowed: keys travel in headers a script sets, not in cookies, so no origin needs them.
    /// </summary>
    public static IApplicationBuilder UseCrossOriginAccess(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<CrossOriginOptions>>().Value;
        if (!options.IsEnabled)
        {
            return app;
        }

        return app.UseCors(policy =>
        {
            if (options.AllowedOrigins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. options.AllowedOrigins.Select(origin => origin.TrimEnd('/'))]);
            }

            policy.WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders([.. AllowedHeaders])
                .WithExposedHeaders([.. ExposedHeaders])
                .SetPreflightMaxAge(options.PreflightMaxAge)
                .DisallowCredentials();
        });
    }
}
