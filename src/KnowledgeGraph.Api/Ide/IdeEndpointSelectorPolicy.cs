using Microsoft.AspNetCore.Routing.Matching;

namespace KnowledgeGraph.Api.Ide;

/// <summary>Marks the IDE page endpoint, which shares its route with the JSON transport's GET endpoint.</summary>
internal sealed class IdePageMetadata
{
    public static readonly IdePageMetadata Instance = new();
}

/// <summary>
/// Lets the IDE page and the transport share <c>GET /graphql</c>. The page endpoint is ordered first, so it wins
/// whenever it stays a candidate; this policy withdraws it for every request that <see cref="IdeRequest"/> leaves to
/// the transport, and routing then picks the transport's endpoint as if the IDE were not there.
/// </summary>
internal sealed class IdeEndpointSelectorPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // Run after the built-in HTTP method policy has already dropped non-GET candidates.
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<IdePageMetadata>() is not null);
    }

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(candidates);
        if (IdeRequest.IsIdeRequest(httpContext.Request))
        {
            return Task.CompletedTask;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Endpoint.Metadata.GetMetadata<IdePageMetadata>() is not null)
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
