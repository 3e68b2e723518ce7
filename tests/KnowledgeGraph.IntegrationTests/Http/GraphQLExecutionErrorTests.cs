using System.Net;
using GraphQL;
using GraphQL.DI;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Http;

/// <summary>Errors raised while resolving fields: a code, a safe message, and details only in Development.</summary>
public sealed class GraphQLExecutionErrorTests
{
    [Fact]
    public async Task A_store_outage_is_STORE_UNAVAILABLE_with_the_stores_own_safe_message()
    {
        await using var app = AppWhereVersionThrows(new StoreUnavailableException("The graph store is unavailable: connection refused."));

        var response = await app.PostAsync("{ failing }");

        // Executed: data is present ({"failing": null}), so the status is 2xx: 294, partial success.
        Assert.Equal(294, (int)response.Status);
        Assert.True(response.HasData);
        Assert.Equal(["STORE_UNAVAILABLE"], response.ErrorCodes);
        Assert.Equal("The graph store is unavailable: connection refused.", response.Errors[0].GetProperty("message").GetString());
        Assert.Equal("failing", response.Errors[0].GetProperty("path")[0].GetString());
    }

    [Fact]
    public async Task A_legacy_client_gets_200_for_a_result_with_field_errors()
    {
        await using var app = AppWhereVersionThrows(new StoreUnavailableException());

        var response = await app.PostAsync("{ failing }", accept: "application/json");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
        Assert.Equal(["STORE_UNAVAILABLE"], response.ErrorCodes);
    }

    [Fact]
    public async Task An_internal_exception_is_INTERNAL_SERVER_ERROR_without_its_message_or_stack_outside_development()
    {
        await using var app = AppWhereVersionThrows(new InvalidOperationException("secret connection string"));

        var response = await app.PostAsync("{ failing }");

        Assert.Equal(294, (int)response.Status);
        Assert.Equal(["INTERNAL_SERVER_ERROR"], response.ErrorCodes);
        Assert.DoesNotContain("secret", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", response.Body, StringComparison.Ordinal);
        Assert.False(response.Errors[0].GetProperty("extensions").TryGetProperty("details", out _));
    }

    [Fact]
    public async Task In_development_an_internal_exception_shows_its_message_and_details()
    {
        await using var app = AppWhereVersionThrows(new InvalidOperationException("secret connection string"), "Development");

        var response = await app.PostAsync("{ failing }");

        Assert.Equal(["INTERNAL_SERVER_ERROR"], response.ErrorCodes);
        Assert.Contains("secret connection string", response.Errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", response.Errors[0].GetProperty("extensions").GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resolvers_own_execution_error_keeps_its_code_and_message()
    {
        await using var app = AppWhereVersionThrows(new ExecutionError("No such entity.") { Code = "NOT_FOUND" });

        var response = await app.PostAsync("{ failing }");

        Assert.Equal(["NOT_FOUND"], response.ErrorCodes);
        Assert.Equal("No such entity.", response.Errors[0].GetProperty("message").GetString());
    }

    /// <summary>The app with a test-only <c>Query.failing: String</c> that throws, added through a schema visitor.</summary>
    private static KnowledgeGraphApp AppWhereVersionThrows(Exception exception, string environment = "Testing") => new()
    {
        EnvironmentName = environment,
        TestServices = services => services.AddSingleton<IConfigureSchema>(new ThrowingVersion(exception)),
    };

    private sealed class ThrowingVersion(Exception exception) : BaseSchemaNodeVisitor, IConfigureSchema
    {
        public void Configure(ISchema schema, IServiceProvider serviceProvider) => schema.RegisterVisitor(this);

        public override void VisitObject(IObjectGraphType type, ISchema schema)
        {
            if (type.Name == "Query")
            {
                type.AddField(new FieldType
                {
                    Name = "failing",
                    ResolvedType = schema.AllTypes["String"],
                    Resolver = new FuncFieldResolver<object>(_ => throw exception),
                });
            }
        }
    }
}
