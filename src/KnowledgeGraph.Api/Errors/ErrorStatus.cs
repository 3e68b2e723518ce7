using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;

namespace KnowledgeGraph.Api.Errors;

/// <summary>An error that knows the HTTP status it earns when it stops a request before any data.</summary>
public interface IHasPreferredStatusCode
{
    int PreferredStatusCode { get; }
}

/// <summary>The HTTP status of errors: each error's own (<see cref="IHasPreferredStatusCode"/>), else GraphQL.NET's kinds'.</summary>
public static class ErrorStatus
{
    /// <summary>The status one error earns.</summary>
    public static int Of(ExecutionError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            IHasPreferredStatusCode own => own.PreferredStatusCode,
            SyntaxError => StatusCodes.Status400BadRequest,
            TimeoutError => StatusCodes.Status504GatewayTimeout,
            DocumentError or RequestError => StatusCodes.Status422UnprocessableEntity,
            _ when GraphQLErrorInfoProvider.FindStoreUnavailable(error) is not null => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        };
    }

    /// <summary>
    /// The status of a response that has no data: the first specific status among its errors (401, 405, 429...), else
    /// 422 when every error is the client's, else 503 when the store was unavailable, else 500.
    /// </summary>
    public static int OfRefusal(IEnumerable<ExecutionError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var statuses = errors.Select(Of).ToList();
        var specific = statuses.FirstOrDefault(s => s is not (StatusCodes.Status422UnprocessableEntity or StatusCodes.Status500InternalServerError or StatusCodes.Status503ServiceUnavailable));
        if (specific != 0)
        {
            return specific;
        }

        if (statuses.Count > 0 && statuses.All(s => s == StatusCodes.Status422UnprocessableEntity))
        {
            return StatusCodes.Status422UnprocessableEntity;
        }

        return statuses.Contains(StatusCodes.Status503ServiceUnavailable) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
    }
}
