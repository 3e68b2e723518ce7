using GraphQL.Validation;
using KnowledgeGraph.Api.Errors;

namespace KnowledgeGraph.Api.Limits;

/// <summary>A document refused for its shape or cost before it runs; answered 422 like other validation errors.</summary>
public sealed class QueryLimitError : ValidationError, IHasPreferredStatusCode
{
    public int PreferredStatusCode => StatusCodes.Status422UnprocessableEntity;

    public QueryLimitError(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public static QueryLimitError TooDeep(string message) => new(ErrorCodes.QueryTooDeep, message);

    public static QueryLimitError TooComplex(double cost, int budget) => new(
        ErrorCodes.QueryTooComplex,
        $"The query costs {cost:0} and the budget is {budget}: ask for smaller pages (first/last) or fewer nested lists.");
}
