using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// Parses and validates a repeated document once: a document that passed validation is kept by its text, and later
/// executions of the same text reuse it with only <see cref="ExecutionOptions.CachedDocumentValidationRules"/>
/// (the rules that depend on more than the document, such as GET's query-only rule, which depends on the operation).
/// </summary>
public sealed class ValidatedDocumentCache : IConfigureExecution, IDisposable
{
    // Sized by query length: about 4 million characters of query text at most.
    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = 4 * 1024 * 1024 });

    /// <summary>After telemetry (which wraps the whole execution), before GraphQL.NET parses.</summary>
    public float SortOrder => 200;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        if (options.Document is not null || options.Query is null)
        {
            return await next(options);
        }

        var cached = _documents.TryGetValue(options.Query, out GraphQLDocument? document) ? document : null;
        if (cached is not null)
        {
            options.Document = cached;
            options.ValidationRules = options.CachedDocumentValidationRules ?? Array.Empty<IValidationRule>();
        }

        var result = await next(options);
        if (cached is null && result.Executed && result.Document is not null)
        {
            _documents.Set(options.Query, result.Document, new MemoryCacheEntryOptions
            {
                Size = Math.Max(1, options.Query.Length),
                SlidingExpiration = TimeSpan.FromHours(1),
            });
        }

        return result;
    }

    public void Dispose() => _documents.Dispose();
}
