using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

// Keyset pagination over (sort values, key): a page costs the same wherever it is in the list. The condition and the
// order are planned by SqliteFilterSql.
public sealed partial class SqliteGraphStore
{
    public async Task<EntityPage> ListEntitiesAsync(EntityQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (size, cursor) = (query.PageSize, query.Cursor);
        var statements = SqliteFilterSql.EntityList(query);
        var sorts = query.Sorts().Count;

        await using var connection = await OpenAsync(cancellationToken);
        var items = new List<(Entity Entity, EntityCursor Cursor)>();
        await using (var command = Command(connection, statements.Page, [.. statements.Parameters, ("$limit", size + 1)]))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var entity = SqliteRows.ReadEntity(reader);
                var values = Enumerable.Range(8, sorts).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty).ToList();
                items.Add((entity, new EntityCursor(values, entity.Key.Value)));
            }
        }

        var moreBeforeCursor = false;
        if (cursor is not null)
        {
            await using var command = Command(connection, statements.AnyBefore, [.. statements.Parameters]);
            moreBeforeCursor = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) != 0;
        }

        int? total = null;
        if (query.IncludeTotalCount)
        {
            await using var command = Command(connection, statements.Count, [.. statements.Parameters]);
            total = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        List<KindCount>? countsByKind = null;
        if (query.IncludeCountsByKind)
        {
            countsByKind = [];
            await using var command = Command(connection, statements.CountsByKind, [.. statements.Parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                countsByKind.Add(new KindCount(Vocabulary.Parse<EntityKind>(reader.GetString(0)), reader.GetInt32(1)));
            }
        }

        return query.Assemble(items, moreBeforeCursor, total, countsByKind);
    }
}
