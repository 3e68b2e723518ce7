using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using GraphQLParser.Visitors;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// GraphQL.NET's validator, with a shorter way through for a document that already passed validation and has no rule
/// left to run (see <see cref="ValidatedDocumentCache.RulesToRunAgain"/>). With no rules, GraphQL.NET still walks the
/// whole document twice per request, with a fresh <see cref="TypeInfo"/>, to find where each variable is used and to
/// read every field's arguments. Both walks give the same answer for the same document object, so the first such
/// request records an <see cref="ArgumentPlan"/>: the fields that take arguments, with their definitions, and the
/// argument values of those whose arguments are all literals. A later request only coerces its variables (on a kept
/// <see cref="ValidationContext"/> that remembers where they are used) and reads the arguments that use them.
/// </summary>
/// <remarks>
/// The plan is only for a document with one operation and no directives: with several operations, GraphQL.NET reads
/// the arguments of the chosen one only; directives have values of their own. Anything else, and every request whose
/// variables or arguments do not coerce, goes through GraphQL.NET's validator, so errors are GraphQL.NET's own. The
/// plans live as long as their documents (a <see cref="ConditionalWeakTable{TKey, TValue}"/>): the document cache
/// bounds both.
/// </remarks>
public sealed class PlannedArgumentValidator : IDocumentValidator
{
    private readonly DocumentValidator _inner = new();
    private readonly ConditionalWeakTable<GraphQLDocument, ArgumentPlan> _plans = [];

    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        if (options.Rules is not ICollection<IValidationRule> { Count: 0 })
        {
            return _inner.ValidateAsync(options);
        }

        if (!_plans.TryGetValue(options.Document, out var plan))
        {
            return PlanAsync(options);
        }

        return plan.IsUsable && plan.Operation == options.Operation && plan.TryValidate(options, out var result)
            ? Task.FromResult(result)
            : _inner.ValidateAsync(options);
    }

    /// <summary>The plan recorded for a document, if any.</summary>
    internal ArgumentPlan? PlanOf(GraphQLDocument document) => _plans.TryGetValue(document, out var plan) ? plan : null;

    /// <summary>Validates as GraphQL.NET does, with one more rule that records the plan on the way.</summary>
    private async Task<IValidationResult> PlanAsync(ValidationOptions options)
    {
        var recorder = new PlanRecorder(options.Document, options.Operation);
        var result = await _inner.ValidateAsync(options with { Rules = [recorder] });
        if (result.IsValid)
        {
            _plans.TryAdd(options.Document, recorder.Plan(options.Schema));
        }

        return result;
    }

    /// <summary>What the two walks of a valid document find, kept for the next request with the same document.</summary>
    internal sealed class ArgumentPlan
    {
        private readonly ISchema _schema;
        private readonly GraphQLDocument _document;
        private readonly PlannedField[] _fields;
        private readonly bool _hasVariables;
        // Contexts not in use, each remembering where the variables are used; a few, since validation never waits.
        private readonly ValidationContext?[] _idleContexts = new ValidationContext?[Math.Max(2, Environment.ProcessorCount)];

        internal ArgumentPlan(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition? operation, PlannedField[] fields)
        {
            _schema = schema;
            _document = document;
            Operation = operation;
            _fields = fields;
            _hasVariables = operation?.Variables is { Count: > 0 };
        }

        /// <summary>A plan recorded for a document it cannot serve: every request goes to GraphQL.NET's validator.</summary>
        internal static ArgumentPlan Unusable { get; } = new(null!, null!, null, []);

        public GraphQLOperationDefinition? Operation { get; }

        public bool IsUsable => Operation is not null;

        internal int FieldCount => _fields.Length;

        internal int SharedFieldCount => _fields.Count(f => f.Shared is not null);

        /// <summary>
        /// The result GraphQL.NET would give this request, or false when the variables or an argument do not coerce
        /// (the caller then asks GraphQL.NET, for its errors). Synchronous: no rule runs, and no variable visitor.
        /// </summary>
        public bool TryValidate(in ValidationOptions options, [NotNullWhen(true)] out IValidationResult? result)
        {
            result = null;
            var variables = Variables.None;
            if (_hasVariables && !TryCoerceVariables(options, out variables))
            {
                return false;
            }

            Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>? values = null;
            try
            {
                foreach (var field in _fields)
                {
                    var arguments = field.Shared
                        ?? ExecutionHelper.GetArguments(field.Definition.Arguments, field.Node.Arguments, variables, _document, field.Node, null);
                    if (arguments is not null)
                    {
                        (values ??= new(_fields.Length)).Add(field.Node, arguments);
                    }
                }
            }
            catch (ValidationError)
            {
                return false;
            }

            // A result of its own per request: GraphQL.NET's results are mutable (their error list).
            result = new ValidationResult() { Variables = variables, ArgumentValues = values };
            return true;
        }

        private bool TryCoerceVariables(in ValidationOptions options, out Variables variables)
        {
            // A kept context remembers where each variable is used (GraphQL.NET's walk for it runs once per context).
            var context = RentContext();
            context.Variables = options.Variables;
            var task = context.GetVariablesValuesAsync();
            // Without a variable visitor nothing in the coercion awaits.
            var (coerced, errors) = task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
            context.Variables = null!;
            variables = coerced;

            // A context is kept only after a coercion that ran to its end: its state is then the same as before.
            if (!context.HasErrors)
            {
                ReturnContext(context);
            }

            return errors is null && !context.HasErrors;
        }

        private ValidationContext RentContext()
        {
            for (var i = 0; i < _idleContexts.Length; i++)
            {
                if (Interlocked.Exchange(ref _idleContexts[i], null) is { } idle)
                {
                    return idle;
                }
            }

            return new ValidationContext
            {
                Schema = _schema,
                Document = _document,
                Operation = Operation!,
                TypeInfo = new TypeInfo(_schema),
                Extensions = Inputs.Empty,
                UserContext = new Dictionary<string, object?>(),
            };
        }

        private void ReturnContext(ValidationContext context)
        {
            for (var i = 0; i < _idleContexts.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _idleContexts[i], context, null) is null)
                {
                    return;
                }
            }
        }
    }

    /// <summary>A field that takes arguments; <see cref="Shared"/> holds its values when none of them is a variable.</summary>
    internal sealed record PlannedField(GraphQLField Node, FieldType Definition, IDictionary<string, ArgumentValue>? Shared);

    /// <summary>
    /// Reports nothing: during the first validation with no rules, it notes each field with arguments and its
    /// definition, and whether the document is one the plan can serve.
    /// </summary>
    private sealed class PlanRecorder(GraphQLDocument document, GraphQLOperationDefinition operation) : ValidationRuleBase, INodeVisitor
    {
        private readonly List<(GraphQLField Node, FieldType Definition)> _fields = [];
        private bool _unusable = document.Definitions.OfType<GraphQLOperationDefinition>().Count() != 1;

        public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) => new(this);

        public ValueTask EnterAsync(ASTNode node, ValidationContext context)
        {
            switch (node)
            {
                case GraphQLDirective:
                    _unusable = true;
                    break;
                case GraphQLField { Arguments.Count: > 0 } field:
                    if (context.TypeInfo.GetFieldDef() is { } definition)
                    {
                        _fields.Add((field, definition));
                    }
                    else
                    {
                        _unusable = true;
                    }

                    break;
            }

            return default;
        }

        public ValueTask LeaveAsync(ASTNode node, ValidationContext context) => default;

        public ArgumentPlan Plan(ISchema schema)
        {
            if (_unusable)
            {
                return ArgumentPlan.Unusable;
            }

            var fields = new PlannedField[_fields.Count];
            for (var i = 0; i < fields.Length; i++)
            {
                var (node, definition) = _fields[i];
                var shared = UsesVariables(node.Arguments!)
                    ? null
                    : ExecutionHelper.GetArguments(definition.Arguments, node.Arguments, Variables.None, document, node, null);
                fields[i] = new PlannedField(node, definition, shared);
            }

            return new ArgumentPlan(schema, document, operation, fields);
        }

        private static bool UsesVariables(GraphQLArguments arguments)
        {
            var finder = new VariableFinder();
            finder.VisitAsync(arguments, finder).AsTask().GetAwaiter().GetResult();
            return finder.Found;
        }
    }

    /// <summary>Whether a variable appears anywhere under a node (lists and input objects included).</summary>
    private sealed class VariableFinder : ASTVisitor<VariableFinder>, IASTVisitorContext
    {
        public bool Found { get; private set; }

        public CancellationToken CancellationToken => default;

        protected override ValueTask VisitVariableAsync(GraphQLVariable variable, VariableFinder context)
        {
            context.Found = true;
            return default;
        }
    }
}
