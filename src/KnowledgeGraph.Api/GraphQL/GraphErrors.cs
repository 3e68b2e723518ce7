using GraphQL;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>The errors resolvers raise, each with a stable <c>extensions.code</c>.</summary>
public static class GraphErrors
{
    /// <summary>An argument is out of range or malformed.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";

    /// <summary>A key the request names does not exist.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>A field would have to read more of the graph than it is allowed to.</summary>
    public const string GraphTooLarge = "GRAPH_TOO_LARGE";

    public static ExecutionError BadInput(string message) => new(message) { Code = BadUserInput };

    public static ExecutionError Missing(string message) => new(message) { Code = NotFound };

    public static ExecutionError TooLarge(string message) => new(message) { Code = GraphTooLarge };
}
