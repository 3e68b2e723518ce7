using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.Store.Neo4j;

// Keyset pagination over (sort value, key), in one statement that returns the page, whether anything lies before the
// cursor and (when asked) the total. Same semantics as the SQLite store: names compare case-insensitively in ASCII.
public sealed partial class Neo4jGraphStore
{
    public async Task<EntityPage> ListEntitiesAsync(EntityQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (size, cursor, ascending) = (query.PageSize, query.Cursor, query.WalksAscending);
        var byName = query.OrderBy == EntityOrderField.Name;
        var sortProperty = !byName ? "key" : query.Language == Language.Fr ? "sortFr" : "sortEn";
        var sortValue = cursor is null ? string.Empty : byName ? Neo4jRecords.SortKey(cursor.SortValue) : cursor.SortValue;

        var result = await runner.RunAsync(
            Neo4jCypher.ListEntities(ascending).Bind(
                ("kinds", Kinds(query.Kinds)),
                ("keys", query.Keys is null ? null : Keys(query.Keys)),
                ("contains", query.NameContains?.ToLowerInvariant()),
                ("includeTotal", query.IncludeTotalCount),
                ("hasCursor", cursor is not null),
                ("sortProperty", sortProperty),
                ("sort", sortValue),
                ("key", cursor?.Key ?? string.Empty),
                ("limit", size + 1)),
            cancellationToken);

        var record = result.Records.Count == 1
            ? result.Records[0]
            : throw new Neo4jQueryException(string.Empty, $"'{Neo4jCypher.ListEntities(ascending).Name}' returned {result.Records.Count} records instead of 1.");
        var items = CypherValues.ListOf<CypherNode>(record["page"], "page")
            .Select(Neo4jRecords.ToEntity)
            .Select(e => (Entity: e, Cursor: new EntityCursor(byName ? e.Name.In(query.Language) : e.Key.Value, e.Key.Value)))
            .ToList();
        var anyBefore = cursor is not null && record.Get<bool>("anyBefore");
        int? total = query.IncludeTotalCount ? record.Get<int>("total") : null;
        return query.Assemble(items, anyBefore, total);
    }
}
