using System.Globalization;

namespace KnowledgeGraph.Store.Neo4j.Transport;

/// <summary>A node as Neo4j returns it. <see cref="ElementId"/> means something only within one transaction.</summary>
public sealed record CypherNode(string ElementId, IReadOnlyList<string> Labels, IReadOnlyDictionary<string, object?> Properties)
{
    public T Get<T>(string property) => CypherValues.As<T>(Properties.GetValueOrDefault(property), property);
}

/// <summary>A relationship; its direction is given only by <see cref="StartNodeElementId"/> and <see cref="EndNodeElementId"/>.</summary>
public sealed record CypherRelationship(
    string ElementId,
    string StartNodeElementId,
    string EndNodeElementId,
    string Type,
    IReadOnlyDictionary<string, object?> Properties)
{
    public T Get<T>(string property) => CypherValues.As<T>(Properties.GetValueOrDefault(property), property);
}

/// <summary>A path: <c>Nodes.Count == Relationships.Count + 1</c>, in the order the path was walked.</summary>
public sealed record CypherPath(IReadOnlyList<CypherNode> Nodes, IReadOnlyList<CypherRelationship> Relationships);

/// <summary>
/// The .NET values a decoded record holds: <c>null</c>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, byte arrays, lists (<see cref="IReadOnlyList{T}"/> of object), maps
/// (<see cref="IReadOnlyDictionary{TKey,TValue}"/>), <see cref="CypherNode"/>, <see cref="CypherRelationship"/>,
/// <see cref="CypherPath"/>; temporal and spatial values stay in their ISO or JSON text.
/// </summary>
public static class CypherValues
{
    public static T As<T>(object? value, string what)
    {
        switch (value)
        {
            case T typed:
                return typed;
            case null when default(T) is null:
                return default!;
            case long l when typeof(T) == typeof(int):
                return (T)(object)checked((int)l);
            case long l when typeof(T) == typeof(double):
                return (T)(object)(double)l;
            case long l when typeof(T) == typeof(int?):
                return (T)(object)checked((int)l);
            default:
                throw new InvalidCastException(
                    $"'{what}' is {Describe(value)}, not {typeof(T).Name}.");
        }
    }

    public static IReadOnlyList<T> ListOf<T>(object? value, string what) =>
        value switch
        {
            null => [],
            IReadOnlyList<object?> list => list.Select((item, i) => As<T>(item, $"{what}[{i}]")).ToList(),
            _ => throw new InvalidCastException($"'{what}' is {Describe(value)}, not a list."),
        };

    private static string Describe(object? value) =>
        value is null ? "null" : $"a {value.GetType().Name} ({Convert.ToString(value, CultureInfo.InvariantCulture)})";
}
