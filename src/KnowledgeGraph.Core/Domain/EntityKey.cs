using System.Text.Json;
using System.Text.Json.Serialization;

namespace KnowledgeGraph.Domain;

/// <summary>The stable, lower-case kebab-case key of an entity, such as <c>whatsapp</c> or <c>pavel-durov</c>.</summary>
[JsonConverter(typeof(EntityKeyJsonConverter))]
public readonly record struct EntityKey(string Value)
{
    public override string ToString() => Value;

    /// <summary>True when <paramref name="value"/> is lower-case kebab-case: letters, digits and single hyphens.</summary>
    public static bool IsWellFormed(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200 || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        var previousWasHyphen = false;
        foreach (var c in value)
        {
            var isHyphen = c == '-';
            if (!(isHyphen || char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) || (isHyphen && previousWasHyphen))
            {
                return false;
            }

            previousWasHyphen = isHyphen;
        }

        return true;
    }
}

/// <summary>Writes an <see cref="EntityKey"/> as the plain string it is.</summary>
public sealed class EntityKeyJsonConverter : JsonConverter<EntityKey>
{
    public override EntityKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("An entity key cannot be null."));

    public override void Write(Utf8JsonWriter writer, EntityKey value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
