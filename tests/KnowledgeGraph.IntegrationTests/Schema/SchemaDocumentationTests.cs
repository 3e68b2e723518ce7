using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Schema;

/// <summary>Researchers read the schema in the IDE: every type, field, argument and enum value is described.</summary>
public sealed class SchemaDocumentationTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Fact]
    public async Task Every_type_field_argument_and_enum_value_has_a_description()
    {
        var schema = Ok(await app.PostAsync("""
            {
              __schema { types {
                name description
                fields { name description args { name description } }
                inputFields { name description }
                enumValues { name description }
              } }
            }
            """)).GetProperty("__schema").GetProperty("types");

        var missing = new List<string>();
        foreach (var type in schema.EnumerateArray().Where(t => !t.GetProperty("name").GetString()!.StartsWith("__", StringComparison.Ordinal)))
        {
            var typeName = type.GetProperty("name").GetString()!;
            if (typeName is "String" or "Int" or "Float" or "Boolean" or "ID")
            {
                continue;
            }

            Check(type, typeName);
            foreach (var field in Items(type, "fields"))
            {
                Check(field, $"{typeName}.{field.GetProperty("name").GetString()}");
                foreach (var argument in Items(field, "args"))
                {
                    Check(argument, $"{typeName}.{field.GetProperty("name").GetString()}({argument.GetProperty("name").GetString()}:)");
                }
            }

            foreach (var field in Items(type, "inputFields"))
            {
                Check(field, $"{typeName}.{field.GetProperty("name").GetString()}");
            }

            foreach (var value in Items(type, "enumValues"))
            {
                Check(value, $"{typeName}.{value.GetProperty("name").GetString()}");
            }
        }

        Assert.Empty(missing);

        void Check(JsonElement element, string path)
        {
            if (element.GetProperty("description").ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetProperty("description").GetString()))
            {
                missing.Add(path);
            }
        }
    }

    private static List<JsonElement> Items(JsonElement element, string name) =>
        element.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array ? [.. items.EnumerateArray()] : [];
}
