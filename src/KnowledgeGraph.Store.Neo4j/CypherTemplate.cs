using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// A Cypher statement of the store's catalogue (<see cref="Neo4jCypher"/>): its name, its text and the parameters it
/// declares. Binding checks that exactly the declared parameters get a value, so the text and the code that fills it
/// cannot drift apart; the lint test feeds the same declarations to Neo4j's parser.
/// </summary>
public sealed record CypherTemplate(string Name, string Text, IReadOnlyList<string> Parameters)
{
    public CypherStatement Bind(params ReadOnlySpan<(string Name, object? Value)> values)
    {
        var bound = new Dictionary<string, object?>(values.Length, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (!bound.TryAdd(name, value))
            {
                throw new InvalidOperationException($"Cypher statement '{Name}': parameter ${name} is bound twice.");
            }
        }

        var missing = Parameters.Where(p => !bound.ContainsKey(p)).ToList();
        var unknown = bound.Keys.Where(p => !Parameters.Contains(p)).ToList();
        if (missing.Count > 0 || unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Cypher statement '{Name}' declares ({string.Join(", ", Parameters)}); missing: ({string.Join(", ", missing)}), not declared: ({string.Join(", ", unknown)}).");
        }

        return new CypherStatement(Name, Text, bound);
    }
}
