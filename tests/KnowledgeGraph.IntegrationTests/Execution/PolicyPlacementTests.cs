using System.Reflection;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Execution;

/// <summary>Policies hang on the API's route group, and error codes live in one catalogue.</summary>
public sealed class PolicyPlacementTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Fact]
    public void Every_api_endpoint_is_rate_limited_and_every_http_one_stands_behind_the_key_gate()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var api = endpoints.Where(e => e.RoutePattern.RawText is "/graphql" or "/import" or "/export"
            && e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is not ("BananaCakePop" or null)).ToList();

        Assert.Equal(["Export", "GraphQLGet", "GraphQLPost", "GraphQLWebSocket", "Import"], api.Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName).Order(StringComparer.Ordinal));
        Assert.All(api, e => Assert.NotNull(e.Metadata.GetMetadata<ClientRateLimitMetadata>()));
        Assert.All(api.Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName != "GraphQLWebSocket"), e => Assert.NotNull(e.Metadata.GetMetadata<ApiKeyGateMetadata>()));
        Assert.Equal(KnowledgeGraph.Security.ApiRole.Partner, api.Single(e => e.RoutePattern.RawText == "/import").Metadata.GetMetadata<ApiKeyGateMetadata>()!.Role);
    }

    [Fact]
    public void Each_error_code_is_defined_once_in_the_catalogue_and_nowhere_else()
    {
        var catalogue = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var elsewhere = typeof(ErrorCodes).Assembly.GetTypes()
            .Where(t => t != typeof(ErrorCodes))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && catalogue.Contains((string)f.GetRawConstantValue()!))
            .Select(f => $"{f.DeclaringType!.Name}.{f.Name}")
            .ToList();

        Assert.Equal(catalogue.Count, catalogue.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains("BAD_USER_INPUT", catalogue);
        Assert.Empty(elsewhere);
    }
}
