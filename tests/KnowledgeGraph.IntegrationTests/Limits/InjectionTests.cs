using System.Net;
using System.Text.Json;
using GraphQL;
using GraphQL.Types;
using KnowledgeGraph.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>
/// Cypher, SQL and full-text syntax in every String or ID argument of every root field (and of their input objects):
/// never a 500 or an internal message, and the graph is intact afterwards.
/// </summary>
public sealed class InjectionTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private static readonly string[] Payloads =
    [
        "' OR 1=1 //",
        "}) MATCH (n) DETACH DELETE n //",
        "'; DROP TABLE entities; --",
        "\" OR 1=1; DELETE FROM entities; --",
        "\"a\" OR NEAR(b c)",
        "*",
        "whatsapp\" OR \"1\"=\"1",
        "$where: {}",
    ];

    private static readonly string[] Internals = ["SQLite", "syntax error", "fts5", "no such", "   at ", "Exception", "Cypher"];

    [Fact]
    public async Task Injection_strings_in_every_string_argument_of_every_root_field_change_nothing_and_leak_nothing()
    {
        var before = await CountsAsync();
        var cases = StringArguments(app.Services.GetRequiredService<ISchema>()).ToList();
        Assert.True(cases.Count >= 15, $"only {cases.Count} string arguments found: {string.Join(", ", cases.Select(c => c.Describe))}");

        foreach (var @case in cases)
        {
            foreach (var payload in Payloads)
            {
                var response = await app.PostAsync(@case.Query, new Dictionary<string, object?> { ["v"] = @case.Value(payload) });

                var what = $"{@case.Describe} = {payload}: {response}";
                Assert.True((int)response.Status < 500, what);
                Assert.DoesNotContain("INTERNAL_SERVER_ERROR", response.ErrorCodes);
                foreach (var secret in Internals)
                {
                    Assert.DoesNotContain(secret, response.Body, StringComparison.OrdinalIgnoreCase);
                }
            }
        }

        Assert.Equal(before, await CountsAsync());
    }

    private async Task<(int Entities, int Relationships, string Name)> CountsAsync()
    {
        var response = await app.PostAsync("""
            { entities { totalCount } entity(key: "whatsapp") { name relationships { totalCount } } }
            """);
        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        var entity = response.Data.GetProperty("entity");
        return (response.Data.GetProperty("entities").GetProperty("totalCount").GetInt32(),
            entity.GetProperty("relationships").GetProperty("totalCount").GetInt32(),
            entity.GetProperty("name").GetString()!);
    }

    /// <summary>One query per string argument (or string field of an input argument), its value a variable.</summary>
    private static IEnumerable<InjectionCase> StringArguments(ISchema schema)
    {
        schema.Initialize();
        foreach (var field in schema.Query.Fields)
        {
            foreach (var argument in field.Arguments ?? [])
            {
                var type = argument.ResolvedType!;
                if (IsString(type.GetNamedType()))
                {
                    var list = IsList(type);
                    yield return new(
                        $"{field.Name}({argument.Name})",
                        Query(field, argument.Name, "$v", type.ToString()!),
                        payload => list ? new[] { payload } : payload);
                }
                else if (type.GetNamedType() is IInputObjectGraphType input)
                {
                    foreach (var inner in input.Fields.Where(f => IsString(f.ResolvedType!.GetNamedType())))
                    {
                        var list = IsList(inner.ResolvedType!);
                        yield return new(
                            $"{field.Name}({argument.Name}.{inner.Name})",
                            Query(field, argument.Name, "$v", input.Name),
                            payload => new Dictionary<string, object?> { [inner.Name] = list ? new[] { payload } : payload });
                    }
                }
            }
        }
    }

    private static string Query(FieldType field, string argument, string variable, string variableType)
    {
        // Other required arguments get a real key, so the payload reaches the store.
        var others = (field.Arguments ?? []).Where(a => a.Name != argument && a.ResolvedType is NonNullGraphType)
            .Select(a => IsList(a.ResolvedType!) ? $"{a.Name}: [\"whatsapp\"]" : $"{a.Name}: \"whatsapp\"");
        var arguments = string.Join(", ", others.Prepend($"{argument}: {variable}"));
        var selection = field.ResolvedType!.GetNamedType() is ScalarGraphType ? "" : "{ __typename }";
        return $"query($v: {variableType}) {{ {field.Name}({arguments}) {selection} }}";
    }

    private static bool IsString(IGraphType type) => type is StringGraphType or IdGraphType;

    private static bool IsList(IGraphType type) => (type is NonNullGraphType nonNull ? nonNull.ResolvedType : type) is ListGraphType;

    private sealed record InjectionCase(string Describe, string Query, Func<string, object?> Value);
}
