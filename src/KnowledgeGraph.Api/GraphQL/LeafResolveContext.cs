using System.Security.Claims;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Instrumentation;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// The context a scalar field's resolver reads, kept for the next leaf on the same thread once its resolver has
/// answered (<see cref="CollectedFieldsExecutionStrategy"/>), as GraphQL.NET keeps its own. Every member reads the
/// node and the execution as GraphQL.NET's <see cref="ReadonlyResolveFieldContext"/> does, so a resolver cannot tell
/// them apart.
/// </summary>
internal sealed class LeafResolveContext : IResolveFieldContext<object?>
{
    [ThreadStatic]
    private static LeafResolveContext? _spare;

    private ExecutionNode _node = null!;
    private ExecutionContext _context = null!;
    private IResolveFieldContext? _parent;
    private Dictionary<string, (GraphQLField Field, FieldType FieldType)>? _subFields;

    private LeafResolveContext()
    {
    }

    public static LeafResolveContext Rent(ExecutionNode node, ExecutionContext context)
    {
        var rented = _spare ?? new LeafResolveContext();
        _spare = null;
        rented._node = node;
        rented._context = context;
        return rented;
    }

    /// <summary>Kept for the next leaf; only once its resolver's answer can no longer read it.</summary>
    public static void Return(LeafResolveContext context)
    {
        context._node = null!;
        context._context = null!;
        context._parent = null;
        context._subFields = null;
        _spare = context;
    }

    public object? Source => _node.Source;

    public GraphQLField FieldAst => _node.Field;

    public FieldType FieldDefinition => _node.FieldDefinition;

    public IObjectGraphType ParentType => _node.GetParentType(_context.Schema)!;

    public IResolveFieldContext? Parent => _parent ??= ParentOf(_node, _context);

    public IDictionary<string, ArgumentValue>? Arguments => _context.GetArguments(_node.FieldDefinition, _node.Field);

    public IDictionary<string, DirectiveInfo>? Directives => _context.GetDirectives(_node.Field);

    public object? RootValue => _context.RootValue;

    public ISchema Schema => _context.Schema;

    public GraphQLDocument Document => _context.Document;

    public GraphQLOperationDefinition Operation => _context.Operation;

    public Variables Variables => _context.Variables;

    public CancellationToken CancellationToken => _context.CancellationToken;

    public Metrics Metrics => _context.Metrics;

    public ExecutionErrors Errors => _context.Errors;

    public IEnumerable<object> Path => _node.Path;

    public IEnumerable<object> ResponsePath => _node.ResponsePath;

    public Dictionary<string, (GraphQLField Field, FieldType FieldType)>? SubFields =>
        _subFields ??= _context.ExecutionStrategy.GetSubFields(_context, _node);

    public IDictionary<string, object?> UserContext => _context.UserContext;

    public IReadOnlyDictionary<string, object?> InputExtensions => _context.InputExtensions;

    public IDictionary<string, object?> OutputExtensions => _context.OutputExtensions;

    public IServiceProvider? RequestServices => _context.RequestServices;

    public IExecutionArrayPool ArrayPool => _context;

    public ClaimsPrincipal? User => _context.User;

    public IExecutionContext ExecutionContext => _context;

    /// <summary>The field's parent object's own context: list nodes between are skipped, the operation has none.</summary>
    private static ReadonlyResolveFieldContext? ParentOf(ExecutionNode node, ExecutionContext context)
    {
        var parent = node.Parent;
        while (parent is ArrayExecutionNode)
        {
            parent = parent.Parent;
        }

        return parent is null or RootExecutionNode ? null : new ReadonlyResolveFieldContext(parent, context);
    }
}
