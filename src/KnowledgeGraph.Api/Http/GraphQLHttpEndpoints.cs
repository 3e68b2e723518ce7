using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Limits;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Http;

public static class GraphQLHttpEndpoints
{
    /// <summary>The transport's services; <see cref="MapGraphQLHttp"/> needs them.</summary>
    public static IServiceCollection AddGraphQLHttp(this IServiceCollection services)
    {
        services.TryAddSingleton<GraphQLHttpHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GraphQLGetMatcherPolicy>());
        return services;
    }

    /// <summary>
    /// Maps GraphQL over HTTP at <paramref name="pattern"/> (POST, and GET for queries). A GET is taken as a GraphQL request only when
    /// <see cref="IsGraphQLGetRequest"/> says so; other GETs (a browser opening the IDE) go to whatever else is
    /// mapped at the same path.
    /// </summary>
    public static IEndpointRouteBuilder MapGraphQLHttp(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);

        endpoints.MapPost(pattern, (HttpContext context, GraphQLHttpHandler handler) => handler.HandlePostAsync(context))
            .WithName("GraphQLPost")
            .DisableAntiforgery();

        endpoints.MapGet(pattern, (HttpContext context, GraphQLHttpHandler handler) => handler.HandleGetAsync(context))
            .WithName("GraphQLGet")
            .WithMetadata(GraphQLGetMatcherPolicy.Marker)
            // Ahead of an IDE endpoint at the same path, which then serves only the GETs rejected by the policy.
            .WithOrder(-1);

        return endpoints;
    }

    /// <summary>The SDL at <c>{pattern}/schema.graphql</c>: introspection by another route, gone when <c>Limits:Introspection</c> is off.</summary>
    public static IEndpointRouteBuilder MapGraphQLSchema(this IEndpointRouteBuilder endpoints, string pattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        endpoints.MapGet($"{pattern.TrimEnd('/')}/schema.graphql", (ISchema schema, IOptions<LimitsOptions> limits) =>
                limits.Value.Introspection ? Results.Text(KnowledgeGraphSchema.Print(schema), "text/plain; charset=utf-8") : Results.NotFound())
            .WithName("GraphQLSchema");

        return endpoints;
    }

    /// <summary>
    /// The rule shared with the IDE: a GET is a GraphQL request when it has a <c>query</c> (or, for a persisted
    /// query, <c>extensions</c>) parameter or its
    /// <c>Accept</c> names <c>application/graphql-response+json</c> or <c>application/json</c> explicitly. A browser
    /// navigation (<c>Accept: text/html, ..., */*</c>, no <c>query</c>) is not.
    /// </summary>
    public static bool IsGraphQLGetRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Query.ContainsKey("query") || request.Query.ContainsKey("extensions") || GraphQLMediaTypes.NamesGraphQLResponseType(request.Headers.Accept);
    }
}

/// <summary>Drops the GraphQL GET endpoint from matching when the request is not a GraphQL GET request.</summary>
internal sealed class GraphQLGetMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public static readonly object Marker = new GraphQLGetEndpointMetadata();

    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
        => endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<GraphQLGetEndpointMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i)
                && candidates[i].Endpoint.Metadata.GetMetadata<GraphQLGetEndpointMetadata>() is not null
                && !GraphQLHttpEndpoints.IsGraphQLGetRequest(httpContext.Request))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }

    private sealed class GraphQLGetEndpointMetadata;
}
