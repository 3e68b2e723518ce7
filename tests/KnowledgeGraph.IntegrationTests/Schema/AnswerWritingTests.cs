using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using GraphQL;
using GraphQL.Execution;
using GraphQL.SystemTextJson;
using GraphQL.Transport;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Domain;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Schema;

/// <summary>
/// Answers are written by <see cref="ExecutionResultConverter"/>: the same bytes GraphQL.NET's own converter writes, for
/// answers with every kind of value (strings, enums, integers, floats, booleans, nulls, lists, aliases, introspection),
/// with errors beside data and with errors alone.
/// </summary>
public sealed class AnswerWritingTests
{
    public static TheoryData<string, string?> Documents => new()
    {
        { "query Point($key: String!) { entity(key: $key) { key name kind } }", """{"key":"whatsapp"}""" },
        {
            """
            query TwoHops($key: String!) {
              entity(key: $key) {
                key name
                relationships(first: 20) { totalCount countsByType { type count } pageInfo { hasNextPage endCursor }
                  edges { cursor node { type citations { excerpt start end }
                  from { key name } to { key name
                    relationships(first: 20) { edges { node { type citations { excerpt } from { key name } to { key name } } } } } } } }
              }
            }
            """,
            """{"key":"whatsapp"}"""
        },
        { "{ search(text: \"telegramme\") { score entity { key name kind } } }", null },
        { "{ path(from: \"elon-musk\", to: \"whatsapp\", maxHops: 4) { length steps { from { name } relationship { type } to { name } forward } } }", null },
        { "{ a: entity(key: \"signal\") { __typename key b: name(lang: FR) } missing: entity(key: \"no-such-entity\") { key } }", null },
        { "{ __schema { queryType { name } types { name kind description fields(includeDeprecated: true) { name isDeprecated args { name defaultValue } } } } }", null },
        { "{ entity(key: \"whatsapp\") { relationships(first: 2, after: \"not-a-cursor\") { totalCount } } }", null },
        { "{ entity(key: 42) { key } }", null },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task An_answer_is_written_as_GraphQL_NETs_own_converter_writes_it(string query, string? variables)
    {
        await using var app = new KnowledgeGraphApp { Settings = [("Cache:Enabled", "false"), ("Limits:RateLimit:Enabled", "false")] };
        using var scope = app.Services.CreateScope();
        var pipeline = scope.ServiceProvider.GetRequiredService<GraphQLPipeline>();
        var ours = scope.ServiceProvider.GetRequiredService<IGraphQLTextSerializer>();
        var reference = new GraphQLSerializer(
            options => options.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            scope.ServiceProvider.GetRequiredService<IErrorInfoProvider>());
        var request = new GraphQLRequest { Query = query, Variables = variables is null ? null : ours.Deserialize<Inputs>(variables) };

        var answer = await pipeline.ExecuteAsync(
            new GraphQLPipelineRequest(request, GraphQLTransport.Post, new ClaimsPrincipal(), Language.En, GraphQLResponseMediaType.GraphQLResponseJson, RateLimitedClient.Unlimited, scope.ServiceProvider),
            CancellationToken.None);

        Assert.Null(answer.Body);
        // The app's serializer writes answers with ours, not GraphQL.NET's (which it adds only when none is given).
        var options = (System.Text.Json.JsonSerializerOptions)typeof(GraphQLSerializer)
            .GetProperty("SerializerOptions", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(ours)!;
        Assert.IsType<ExecutionResultConverter>(options.Converters.First(c => c.CanConvert(typeof(ExecutionResult))));
        var written = ours.Serialize(answer.Result);
        Assert.Equal(reference.Serialize(answer.Result), written);
        Assert.StartsWith(answer.Result.Errors is { Count: > 0 } ? """{"errors":[""" : """{"data":""", written, StringComparison.Ordinal);
    }
}
