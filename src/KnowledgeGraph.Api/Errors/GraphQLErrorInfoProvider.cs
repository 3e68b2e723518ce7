using System.Text.RegularExpressions;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQL.Validation.Errors.Custom;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.Errors;

/// <summary>
/// Shapes every error the API returns: <c>extensions.code</c> is one of <see cref="ErrorCodes"/> (or the code a
/// resolver set on its own <see cref="ExecutionError"/>), and internal exception messages and stack traces appear
/// only when <paramref name="exposeDetails"/> is set (the Development environment). Validation messages keep their
/// "Did you mean ...?" only when <paramref name="suggestions"/> is set (<c>Limits:Suggestions</c>).
/// </summary>
public sealed partial class GraphQLErrorInfoProvider(bool exposeDetails, bool suggestions = true) : IErrorInfoProvider
{
    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        ArgumentNullException.ThrowIfNull(executionError);

        var storeUnavailable = FindStoreUnavailable(executionError);
        var code = CodeOf(executionError, storeUnavailable);
        var message = executionError.Message;
        if (storeUnavailable is not null)
        {
            // StoreUnavailableException promises a message safe for clients.
            message = storeUnavailable.Message;
        }
        else if (exposeDetails && executionError is UnhandledError && executionError.InnerException is { } inner)
        {
            message = $"{message} {inner.GetType().Name}: {inner.Message}";
        }
        else if (!suggestions && executionError is DocumentError)
        {
            // Suggestions name fields and types a client without introspection should not learn.
            message = Suggestion().Replace(message, string.Empty);
        }

        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (executionError.Extensions is { Count: > 0 } own)
        {
            foreach (var (key, value) in own)
            {
                extensions[key] = value;
            }

            extensions["code"] = code;
        }

        // Only failures of ours carry a stack trace worth reading; a client's mistake is explained by the message.
        if (exposeDetails && executionError.InnerException is not null
            && code is ErrorCodes.InternalServerError or ErrorCodes.StoreUnavailable)
        {
            extensions["details"] = executionError.InnerException.ToString();
        }

        return new ErrorInfo { Message = message, Extensions = extensions };
    }

    /// <summary>The code of an error, whatever raised it. Order matters: the most specific kinds come first.</summary>
    public static string CodeOf(ExecutionError error) => CodeOf(error, FindStoreUnavailable(error));

    /// <summary>The <see cref="StoreUnavailableException"/> behind an error, however deeply wrapped.</summary>
    public static StoreUnavailableException? FindStoreUnavailable(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var pending = new Stack<Exception>();
        pending.Push(error);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case StoreUnavailableException found:
                    return found;
                case AggregateException aggregate:
                    foreach (var inner in aggregate.InnerExceptions)
                    {
                        pending.Push(inner);
                    }

                    break;
                case { InnerException: { } inner }:
                    pending.Push(inner);
                    break;
            }
        }

        return null;
    }

    private static string CodeOf(ExecutionError error, StoreUnavailableException? storeUnavailable) => error switch
    {
        GraphQLRequestError or GetMutationNotAllowedError or QueryLimitError or Security.AuthorizationError => error.Code!,
        NoIntrospectionError => ErrorCodes.IntrospectionDisabled,
        _ when storeUnavailable is not null => ErrorCodes.StoreUnavailable,
        SyntaxError => ErrorCodes.ParseFailed,
        QueryMissingError => ErrorCodes.MissingQuery,
        InvalidVariableError => ErrorCodes.BadUserInput,
        InvalidOperationNameError or NoOperationNameError or NoOperationError => ErrorCodes.OperationNotFound,
        // "Schema is not configured for mutations": the document asks for a root type the schema lacks.
        InvalidOperationError or ValidationError => ErrorCodes.ValidationFailed,
        // An UnhandledError's own Code is derived from the exception type, an internal detail.
        UnhandledError => ErrorCodes.InternalServerError,
        // Errors resolvers raise on purpose keep the code they chose.
        _ => error.Code ?? ErrorCodes.InternalServerError,
    };

    [GeneratedRegex(@"\s*Did you mean\b.*$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Suggestion();
}
