using System.Globalization;
using System.Text.Json;
using KnowledgeGraph.Domain;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

// Writing a whole snapshot: upsert every record by key, then remove what the snapshot no longer holds. It runs in
// the caller's transaction, so a failure part-way leaves the previous graph as it was.
public sealed partial class SqliteGraphStore
{
    private static async Task WriteGraphAsync(SqliteConnection connection, SqliteTransaction transaction, GraphSnapshot graph, CancellationToken cancellationToken)
    {
        await using (var command = Prepare(connection, transaction, SqliteSql.UpsertSource, "$key", "$title_en", "$title_fr", "$language", "$published_on", "$url", "$text"))
        {
            foreach (var s in graph.Sources)
            {
                await RunAsync(command, cancellationToken, s.Key, s.Title.En, s.Title.Fr, Vocabulary.ToCode(s.Language), s.PublishedOn, s.Url, s.Text);
            }
        }

        await using (var command = Prepare(connection, transaction, SqliteSql.UpsertEntity, "$key", "$kind", "$name_en", "$name_fr", "$description_en", "$description_fr", "$aliases", "$citations"))
        await using (var deleteSearch = Prepare(connection, transaction, SqliteSql.DeleteSearchRow, "$key"))
        await using (var insertSearch = Prepare(connection, transaction, SqliteSql.InsertSearchRow, "$key", "$names", "$aliases", "$descriptions"))
        {
            foreach (var e in graph.Entities)
            {
                await RunAsync(command, cancellationToken, e.Key.Value, Vocabulary.ToWireName(e.Kind), e.Name.En, e.Name.Fr, e.Description.En, e.Description.Fr, ToJson(e.Aliases), ToJson(e.Citations));
                await RunAsync(deleteSearch, cancellationToken, e.Key.Value);
                var (names, aliases, descriptions) = SearchText(e);
                await RunAsync(insertSearch, cancellationToken, e.Key.Value, names, aliases, descriptions);
            }
        }

        await using (var command = Prepare(connection, transaction, SqliteSql.UpsertRelationship, "$key", "$type", "$from_key", "$to_key", "$properties", "$citations"))
        {
            foreach (var r in graph.Relationships)
            {
                await RunAsync(command, cancellationToken, r.Key, Vocabulary.ToWireName(r.Type), r.From.Value, r.To.Value, ToJson(r.Properties), ToJson(r.Citations));
            }
        }

        await using (var command = Prepare(connection, transaction, SqliteSql.UpsertObservation, "$key", "$subject", "$metric", "$value", "$unit", "$precision", "$period_start", "$period_end", "$duration", "$region", "$note", "$citations"))
        {
            foreach (var o in graph.Observations)
            {
                await RunAsync(
                    command,
                    cancellationToken,
                    o.Key,
                    o.Subject.Value,
                    o.Metric,
                    o.Value.ToString(CultureInfo.InvariantCulture),
                    o.Unit,
                    Vocabulary.ToWireName(o.Precision),
                    o.PeriodStart,
                    o.PeriodEnd,
                    o.Duration,
                    o.Region?.Value,
                    o.Note is null ? null : ToJson(o.Note),
                    ToJson(o.Citations));
            }
        }

        await using (var command = Prepare(connection, transaction, SqliteSql.UpsertQuote, "$key", "$speaker", "$text", "$language", "$translation", "$citations"))
        {
            foreach (var q in graph.Quotes)
            {
                await RunAsync(command, cancellationToken, q.Key, q.Speaker.Value, q.Text, Vocabulary.ToCode(q.Language), q.TranslationEn, ToJson(q.Citations));
            }
        }

        var entityKeys = JsonSerializer.Serialize(graph.Entities.Select(e => e.Key.Value), Json);
        await ExecuteAsync(connection, transaction, SqliteSql.DeleteQuotesNotIn, cancellationToken, ("$keys", JsonSerializer.Serialize(graph.Quotes.Select(q => q.Key), Json)));
        await ExecuteAsync(connection, transaction, SqliteSql.DeleteObservationsNotIn, cancellationToken, ("$keys", JsonSerializer.Serialize(graph.Observations.Select(o => o.Key), Json)));
        await ExecuteAsync(connection, transaction, SqliteSql.DeleteRelationshipsNotIn, cancellationToken, ("$keys", JsonSerializer.Serialize(graph.Relationships.Select(r => r.Key), Json)));
        await ExecuteAsync(connection, transaction, SqliteSql.DeleteSearchRowsNotIn, cancellationToken, ("$keys", entityKeys));
        await ExecuteAsync(connection, transaction, SqliteSql.DeleteEntitiesNotIn, cancellationToken, ("$keys", entityKeys));
        await ExecuteAsync(connection, transaction, SqliteSql.DeleteSourcesNotIn, cancellationToken, ("$keys", JsonSerializer.Serialize(graph.Sources.Select(s => s.Key), Json)));
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static async Task RunAsync(SqliteCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
