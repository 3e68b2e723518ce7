using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.Store.Neo4j;

// Keyset pagination over (sort values, key), in one statement that returns the page, whether anything lies before the
// cursor and (when asked) the total and the count per kind; planned by Neo4jFilterCypher. Same semantics as the
// SQLite store: names compare case-insensitively in ASCII.
public sealed partial class Neo4jGraphStore
{
    public async Task<EntityPage> ListEntitiesAsync(EntityQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (size, cursor) = (query.PageSize, query.Cursor);
        var template = Neo4jFilterCypher.ListEntities(query, out var planned);
        var result = await runner.RunAsync(
            template.Bind(
            [
                .. planned.Select(p => (p.Key, p.Value)),
                ("includeTotal", query.IncludeTotalCount),
                ("includeCounts", query.IncludeCountsByKind),
                ("hasCursor", cursor is not null),
                ("limit", size + 1),
            ]),
            cancellationToken);

        var record = result.Records.Count == 1
            ? result.Records[0]
            : throw new Neo4jQueryException(string.Empty, $"'{template.Name}' returned {result.Records.Count} records instead of 1.");
        // Cursors hold what the SQLite store's hold (the name as it is, the kind's wire name), so that both stores'
        // cursors read alike; only a degree is computed by the statement.
        var sorts = query.Sorts();
        var sortValues = sorts.Any(s => s.Field == EntityOrderField.Degree)
            ? CypherValues.ListOf<IReadOnlyList<object?>>(record["sortValues"], "sortValues")
            : null;
        var items = CypherValues.ListOf<CypherNode>(record["page"], "page")
            .Select(Neo4jRecords.ToEntity)
            .Select((e, i) => (Entity: e, Cursor: new EntityCursor(
                sorts.Select((s, j) => s.Field switch
                {
                    EntityOrderField.Name => e.Name.In(query.Language),
                    EntityOrderField.Kind => Vocabulary.ToWireName(e.Kind),
                    EntityOrderField.Degree => Convert.ToString(sortValues![i][j], CultureInfo.InvariantCulture) ?? string.Empty,
                    _ => e.Key.Value,
                }).ToList(),
                e.Key.Value)))
            .ToList();
        var moreBeforeCursor = cursor is not null && record.Get<bool>("anyBefore");
        int? total = query.IncludeTotalCount ? record.Get<int>("total") : null;
        var countsByKind = query.IncludeCountsByKind
            ? CypherValues.ListOf<IReadOnlyList<object?>>(record["countsByKind"], "countsByKind")
                .Select(row => new KindCount(Vocabulary.Parse<EntityKind>(CypherValues.As<string>(row[0], "kind")), CypherValues.As<int>(row[1], "count")))
                .ToList()
            : null;
        return query.Assemble(items, moreBeforeCursor, total, countsByKind);
    }
}
