using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Plans entity conditions and orders as SQL: a recursive condition becomes a WHERE clause whose every value is a
/// parameter (<c>$f0</c>, <c>$f1</c>...); the text is made only of fixed fragments, table aliases it numbers itself and
/// the names of a closed vocabulary. One planner per statement: it collects the parameters it names.
/// </summary>
/// <remarks>
/// A relationship condition with a node condition is planned as <c>key IN (ends of relationships from the matching
/// nodes)</c>, which SQLite drives from the node side through the relationship and key indexes: the matching nodes
/// are usually few (a key, a kind) and the entities tied to them fewer still, so the list never scans every entity.
/// Without a node condition, it is an <c>EXISTS</c> probe of the relationship index per candidate, the cheaper plan
/// when other conditions (a kind) already narrow the candidates.
/// </remarks>
internal sealed class SqliteFilterSql
{
    /// <summary>The name of the SQL function that folds text (<see cref="TextFold.Fold"/>), registered per connection.</summary>
    public const string FoldFunction = "kg_fold";

    private readonly List<(string Name, object? Value)> _parameters = [];
    private int _aliases;

    public IReadOnlyList<(string Name, object? Value)> Parameters => _parameters;

    /// <summary>The condition on the entity row aliased <paramref name="alias"/>; <c>1</c> when there is none.</summary>
    public string Where(EntityCondition? condition, string alias) => condition switch
    {
        null => "1",
        AllOf all => "(" + string.Join(" AND ", all.Conditions.Select(c => Where(c, alias))) + ")",
        AnyOf any => "(" + string.Join(" OR ", any.Conditions.Select(c => Where(c, alias))) + ")",
        NotCondition not => $"NOT ({Where(not.Condition, alias)})",
        KeyIn { Keys.Count: 1 } keys => $"{alias}.key = {Parameter(keys.Keys[0].Value)}",
        KeyIn keys => $"{alias}.key IN (SELECT value FROM json_each({Parameter(SqliteJson.WriteStrings(keys.Keys.Select(k => k.Value)))}))",
        KindIn { Kinds.Count: 1 } kinds => $"{alias}.kind = {Parameter(Vocabulary.ToWireName(kinds.Kinds[0]))}",
        KindIn kinds => $"{alias}.kind IN (SELECT value FROM json_each({Parameter(SqliteJson.WriteStrings(kinds.Kinds.Select(Vocabulary.ToWireName)))}))",
        NameMatches name => NameCondition(name, alias),
        RelatedTo related => RelatedCondition(related, alias),
        HasObservation observation => ObservationCondition(observation, alias),
        _ => throw new NotSupportedException($"No SQL plan for the condition {condition.GetType().Name}."),
    };

    /// <summary>The sort expression of an order field, on the entity row aliased <c>entities</c>.</summary>
    public static string SortExpression(EntityOrderField field, Language language) => field switch
    {
        EntityOrderField.Key => "entities.key",
        EntityOrderField.Name => language == Language.Fr ? "entities.name_fr COLLATE NOCASE" : "entities.name_en COLLATE NOCASE",
        EntityOrderField.Kind => "entities.kind",
        EntityOrderField.Degree => Degree("entities"),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>How many relationships an entity has, in either direction: two counts over the relationship indexes.</summary>
    public static string Degree(string alias) =>
        $"((SELECT count(*) FROM relationships WHERE from_key = {alias}.key) + (SELECT count(*) FROM relationships WHERE to_key = {alias}.key))";

    /// <summary>
    /// The statements of one entity page: the page in walking order (entity columns, then one <c>sort_i</c> column per
    /// sort), whether any row lies at or before the cursor, the count, and the count per kind.
    /// </summary>
    public static EntityListStatements EntityList(EntityQuery query)
    {
        var planner = new SqliteFilterSql();
        var where = planner.Where(query.Condition(), "entities");
        var sorts = query.Sorts();
        var columns = sorts.Select(s => SortExpression(s.Field, query.Language)).ToList();
        var order = sorts.Select((s, i) => $"{columns[i]} {(query.WalksAscending(s.Descending) ? "ASC" : "DESC")}").ToList();
        var keyTieBreak = sorts[^1].Field != EntityOrderField.Key;
        if (keyTieBreak)
        {
            order.Add($"entities.key {(query.WalksAscending(query.KeyDescending()) ? "ASC" : "DESC")}");
        }

        var after = "1";
        if (query.Cursor is { } cursor)
        {
            if (cursor.SortValues.Count != sorts.Count)
            {
                throw new ArgumentException("The cursor does not hold one value per sort of the query.", nameof(query));
            }

            // Strictly past the cursor in walking order: past it on the first sort, or equal there and past on the next...
            var keys = sorts.Select((s, i) => (Expression: columns[i], Ascending: query.WalksAscending(s.Descending), Value: planner.Parameter(CursorValue(s.Field, cursor.SortValues[i])))).ToList();
            if (keyTieBreak)
            {
                keys.Add(("entities.key", query.WalksAscending(query.KeyDescending()), planner.Parameter(cursor.Key)));
            }

            after = keys[^1] is var last ? $"{last.Expression} {(last.Ascending ? ">" : "<")} {last.Value}" : after;
            for (var i = keys.Count - 2; i >= 0; i--)
            {
                var (expression, ascending, value) = keys[i];
                after = $"({expression} {(ascending ? ">" : "<")} {value} OR ({expression} = {value} AND {after}))";
            }
        }

        var sortColumns = string.Join(", ", columns.Select((c, i) => $"{c} AS sort_{i}"));
        return new EntityListStatements(
            Page: $"""
                SELECT {Qualified(SqliteSql.EntityColumns)}, {sortColumns} FROM entities
                WHERE {where}
                  AND {after}
                ORDER BY {string.Join(", ", order)}
                LIMIT $limit
                """,
            AnyBefore: $"SELECT EXISTS (SELECT 1 FROM entities WHERE {where} AND NOT {after})",
            Count: $"SELECT count(*) FROM entities WHERE {where}",
            CountsByKind: $"SELECT entities.kind, count(*) FROM entities WHERE {where} GROUP BY entities.kind ORDER BY entities.kind",
            planner.Parameters);
    }

    /// <summary>
    /// The relationships of a batch of entities in one direction whose other end meets <paramref name="node"/>
    /// (<paramref name="outgoing"/>: the batch's keys are the <c>from</c>). Parameters: <c>$keys</c>, <c>$types</c>.
    /// </summary>
    public static (string Sql, IReadOnlyList<(string Name, object? Value)> Parameters) RelationshipsOf(bool outgoing, EntityCondition node)
    {
        var planner = new SqliteFilterSql();
        var (own, other) = outgoing ? ("from_key", "to_key") : ("to_key", "from_key");
        var sql = $"""
            SELECT {SqliteSql.RelationshipColumns} FROM relationships
            WHERE {own} IN (SELECT value FROM json_each($keys))
              AND ($types IS NULL OR type IN (SELECT value FROM json_each($types)))
              AND {other} IN (SELECT n.key FROM entities AS n WHERE {planner.Where(node, "n")})
            """;
        return (sql, planner.Parameters);
    }

    /// <summary><see cref="SqliteSql.ObservationsMatching"/> narrowed to figures whose value lies in <paramref name="range"/>.</summary>
    public static (string Sql, IReadOnlyList<(string Name, object? Value)> Parameters) ObservationsMatching(NumberRange range)
    {
        var planner = new SqliteFilterSql();
        var bounds = string.Concat(range.Bounds().Select(b => $"\n  AND CAST(value AS REAL) {b.Operator} {planner.Parameter(b.Value)}"));
        var sql = SqliteSql.ObservationsMatching.Replace("\nORDER BY key", bounds + "\nORDER BY key", StringComparison.Ordinal);
        return (sql, planner.Parameters);
    }

    private static object CursorValue(EntityOrderField field, string value) =>
        field == EntityOrderField.Degree
            ? long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var degree) ? degree : throw new ArgumentException($"'{value}' is not a degree.", nameof(value))
            : value;

    private static string Qualified(string columns) =>
        string.Join(", ", columns.Split(", ").Select(c => "entities." + c));

    // `eq` and `startsWith` are written so that SQLite seeks the indexes on kg_fold(name_en) and kg_fold(name_fr): an
    // equality, and a prefix as the range [prefix, the first text after every text that starts with it). `contains`
    // (and a prefix with no range) scans those two indexes instead of the table: SQLite reads an indexed expression's
    // value from the index, so no name is folded again. Folding each name in .NET, as a scan of the table would, cost
    // about 1.6 s and 300 MiB of garbage per call on 200,000 entities.
    private string NameCondition(NameMatches name, string alias)
    {
        var text = Parameter(name.Text);
        var past = name.Match == TextMatch.StartsWith && PastPrefix(name.Text) is { } bound ? Parameter(bound) : null;
        string Seek(string column) => name.Match == TextMatch.Equals
            ? $"{FoldFunction}({alias}.{column}) = {text}"
            : $"({FoldFunction}({alias}.{column}) >= {text} AND {FoldFunction}({alias}.{column}) < {past})";
        if (name.Match == TextMatch.Equals || past is not null)
        {
            return $"({Seek("name_en")} OR {Seek("name_fr")})";
        }

        var test = name.Match == TextMatch.StartsWith ? "= 1" : "> 0";
        string Scan(string column, string index) =>
            $"SELECT id FROM entities INDEXED BY {index} WHERE instr({FoldFunction}({column}), {text}) {test}";
        return $"{alias}.id IN ({Scan("name_en", SqliteSql.FoldEnIndexName)} UNION ALL {Scan("name_fr", SqliteSql.FoldFrIndexName)})";
    }

    /// <summary>
    /// The smallest text greater than every text that starts with <paramref name="prefix"/>, in SQLite's binary order
    /// (UTF-8 bytes, which is code point order): the prefix with its last code point moved to the next one. Null when
    /// there is none (an empty prefix, or one ending in U+10FFFF).
    /// </summary>
    internal static string? PastPrefix(string prefix)
    {
        var pair = prefix.Length > 1 && char.IsSurrogatePair(prefix[^2], prefix[^1]);
        if (prefix.Length == 0 || (!pair && char.IsSurrogate(prefix[^1])))
        {
            return null;
        }

        var lastStart = prefix.Length - (pair ? 2 : 1);
        var last = char.ConvertToUtf32(prefix, lastStart);
        if (last == 0x10FFFF)
        {
            return null;
        }

        // Past the surrogate range, whose code points are not characters and have no UTF-8 form.
        var next = last + 1 is >= 0xD800 and <= 0xDFFF ? 0xE000 : last + 1;
        return string.Concat(prefix.AsSpan(0, lastStart), char.ConvertFromUtf32(next));
    }

    private string RelatedCondition(RelatedTo related, string alias)
    {
        var type = Parameter(Vocabulary.ToWireName(related.Type));
        var r = NextAlias("r");
        if (related.Node is null)
        {
            string Exists(string own) => $"EXISTS (SELECT 1 FROM relationships AS {r} WHERE {r}.{own} = {alias}.key AND {r}.type = {type})";
            return related.Direction switch
            {
                RelationshipDirection.Outgoing => Exists("from_key"),
                RelationshipDirection.Incoming => Exists("to_key"),
                _ => $"({Exists("from_key")} OR {Exists("to_key")})",
            };
        }

        var n = NextAlias("n");
        var nodes = $"SELECT {n}.key FROM entities AS {n} WHERE {Where(related.Node, n)}";
        string Ends(string own, string other) => $"SELECT {r}.{own} FROM relationships AS {r} WHERE {r}.type = {type} AND {r}.{other} IN ({nodes})";
        return related.Direction switch
        {
            RelationshipDirection.Outgoing => $"{alias}.key IN ({Ends("from_key", "to_key")})",
            RelationshipDirection.Incoming => $"{alias}.key IN ({Ends("to_key", "from_key")})",
            _ => $"{alias}.key IN ({Ends("from_key", "to_key")} UNION ALL {Ends("to_key", "from_key")})",
        };
    }

    private string ObservationCondition(HasObservation observation, string alias)
    {
        var o = NextAlias("o");
        var bounds = string.Concat(observation.Value.Bounds().Select(b => $" AND CAST({o}.value AS REAL) {b.Operator} {Parameter(b.Value)}"));
        return $"EXISTS (SELECT 1 FROM observations AS {o} WHERE {o}.subject = {alias}.key AND {o}.metric = {Parameter(observation.Metric)}{bounds})";
    }

    private string NextAlias(string prefix) => prefix + _aliases++.ToString(CultureInfo.InvariantCulture);

    private string Parameter(object value)
    {
        var name = "$f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value));
        return name;
    }
}

/// <summary>The statements of one entity page (see <see cref="SqliteFilterSql.EntityList"/>) and their parameters, besides <c>$limit</c>.</summary>
internal sealed record EntityListStatements(
    string Page, string AnyBefore, string Count, string CountsByKind, IReadOnlyList<(string Name, object? Value)> Parameters);
