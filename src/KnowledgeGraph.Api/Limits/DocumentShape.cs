using GraphQLParser.AST;
using KnowledgeGraph.Api.Errors;

namespace KnowledgeGraph.Api.Limits;

/// <summary>
/// Measures a parsed document before GraphQL.NET validates it, so that a hostile document is refused in time
/// proportional to the limits, not to what it would expand to: fragments are expanded where they are spread, and
/// the walk stops at the first limit crossed. It also refuses fragment cycles, which would otherwise never end.
/// </summary>
public static class DocumentShape
{
    /// <summary>How many times introspection may nest <c>fields</c>, <c>interfaces</c>, <c>possibleTypes</c> or <c>inputFields</c> (as graphql-js' MaxIntrospectionDepthRule).</summary>
    public const int MaxIntrospectionListNesting = 2;

    private static readonly string[] IntrospectionListFields = ["fields", "interfaces", "possibleTypes", "inputFields"];

    /// <summary>The first limit the document crosses, or null when it is within all of them.</summary>
    public static QueryLimitError? Check(GraphQLDocument document, LimitsOptions limits)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(limits);

        // Unused fragments are not expanded below but still cost validation work: count every node once as written.
        var written = new Walk(limits, new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal));
        foreach (var definition in document.Definitions)
        {
            var error = definition switch
            {
                GraphQLOperationDefinition operation => written.CountWritten(operation.Directives, operation.SelectionSet),
                GraphQLFragmentDefinition fragment => written.CountWritten(fragment.Directives, fragment.SelectionSet),
                _ => null,
            };
            if (error is not null)
            {
                return error;
            }
        }

        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        foreach (var fragment in document.Definitions.OfType<GraphQLFragmentDefinition>())
        {
            fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
        }

        // All operations are validated, though only one runs, so all count.
        var expanded = new Walk(limits, fragments);
        foreach (var operation in document.Definitions.OfType<GraphQLOperationDefinition>())
        {
            if ((expanded.AddDirectives(operation.Directives) ?? expanded.Expand(operation.SelectionSet, new Position(0, 0, 0, false))) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private readonly record struct Position(int Depth, int Nesting, int IntrospectionLists, bool InIntrospection);

    private sealed class Walk(LimitsOptions limits, Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        private readonly List<string> _spreading = [];
        private int _fields;
        private int _aliases;
        private int _directives;

        public QueryLimitError? CountWritten(GraphQLDirectives? directives, GraphQLSelectionSet selectionSet)
        {
            if (AddDirectives(directives) is { } error)
            {
                return error;
            }

            foreach (var selection in selectionSet.Selections)
            {
                error = selection switch
                {
                    GraphQLField field => AddField(field) ?? (field.SelectionSet is null ? null : CountWritten(null, field.SelectionSet)),
                    GraphQLInlineFragment inline => CountWritten(inline.Directives, inline.SelectionSet),
                    GraphQLFragmentSpread spread => AddDirectives(spread.Directives),
                    _ => null,
                };
                if (error is not null)
                {
                    return error;
                }
            }

            return null;
        }

        public QueryLimitError? Expand(GraphQLSelectionSet selectionSet, Position at)
        {
            // Fragments and inline fragments add no field depth, but they do add recursion: bound that too.
            if (at.Nesting > 2 * limits.MaxDepth)
            {
                return QueryLimitError.TooDeep($"The document nests selections and fragments more than {2 * limits.MaxDepth} levels deep.");
            }

            foreach (var selection in selectionSet.Selections)
            {
                var error = selection switch
                {
                    GraphQLField field => ExpandField(field, at),
                    GraphQLInlineFragment inline => AddDirectives(inline.Directives)
                        ?? Expand(inline.SelectionSet, at with { Nesting = at.Nesting + 1 }),
                    GraphQLFragmentSpread spread => AddDirectives(spread.Directives) ?? ExpandSpread(spread, at),
                    _ => null,
                };
                if (error is not null)
                {
                    return error;
                }
            }

            return null;
        }

        public QueryLimitError? AddDirectives(GraphQLDirectives? directives)
        {
            _directives += directives?.Count ?? 0;
            return _directives > limits.MaxDirectives
                ? new QueryLimitError(ErrorCodes.TooManyDirectives, $"The document has more than {limits.MaxDirectives} directives.")
                : null;
        }

        private QueryLimitError? AddField(GraphQLField field)
        {
            if (++_fields > limits.MaxFields)
            {
                return new QueryLimitError(ErrorCodes.TooManyFields, $"The document selects more than {limits.MaxFields} fields (fragments count each time they are spread).");
            }

            if (field.Alias is not null && ++_aliases > limits.MaxAliases)
            {
                return new QueryLimitError(ErrorCodes.TooManyAliases, $"The document has more than {limits.MaxAliases} aliases.");
            }

            return AddDirectives(field.Directives);
        }

        private QueryLimitError? ExpandField(GraphQLField field, Position at)
        {
            if (AddField(field) is { } error)
            {
                return error;
            }

            var depth = at.Depth + 1;
            if (depth > limits.MaxDepth)
            {
                return QueryLimitError.TooDeep($"The document nests fields more than {limits.MaxDepth} deep (at '{field.Name.StringValue}').");
            }

            if (field.SelectionSet is null)
            {
                return null;
            }

            var name = field.Name.StringValue;
            var inIntrospection = at.InIntrospection || name is "__schema" or "__type";
            var lists = at.IntrospectionLists + (inIntrospection && IntrospectionListFields.Contains(name) ? 1 : 0);
            if (lists > MaxIntrospectionListNesting)
            {
                return QueryLimitError.TooDeep($"Introspection may nest fields, interfaces, possibleTypes and inputFields at most {MaxIntrospectionListNesting} deep.");
            }

            return Expand(field.SelectionSet, new Position(depth, at.Nesting + 1, lists, inIntrospection));
        }

        private QueryLimitError? ExpandSpread(GraphQLFragmentSpread spread, Position at)
        {
            var name = spread.FragmentName.Name.StringValue;
            if (!fragments.TryGetValue(name, out var fragment))
            {
                // An unknown fragment is a validation error GraphQL.NET reports with its location.
                return null;
            }

            if (_spreading.Contains(name))
            {
                return new QueryLimitError(
                    ErrorCodes.ValidationFailed,
                    $"Fragment '{name}' spreads itself ({string.Join(" -> ", _spreading.SkipWhile(n => n != name).Append(name))}).");
            }

            _spreading.Add(name);
            var error = AddDirectives(fragment.Directives) ?? Expand(fragment.SelectionSet, at with { Nesting = at.Nesting + 1 });
            _spreading.RemoveAt(_spreading.Count - 1);
            return error;
        }
    }
}
