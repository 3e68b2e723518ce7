using System.Text.Json;

namespace KnowledgeGraph.LoadBenchmarks;

/// <summary>The fixed mix every case serves, in this order, round robin per connection.</summary>
internal static class QueryMix
{
    public static readonly (string Name, string Body)[] Requests =
    [
        ("point lookup", Body("query Point($key: String!) { entity(key: $key) { key name kind } }", new { key = "whatsapp" })),
        ("two hops + citations", Body(
            """
            query TwoHops($key: String!) {
              entity(key: $key) {
                key name
                relationships(first: 20) { edges { node { type citations { excerpt start end }
                  from { key name } to { key name
                    relationships(first: 20) { edges { node { type citations { excerpt } from { key name } to { key name } } } } } } } }
              }
            }
            """, new { key = "whatsapp" })),
        ("full-text search", Body("query Search($text: String!) { search(text: $text) { score entity { key name } } }", new { text = "telegramme" })),
        ("shortest path", Body(
            "query Path($from: String!, $to: String!) { path(from: $from, to: $to, maxHops: 4) { length steps { from { name } relationship { type } to { name } forward } } }",
            new { from = "elon-musk", to = "whatsapp" })),
    ];

    private static string Body(string query, object variables) => JsonSerializer.Serialize(new { query, variables });
}
