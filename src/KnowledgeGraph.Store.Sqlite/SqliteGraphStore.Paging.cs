using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

// Keyset pagination over (sort value, key): a page costs the same wherever it is in the list.
public sealed partial class SqliteGraphStore
{
    public async Task<EntityPage> ListEntitiesAsync(EntityQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (size, cursor, ascending) = (query.PageSize, query.Cursor, query.WalksAscending);
        var sort = SqliteEntityListSql.SortExpression(query.OrderBy == EntityOrderField.Name, query.Language == Language.Fr);

        await using var connection = await OpenAsync(cancellationToken);
        var items = new List<(Entity Entity, EntityCursor Cursor)>();
        await using (var command = FilteredCommand(connection, SqliteEntityListSql.Page(sort, ascending), query, cursor))
        {
            command.Parameters.AddWithValue("$limit", size + 1);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var entity = SqliteRows.ReadEntity(reader);
                items.Add((entity, new EntityCursor(reader.GetString(8), entity.Key.Value)));
            }
        }

        var moreBeforeCursor = false;
        if (cursor is not null)
        {
            await using var command = FilteredCommand(connection, SqliteEntityListSql.AnyBefore(sort, ascending), query, cursor);
            moreBeforeCursor = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) != 0;
        }

        int? total = null;
        if (query.IncludeTotalCount)
        {
            await using var command = FilteredCommand(connection, SqliteEntityListSql.Count, query, null);
            total = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        return query.Assemble(items, moreBeforeCursor, total);
    }

    private static SqliteCommand FilteredCommand(SqliteConnection connection, string sql, EntityQuery query, EntityCursor? cursor) =>
        Command(
            connection,
            sql,
            ("$kinds", KindsJson(query.Kinds)),
            ("$keys", query.Keys is null ? null : KeysJson(query.Keys)),
            ("$contains", query.NameContains),
            ("$has_cursor", cursor is null ? 0 : 1),
            ("$sort", cursor?.SortValue ?? string.Empty),
            ("$key", cursor?.Key ?? string.Empty));
}
