using System.Net;
using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Limits;

/// <summary>
/// The introspection query graphql-codegen and current IDEs send answers 200: graphql-js 16's getIntrospectionQuery with
/// every option on (descriptions, specifiedByUrl, directiveIsRepeatable, schemaDescription, inputValueDeprecation), as
/// Banana Cake Pop sends it, so with <c>specifiedByURL</c> on <c>__Type</c> and <c>includeDeprecated</c> on
/// <c>__Directive.args</c>, which GraphQL.NET 8.8.5 lacks and <see cref="KnowledgeGraph.Api.GraphQL.KnowledgeGraphSchema"/> adds.
/// (The recipe's test, examples/frontend/test/recipe.test.mjs, sends the same query from graphql-js itself.)
/// </summary>
public sealed class CodegenIntrospectionTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    private const string CodegenQuery = """
        query IntrospectionQuery {
          __schema {
            description
            queryType { name kind }
            mutationType { name kind }
            subscriptionType { name kind }
            types { ...FullType }
            directives {
              name
              description
              isRepeatable
              locations
              args(includeDeprecated: true) { ...InputValue }
            }
          }
        }
        fragment FullType on __Type {
          kind
          name
          description
          specifiedByURL
          fields(includeDeprecated: true) {
            name
            description
            args(includeDeprecated: true) { ...InputValue }
            type { ...TypeRef }
            isDeprecated
            deprecationReason
          }
          inputFields(includeDeprecated: true) { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue {
          name
          description
          type { ...TypeRef }
          defaultValue
          isDeprecated
          deprecationReason
        }
        fragment TypeRef on __Type {
          kind name
          ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } } }
        }
        """;

    [Fact]
    public async Task The_query_graphql_codegen_sends_answers_with_repeatable_directives_input_value_deprecation_and_specified_by_url()
    {
        var response = await app.PostAsync(CodegenQuery);

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        var schema = response.Data.GetProperty("__schema");
        var include = schema.GetProperty("directives").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "include");
        Assert.False(include.GetProperty("isRepeatable").GetBoolean());
        var entity = schema.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Query")
            .GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "entity");
        Assert.False(entity.GetProperty("args")[0].GetProperty("isDeprecated").GetBoolean());
        // Every type answers specifiedByURL, null: the built-in scalars have no specification URL, other kinds never do.
        var types = schema.GetProperty("types").EnumerateArray().ToList();
        Assert.Contains(types, t => t.GetProperty("name").GetString() == "String");
        Assert.All(types, t => Assert.Equal(JsonValueKind.Null, t.GetProperty("specifiedByURL").ValueKind));
    }
}
