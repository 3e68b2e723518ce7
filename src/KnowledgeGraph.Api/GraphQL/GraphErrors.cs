using GraphQL;
using KnowledgeGraph.Api.Errors;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>The errors resolvers raise, each with a stable <c>extensions.code</c> from <see cref="ErrorCodes"/>.</summary>
public static class GraphErrors
{
    public static ExecutionError BadInput(string message) => new(message) { Code = ErrorCodes.BadUserInput };

    public static ExecutionError Missing(string message) => new(message) { Code = ErrorCodes.NotFound };

    public static ExecutionError TooLarge(string message) => new(message) { Code = ErrorCodes.GraphTooLarge };
}
