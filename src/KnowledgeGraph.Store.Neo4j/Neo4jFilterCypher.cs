using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// Plans entity conditions and orders as Cypher, the counterpart of the SQLite store's SqliteFilterSql: every value is
/// a parameter (<c>$f0</c>, <c>$f1</c>...); the text holds only fixed fragments, variables it numbers itself and the
/// relationship types of the closed vocabulary (a pattern cannot take a type from a parameter). The statements it
/// makes are snapshotted and go through Neo4j's parser like the catalogue's (see the unit tests).
/// </summary>
public sealed class Neo4jFilterCypher
{
    private readonly Dictionary<string, object?> _parameters = new(StringComparer.Ordinal);
    private int _variables;

    /// <summary>The parameters the planned text names, with their values.</summary>
    public IReadOnlyDictionary<string, object?> Parameters => _parameters;

    /// <summary>The condition on the entity node <paramref name="variable"/>; <c>true</c> when there is none.</summary>
    public string Where(EntityCondition? condition, string variable) => condition switch
    {
        null => "true",
        AllOf all => "(" + string.Join(" AND ", all.Conditions.Select(c => Where(c, variable))) + ")",
        AnyOf any => "(" + string.Join(" OR ", any.Conditions.Select(c => Where(c, variable))) + ")",
        NotCondition not => $"NOT ({Where(not.Condition, variable)})",
        KeyIn keys => $"{variable}.key IN {Parameter(keys.Keys.Select(k => k.Value).ToList())}",
        KindIn kinds => $"{variable}.kind IN {Parameter(kinds.Kinds.Select(Vocabulary.ToWireName).ToList())}",
        NameMatches name => NameCondition(name, variable),
        RelatedTo related => RelatedCondition(related, variable),
        HasObservation observation => ObservationCondition(observation, variable),
        _ => throw new NotSupportedException($"No Cypher plan for the condition {condition.GetType().Name}."),
    };

    /// <summary>The sort expression of an order field on the entity node <paramref name="variable"/>.</summary>
    public static string SortExpression(EntityOrderField field, Language language, string variable) => field switch
    {
        EntityOrderField.Key => $"{variable}.key",
        // sortEn/sortFr hold names lower-cased in ASCII, the way SQLite's NOCASE compares them, so both stores page alike.
        EntityOrderField.Name => language == Language.Fr ? $"{variable}.sortFr" : $"{variable}.sortEn",
        EntityOrderField.Kind => $"{variable}.kind",
        EntityOrderField.Degree => $"COUNT {{ ({variable})--(:Entity) }}",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>
    /// One page of entities in one statement: the page in walking order with each entity's sort values, whether
    /// anything lies at or before the cursor, and (when asked) the count and the count per kind. Named
    /// <c>ListEntitiesAscending</c> or <c>ListEntitiesDescending</c> after the walk of its first sort.
    /// </summary>
    public static CypherTemplate ListEntities(EntityQuery query, out IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(query);
        var planner = new Neo4jFilterCypher();
        var where = planner.Where(query.Condition(), "e");
        var sorts = query.Sorts();
        var columns = sorts.Select(s => SortExpression(s.Field, query.Language, "e")).ToList();
        var keys = sorts.Select((s, i) => (Field: s.Field, Expression: columns[i], Ascending: query.WalksAscending(s.Descending))).ToList();
        if (sorts[^1].Field != EntityOrderField.Key)
        {
            keys.Add((EntityOrderField.Key, "e.key", query.WalksAscending(query.KeyDescending())));
        }

        var after = "true";
        if (query.Cursor is { } cursor)
        {
            if (cursor.SortValues.Count != sorts.Count)
            {
                throw new ArgumentException("The cursor does not hold one value per sort of the query.", nameof(query));
            }

            var cursorValues = cursor.SortValues.Select((v, i) => CursorValue(sorts[i].Field, v)).Append(cursor.Key).ToList();
            var named = keys.Select((k, i) => planner.Parameter(cursorValues[i])).ToList();
            after = $"{keys[^1].Expression} {(keys[^1].Ascending ? ">" : "<")} {named[^1]}";
            for (var i = keys.Count - 2; i >= 0; i--)
            {
                var (_, expression, ascending) = keys[i];
                after = $"({expression} {(ascending ? ">" : "<")} {named[i]} OR ({expression} = {named[i]} AND {after}))";
            }
        }

        var order = string.Join(", ", keys.Select(k => $"{k.Expression} {(k.Ascending ? "ASC" : "DESC")}"));
        var sortValues = string.Join(", ", columns.Select(c => $"toString({c})"));
        var text = $"""
            CALL () {"{"}
              MATCH (e:Entity)
              WHERE $includeTotal AND {where}
              RETURN count(e) AS total
            {"}"}
            CALL () {"{"}
              MATCH (e:Entity)
              WHERE $includeCounts AND {where}
              WITH e.kind AS kind, count(e) AS entities
              ORDER BY kind
              RETURN collect([kind, entities]) AS countsByKind
            {"}"}
            CALL () {"{"}
              MATCH (e:Entity)
              WHERE $hasCursor AND {where} AND NOT {after}
              RETURN count(e) > 0 AS anyBefore
            {"}"}
            CALL () {"{"}
              MATCH (e:Entity)
              WHERE {where} AND {after}
              WITH e
              ORDER BY {order}
              LIMIT $limit
              RETURN collect(e) AS page, collect([{sortValues}]) AS sortValues
            {"}"}
            RETURN page, sortValues, anyBefore, total, countsByKind
            """.ReplaceLineEndings("\n");
        values = planner.Parameters;
        var name = query.WalksAscending(sorts[0].Descending) ? "ListEntitiesAscending" : "ListEntitiesDescending";
        return new CypherTemplate(name, text, [.. planner.Parameters.Keys, "includeTotal", "includeCounts", "hasCursor", "limit"]);
    }

    /// <summary>
    /// Relationships of entities whose other end meets <paramref name="node"/>, like
    /// <see cref="Neo4jCypher.RelationshipsOfEntities"/> (the same parameters and columns, and the planned ones).
    /// </summary>
    public static CypherTemplate RelationshipsOfEntities(EntityCondition node, out IReadOnlyDictionary<string, object?> values)
    {
        var planner = new Neo4jFilterCypher();
        var where = planner.Where(node, "other");
        values = planner.Parameters;
        return new CypherTemplate(
            "RelationshipsOfEntitiesToNodes",
            $"""
            MATCH (e:Entity)-[r]-(other:Entity)
            WHERE e.key IN $keys AND type(r) IN $types
              AND ($direction = 'BOTH'
                OR ($direction = 'OUTGOING' AND startNode(r) = e)
                OR ($direction = 'INCOMING' AND endNode(r) = e))
              AND {where}
            RETURN e.key AS entity, r, startNode(r).key AS from, endNode(r).key AS to
            ORDER BY entity, r.key
            """.ReplaceLineEndings("\n"),
            [.. planner.Parameters.Keys, "keys", "types", "direction"]);
    }

    /// <summary><see cref="Neo4jCypher.Observations"/> narrowed to figures whose value lies in <paramref name="range"/>.</summary>
    public static CypherTemplate Observations(NumberRange range, out IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(range);
        var planner = new Neo4jFilterCypher();
        var bounds = string.Concat(range.Bounds().Select(b => $" AND o.value {b.Operator} {planner.Parameter(b.Value)}"));
        values = planner.Parameters;
        return new CypherTemplate(
            "ObservationsInRange",
            $"""
            MATCH (o:Observation)-[:ABOUT]->(s:Entity)
            WHERE ($subject IS NULL OR s.key = $subject) AND ($metric IS NULL OR o.metric = $metric){bounds}
            OPTIONAL MATCH (o)-[:IN_REGION]->(region:Entity)
            WITH o, s, region
            WHERE $region IS NULL OR region.key = $region
            RETURN o, s.key AS subject, region.key AS region
            ORDER BY o.key
            """.ReplaceLineEndings("\n"),
            [.. planner.Parameters.Keys, "subject", "metric", "region"]);
    }

    private static object CursorValue(EntityOrderField field, string value) => field switch
    {
        EntityOrderField.Degree => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var degree)
            ? degree
            : throw new ArgumentException($"'{value}' is not a degree.", nameof(value)),
        EntityOrderField.Name => Neo4jRecords.SortKey(value),
        _ => value,
    };

    private string NameCondition(NameMatches name, string variable)
    {
        var text = Parameter(name.Text);
        var op = name.Match switch
        {
            TextMatch.Equals => "=",
            TextMatch.StartsWith => "STARTS WITH",
            _ => "CONTAINS",
        };
        return $"({variable}.foldEn {op} {text} OR {variable}.foldFr {op} {text})";
    }

    private string RelatedCondition(RelatedTo related, string variable)
    {
        var type = Vocabulary.ToWireName(related.Type);
        var pattern = related.Direction switch
        {
            RelationshipDirection.Outgoing => $"-[:{type}]->",
            RelationshipDirection.Incoming => $"<-[:{type}]-",
            _ => $"-[:{type}]-",
        };
        if (related.Node is null)
        {
            return $"EXISTS {{ ({variable}){pattern}(:Entity) }}";
        }

        var node = NextVariable("n");
        return $"EXISTS {{ MATCH ({variable}){pattern}({node}:Entity) WHERE {Where(related.Node, node)} }}";
    }

    private string ObservationCondition(HasObservation observation, string variable)
    {
        var o = NextVariable("o");
        var metric = Parameter(observation.Metric);
        var bounds = string.Concat(observation.Value.Bounds().Select(b => $" AND {o}.value {b.Operator} {Parameter(b.Value)}"));
        return $"EXISTS {{ MATCH ({o}:Observation)-[:ABOUT]->({variable}) WHERE {o}.metric = {metric}{bounds} }}";
    }

    private string NextVariable(string prefix) => prefix + _variables++.ToString(CultureInfo.InvariantCulture);

    private string Parameter(object value)
    {
        var name = "f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(name, value);
        return "$" + name;
    }
}
