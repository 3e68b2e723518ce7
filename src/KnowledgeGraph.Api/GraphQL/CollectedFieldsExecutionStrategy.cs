using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQLParser;
using GraphQLParser.AST;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// GraphQL.NET's parallel strategy for queries, collecting the fields of a selection set once per object type. GraphQL.NET
/// collects them again for every object in an answer (every entity of a list): a dictionary by response name, each
/// field's definition looked up by name among its type's fields, fragments followed. For the same selection set node and
/// object type the result is always the same, unless a directive (<c>@skip</c>, <c>@include</c>) decides it from the
/// variables or two selections share a response name (GraphQL.NET then merges them into a new node per request): those
/// are collected by GraphQL.NET every time. The collected fields live as long as the document's syntax tree.
/// </summary>
public sealed class CollectedFieldsExecutionStrategy : ParallelExecutionStrategy
{
    private readonly ConditionalWeakTable<GraphQLSelectionSet, FieldsByType> _collected = [];

    /// <summary>How many selection sets have fields kept, and how many (selection set, type) pairs in all.</summary>
    internal (int SelectionSets, int Types) Kept => (_collected.Count(), _collected.Sum(pair => pair.Value.Count));

    protected override void SetSubFieldNodes(ExecutionContext context, ObjectExecutionNode parent)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parent);
        var selectionSet = parent.SelectionSet;
        if (selectionSet is null || context.DirectiveValues is { Count: > 0 })
        {
            base.SetSubFieldNodes(context, parent);
            return;
        }

        var type = parent.GetObjectGraphType(context.Schema) ?? parent.GraphType!;
        var byType = _collected.GetValue(selectionSet, static _ => new FieldsByType());
        var fields = byType.Find(type);
        if (fields is null)
        {
            fields = Collect(context, type, selectionSet) ?? FieldsByType.NotCached;
            byType.Add(type, fields);
        }

        if (ReferenceEquals(fields, FieldsByType.NotCached))
        {
            base.SetSubFieldNodes(context, parent);
            return;
        }

        var nodes = new ExecutionNode[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            var (field, definition) = fields[i];
            nodes[i] = BuildExecutionNode(parent, definition.ResolvedType!, field, definition);
        }

        parent.SubFields = nodes;
    }

    /// <summary>
    /// A scalar or enum field whose resolver answers at once is resolved, serialised and checked here, without the two
    /// nested async methods GraphQL.NET runs for it (most nodes of an answer are such leaves): the same resolver, the
    /// same serialisation and result check, the same handling of errors. A resolver that is still pending, a list and
    /// every other node take GraphQL.NET's path.
    /// </summary>
    protected override Task ExecuteNodeAsync(ExecutionContext context, ExecutionNode node)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (node is not ValueExecutionNode value || node.Parent is ArrayExecutionNode or null)
        {
            return base.ExecuteNodeAsync(context, node);
        }

        context.CancellationToken.ThrowIfCancellationRequested();
        var resolveContext = LeafResolveContext.Rent(node, context);
        try
        {
            var pending = SelectResolver(node, context).ResolveAsync(resolveContext);
            if (!pending.IsCompletedSuccessfully)
            {
                return CompleteLeafAsync(context, value, pending);
            }

            var result = pending.Result;
            node.Result = result;
            if (result is IDataLoaderResult)
            {
                // The tree's loop completes it with its level's batch; a pending result may still read its context.
                return Task.CompletedTask;
            }

            SerializeLeaf(context, value);
            if (result is not IEnumerable || result is string)
            {
                // As GraphQL.NET does: a list may be evaluated later against the context it was made with.
                LeafResolveContext.Return(resolveContext);
            }

            return Task.CompletedTask;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            return FailLeafAsync(context, node, ex);
        }
    }

    private async Task CompleteLeafAsync(ExecutionContext context, ValueExecutionNode node, ValueTask<object?> pending)
    {
        try
        {
            node.Result = await pending.ConfigureAwait(false);
            if (node.Result is not IDataLoaderResult)
            {
                SerializeLeaf(context, node);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested)
        {
            await FailLeafAsync(context, node, ex).ConfigureAwait(false);
        }
    }

    /// <summary>What GraphQL.NET's completion of a leaf does: its value serialised by its type, then checked.</summary>
    private void SerializeLeaf(ExecutionContext context, ValueExecutionNode node)
    {
        node.Result = node.GraphType.Serialize(node.Result);
        ValidateNodeResult(context, node);
    }

    /// <summary>What GraphQL.NET does with a field's error: an <see cref="ExecutionError"/> is the answer's, anything else goes to the unhandled-exception handler.</summary>
    private async Task FailLeafAsync(ExecutionContext context, ExecutionNode node, Exception ex)
    {
        if (ex is ExecutionError error)
        {
            SetNodeError(context, node, error);
        }
        else if (await ProcessNodeUnhandledExceptionAsync(context, node, ex).ConfigureAwait(false))
        {
            ExceptionDispatchInfo.Throw(ex);
        }
    }

    /// <summary>
    /// The fields of <paramref name="selectionSet"/> for <paramref name="type"/>, in GraphQL.NET's order (first
    /// appearance, fragments in place); null when a directive or a shared response name means it must collect them.
    /// </summary>
    private (GraphQLField Field, FieldType Definition)[]? Collect(ExecutionContext context, IGraphType type, GraphQLSelectionSet selectionSet)
    {
        var fields = new List<(GraphQLField, FieldType)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        return CollectInto(selectionSet) ? [.. fields] : null;

        bool CollectInto(GraphQLSelectionSet set)
        {
            foreach (var selection in set.Selections)
            {
                if (selection is IHasDirectivesNode { Directives.Count: > 0 })
                {
                    return false;
                }

                switch (selection)
                {
                    case GraphQLField field:
                        var definition = GetFieldDefinition(context.Schema, (type as IComplexGraphType)!, field);
                        if (definition is null || !names.Add(field.Alias?.Name.StringValue ?? definition.Name))
                        {
                            return false;
                        }

                        fields.Add((field, definition));
                        break;
                    case GraphQLFragmentSpread spread:
                        var fragment = context.Document.FindFragmentDefinition(spread.FragmentName.Name);
                        if (fragment is null || fragment.Directives is { Count: > 0 })
                        {
                            return false;
                        }

                        if (DoesFragmentConditionMatch(context, fragment.TypeCondition.Type.Name, type) && !CollectInto(fragment.SelectionSet))
                        {
                            return false;
                        }

                        break;
                    case GraphQLInlineFragment inline:
                        ROM condition = inline.TypeCondition is { } typeCondition ? typeCondition.Type.Name.Value : type.Name;
                        if (DoesFragmentConditionMatch(context, condition, type) && !CollectInto(inline.SelectionSet))
                        {
                            return false;
                        }

                        break;
                    default:
                        return false;
                }
            }

            return true;
        }
    }

    /// <summary>The fields one selection set collected for each object type it was met with (a few at most: an interface's kinds).</summary>
    private sealed class FieldsByType
    {
        /// <summary>Kept for a type whose fields GraphQL.NET collects on every request.</summary>
        public static readonly (GraphQLField, FieldType)[] NotCached = [];

        private (IGraphType Type, (GraphQLField, FieldType)[] Fields)[] _entries = [];

        public int Count => Volatile.Read(ref _entries).Length;

        public (GraphQLField, FieldType)[]? Find(IGraphType type)
        {
            foreach (var (entryType, fields) in Volatile.Read(ref _entries))
            {
                if (ReferenceEquals(entryType, type))
                {
                    return fields;
                }
            }

            return null;
        }

        public void Add(IGraphType type, (GraphQLField, FieldType)[] fields)
        {
            // Copy on write: readers never lock; two first requests may both collect, and either list is the same.
            while (true)
            {
                var entries = Volatile.Read(ref _entries);
                if (Interlocked.CompareExchange(ref _entries, [.. entries, (type, fields)], entries) == entries)
                {
                    return;
                }
            }
        }
    }
}
