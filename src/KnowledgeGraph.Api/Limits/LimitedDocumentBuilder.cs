using GraphQL.Execution;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Limits;

/// <summary>
/// Parses as GraphQL.NET does, then refuses documents over the shape limits (<see cref="DocumentShape"/>) before any
/// validation rule walks them. Thrown errors become the request's only error, and nothing runs.
/// </summary>
internal sealed class LimitedDocumentBuilder(IOptions<LimitsOptions> options) : IDocumentBuilder
{
    private readonly GraphQLDocumentBuilder _parser = new();

    public GraphQLDocument Build(string body)
    {
        GraphQLDocument document;
        try
        {
            document = _parser.Build(body);
        }
        catch (GraphQLMaxDepthExceededException)
        {
            // The parser's own guard against stack overflow: far deeper than any limit, so the same answer.
            throw QueryLimitError.TooDeep($"The document nests more than the parser allows; at most {options.Value.MaxDepth} levels of fields are accepted.");
        }

        if (DocumentShape.Check(document, options.Value) is { } error)
        {
            throw error;
        }

        return document;
    }
}
