using Microsoft.AspNetCore.Routing.Matching;

namespace KnowledgeGraph.Api.Ide;

/// <summary>Marks the IDE page endpoint, which shares its route with the JSON transport's GET endpoint.</summary>
internal sealed class IdePageMetadata
{
    public static readonly IdePageMetadata Instance = new();
}

/// <summary>
/// Lets the IDE page and the transport share <c>GET /graphql</c>. The transport's own policy withdraws its GET
/// endpoint from requests that are not GraphQL; this one withdraws the page from requests that are not a browser
/// opening the IDE (<see cref="IdeRequest"/>). The two sets never overlap, so at most one endpoint stays and
/// routing never sees an ambiguous match; a GET neither claims is a 404.
/// </summary>
internal sealed class IdeEndpointSelectorPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

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
