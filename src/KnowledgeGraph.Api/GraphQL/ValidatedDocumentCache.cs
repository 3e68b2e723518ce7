using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;
using KnowledgeGraph.Api.Caching;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.Limits;
using KnowledgeGraph.Api.Security;
using KnowledgeGraph.Security;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// Parses and validates a repeated document once. A document that passed validation is kept by its text with what
/// its text alone decides: the highest role any of its fields needs, the type of each operation, and whether its cost
/// can change with its variables. A later execution of the same text runs only the rules whose verdict can differ:
/// the role rule when this caller's role is below what the document needs, the cost rule when a variable reaches a
/// page size or a filter, the transport's operation-type rule when the operation chosen is of the refused type
/// (see <see cref="RulesToRunAgain"/>). Everything is within <see cref="CacheOptions.DocumentMemoryBytes"/>.
/// </summary>
public sealed class ValidatedDocumentCache(IOptions<CacheOptions> cacheOptions) : IConfigureExecution, IBoundedCache, IDisposable
{
    /// <summary>
    /// What one character of query text is taken to cost held as a parsed document: the text itself (two bytes a
    /// character) and the syntax tree over it (about one node of 50-100 bytes every 4-6 characters).
    /// </summary>
    public const int BytesPerCharacter = 24;

    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = cacheOptions.Value.DocumentMemoryBytes, TrackStatistics = true });

    /// <summary>After telemetry (which wraps the whole execution) and the hooks that set the rules, before GraphQL.NET parses.</summary>
    public float SortOrder => 200;

    /// <summary>The approximate bytes held now (<see cref="BytesPerCharacter"/> per character of every document).</summary>
    public long MemoryBytes => _documents.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    internal int Count => _documents.Count;

    public string CacheName => "documents";

    public long BudgetBytes => cacheOptions.Value.DocumentMemoryBytes;

    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        if (options.Document is not null || options.Query is null)
        {
            return await next(options);
        }

        if (_documents.TryGetValue(options.Query, out ValidatedDocument? cached) && cached is not null)
        {
            options.Document = cached.Document;
            options.ValidationRules = RulesToRunAgain(cached, options);
            return await next(options);
        }

        var facts = new DocumentFactsRule();
        options.ValidationRules = (options.ValidationRules ?? DocumentValidator.CoreRules).Append(facts);
        var result = await next(options);
        if (result.Executed && result.Document is { } document && facts.Visited)
        {
            var operations = document.Definitions.OfType<GraphQLOperationDefinition>().Select(o => (o.Name?.StringValue, o.Operation)).ToArray();
            _documents.Set(options.Query, new ValidatedDocument(document, facts.RequiredRole, facts.CostDependsOnVariables, operations), new MemoryCacheEntryOptions
            {
                Size = Math.Max(1L, options.Query.Length) * BytesPerCharacter,
                SlidingExpiration = TimeSpan.FromHours(1),
            });
        }

        return result;
    }

    /// <summary>
    /// Of the rules for cached documents, those whose verdict on this request can differ from the one the document
    /// already passed. A rule this cache does not know always runs again.
    /// </summary>
    internal static IValidationRule[] RulesToRunAgain(ValidatedDocument document, ExecutionOptions options)
    {
        var rules = options.CachedDocumentValidationRules;
        if (rules is null)
        {
            return [];
        }

        List<IValidationRule>? again = null;
        foreach (var rule in rules)
        {
            var runs = rule switch
            {
                RoleAuthorizationRule => document.RequiredRole is { } required && !(Caller.RoleOf(options.User) >= required),
                QueryCostRule => document.CostDependsOnVariables,
                NoIntrospectionValidationRule => false,
                GetOnlyRunsQueriesRule => document.OperationType(options.OperationName) is not OperationType.Query,
                NoSubscriptionsOverHttpRule => document.OperationType(options.OperationName) is not (OperationType.Query or OperationType.Mutation),
                _ => true,
            };
            if (runs)
            {
                (again ??= []).Add(rule);
            }
        }

        return again is null ? [] : [.. again];
    }

    public void Dispose() => _documents.Dispose();

    /// <summary>A parsed document that passed validation, and what its text alone decides.</summary>
    internal sealed record ValidatedDocument(
        GraphQLDocument Document,
        ApiRole? RequiredRole,
        bool CostDependsOnVariables,
        IReadOnlyList<(string? Name, OperationType Type)> Operations)
    {
        /// <summary>The type of the operation GraphQL.NET will run (by name, or the only one); null when there is none.</summary>
        public OperationType? OperationType(string? operationName)
        {
            if (string.IsNullOrEmpty(operationName))
            {
                return Operations.Count == 1 ? Operations[0].Type : null;
            }

            foreach (var (name, type) in Operations)
            {
                if (name == operationName)
                {
                    return type;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Reports nothing: it reads, during the first validation of a document, the highest role its fields need and
    /// whether a variable reaches an argument the cost rule reads (<c>first</c>, <c>last</c>, <c>ids</c>,
    /// <c>where</c>) or a directive (<c>@skip</c>, <c>@include</c>). One per first validation.
    /// </summary>
    internal sealed class DocumentFactsRule : ValidationRuleBase, INodeVisitor
    {
        private int _costArguments;
        private int _directives;

        public bool Visited { get; private set; }

        public ApiRole? RequiredRole { get; private set; }

        public bool CostDependsOnVariables { get; private set; }

        public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
        {
            Visited = true;
            return new(this);
        }

        public ValueTask EnterAsync(ASTNode node, ValidationContext context)
        {
            switch (node)
            {
                case GraphQLField:
                    if (context.TypeInfo.GetFieldDef()?.RequiredRole() is { } role && !(RequiredRole >= role))
                    {
                        RequiredRole = role;
                    }

                    break;
                case GraphQLArgument argument when IsCostArgument(argument):
                    _costArguments++;
                    break;
                case GraphQLDirective:
                    _directives++;
                    break;
                case GraphQLVariable when _costArguments > 0 || _directives > 0:
                    CostDependsOnVariables = true;
                    break;
            }

            return default;
        }

        public ValueTask LeaveAsync(ASTNode node, ValidationContext context)
        {
            switch (node)
            {
                case GraphQLArgument argument when IsCostArgument(argument):
                    _costArguments--;
                    break;
                case GraphQLDirective:
                    _directives--;
                    break;
            }

            return default;
        }

        private static bool IsCostArgument(GraphQLArgument argument) =>
            argument.Name.Value.Span is "first" or "last" or "ids" or "where";
    }
}
