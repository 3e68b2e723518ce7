using System.Threading.Channels;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// What a bulk import brings: sources (few, held in memory) and entities and relationships as streams, read once and
/// never held whole. Relationships may point at entities of this import or already in the store.
/// <see cref="PhaseCompleted"/>, when given, is told the name of each phase as it ends (for progress reports).
/// </summary>
public sealed record GraphImport(
    IReadOnlyList<Source> Sources,
    IAsyncEnumerable<Entity> Entities,
    IAsyncEnumerable<Relationship> Relationships,
    Action<string>? PhaseCompleted = null);

/// <summary>
/// What an import wrote. <see cref="ReplacedEntities"/> counts entities that existed before (or earlier in the same
/// import) and were updated by key; <see cref="IndexesBuiltAfterLoad"/> tells whether the store was empty, so that
/// its secondary indexes were built once after the rows rather than row by row.
/// </summary>
public sealed record GraphImportResult(int Sources, long Entities, long Relationships, long ReplacedEntities, bool IndexesBuiltAfterLoad);

/// <summary>An import refused because of what it holds; nothing of it was written.</summary>
public sealed class GraphImportException : Exception
{
    public GraphImportException()
    {
    }

    public GraphImportException(string message)
        : base(message)
    {
    }

    public GraphImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

// Streaming bulk import. Two stages run side by side: one reads the caller's streams and turns records into rows
// (JSON, search text), the other writes rows with prepared statements, in one transaction for the whole import.
// The stages meet in a small bounded channel, so memory stays flat whatever the size of the import.
public sealed partial class SqliteGraphStore
{
    private const int ImportBatchSize = 1024;
    private const int ImportBatchesInFlight = 8;
    private const int SqliteConstraintForeignKey = 787;

    /// <summary>
    /// Writes the import by key, all or nothing: a record already in the store is replaced, one not in the import is
    /// left alone, and a failure anywhere (a relationship pointing nowhere, a malformed key, cancellation) leaves the
    /// store exactly as it was. Readers keep seeing the previous graph until the import commits. Unlike
    /// <see cref="ApplySeedAsync"/>, it removes nothing and does not change the recorded seed hash.
    /// </summary>
    public async Task<GraphImportResult> ImportAsync(GraphImport import, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(import);

        // Its own connection, never pooled, so the session settings below die with it.
        await using var connection = new SqliteConnection(_importConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (SqliteException exception)
        {
            throw new StoreUnavailableException("The embedded SQLite store cannot be opened.", exception);
        }

        await ExecuteAsync(connection, null, SqliteSql.CreateSchema, cancellationToken);

        // synchronous = NORMAL: in WAL mode a crash can lose the last commit but never corrupts the file, and an
        // import lost that way is lost whole (it is one transaction) and can simply be run again.
        // cache_size = 384 MiB: the B-trees being filled stay in memory instead of being re-read; memory only.
        // temp_store = FILE: index builds sort through temporary files, keeping the process small.
        // threads = 2: lets index builds sort on both cores; only a hint, results are the same.
        // foreign_keys stays on (connection string): it is what refuses a relationship that points nowhere.
        // The journal stays WAL, so readers are never blocked and never see a half-written import.
        await ExecuteAsync(connection, null, SqliteSql.ImportPragmas, cancellationToken);

        await using var transaction = connection.BeginTransaction(deferred: false);
        var fresh = Convert.ToInt64(await ScalarAsync(connection, transaction, SqliteSql.IsGraphEmpty, cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
        if (fresh)
        {
            // Filling a B-tree in key order and then sorting once per index is several times faster than keeping
            // five secondary indexes up to date row by row. Dropped inside the transaction: a failure restores them.
            foreach (var (drop, _) in SqliteSql.DeferrableIndexes)
            {
                await ExecuteAsync(connection, transaction, drop, cancellationToken);
            }
        }

        await ExecuteAsync(connection, transaction, SqliteSql.CreateReplacedSearchRows, cancellationToken);

        await using (var command = Prepare(connection, transaction, SqliteSql.UpsertSource, "$key", "$title_en", "$title_fr", "$language", "$published_on", "$url", "$text", "$origin"))
        {
            foreach (var s in import.Sources)
            {
                await RunAsync(command, cancellationToken, s.Key, s.Title.En, s.Title.Fr, Vocabulary.ToCode(s.Language), s.PublishedOn, s.Url, s.Text, WriteOrigin);
            }
        }

        var entityColumns = new[] { "$key", "$kind", "$name_en", "$name_fr", "$description_en", "$description_fr", "$aliases", "$citations" };
        long entities;
        long replaced = 0;
        await using (var insert = Prepare(connection, transaction, SqliteSql.InsertEntityIfNew, entityColumns))
        await using (var update = Prepare(connection, transaction, SqliteSql.UpdateEntity, entityColumns))
        await using (var insertSearch = Prepare(connection, transaction, SqliteSql.InsertSearchRow, "$key", "$names", "$aliases", "$descriptions"))
        await using (var noteReplaced = Prepare(connection, transaction, SqliteSql.NoteReplacedSearchRow, "$key"))
        {
            entities = await PipeAsync(
                import.Entities,
                EntityRow,
                row =>
                {
                    Bind(insert, row.Values);
                    var isNew = insert.ExecuteNonQuery() == 1;
                    if (!isNew)
                    {
                        Bind(update, row.Values);
                        update.ExecuteNonQuery();
                    }

                    Bind(insertSearch, row.Search);
                    insertSearch.ExecuteNonQuery();
                    if (!isNew)
                    {
                        Bind(noteReplaced, row.Values[0]);
                        noteReplaced.ExecuteNonQuery();
                        replaced++;
                    }
                },
                cancellationToken);
        }

        import.PhaseCompleted?.Invoke("entities");
        long relationships;
        await using (var upsert = Prepare(connection, transaction, SqliteSql.UpsertRelationship, "$key", "$type", "$from_key", "$to_key", "$properties", "$citations", "$origin"))
        {
            relationships = await PipeAsync(
                import.Relationships,
                RelationshipRow,
                row =>
                {
                    Bind(upsert, row);
                    try
                    {
                        upsert.ExecuteNonQuery();
                    }
                    catch (SqliteException exception) when (exception.SqliteExtendedErrorCode == SqliteConstraintForeignKey)
                    {
                        throw new GraphImportException(
                            $"Relationship '{row[0]}' goes from '{row[2]}' to '{row[3]}', and one of them is neither in the import nor in the store.",
                            exception);
                    }
                },
                cancellationToken);
        }

        import.PhaseCompleted?.Invoke("relationships");
        if (replaced > 0)
        {
            await ExecuteAsync(connection, transaction, SqliteSql.DeleteReplacedSearchRows, cancellationToken);
        }

        if (fresh)
        {
            foreach (var (_, create) in SqliteSql.DeferrableIndexes)
            {
                await ExecuteAsync(connection, transaction, create, cancellationToken);
            }

            import.PhaseCompleted?.Invoke("indexes");
        }

        await ExecuteAsync(connection, transaction, SqliteSql.DropReplacedSearchRows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        import.PhaseCompleted?.Invoke("commit");

        // Copies the WAL into the file now and truncates it, rather than leaving the next reader with a WAL as large
        // as the import. Committed data is safe whether or not this completes.
        await ExecuteAsync(connection, null, SqliteSql.CheckpointAfterImport, CancellationToken.None);
        import.PhaseCompleted?.Invoke("checkpoint");
        return new GraphImportResult(import.Sources.Count, entities, relationships, replaced, fresh);
    }

    private static (object?[] Values, object?[] Search) EntityRow(Entity e)
    {
        if (!EntityKey.IsWellFormed(e.Key.Value))
        {
            throw new GraphImportException($"Entity key '{e.Key.Value}' is not lower-case kebab-case.");
        }

        var (names, aliases, descriptions) = SearchText(e);
        return (
            [e.Key.Value, Vocabulary.ToWireName(e.Kind), e.Name.En, e.Name.Fr, e.Description.En, e.Description.Fr, SqliteJson.Write(e.Aliases), SqliteJson.Write(e.Citations)],
            [e.Key.Value, names, aliases, descriptions]);
    }

    private static object?[] RelationshipRow(Relationship r)
    {
        if (!EntityKey.IsWellFormed(r.Key))
        {
            throw new GraphImportException($"Relationship key '{r.Key}' is not lower-case kebab-case.");
        }

        return [r.Key, Vocabulary.ToWireName(r.Type), r.From.Value, r.To.Value, SqliteJson.Write(r.Properties), SqliteJson.Write(r.Citations), WriteOrigin];
    }

    /// <summary>
    /// The text an entity is found by: the FTS row that seeding, writes and the import all write. The key's words
    /// count as aliases, so a long key (an endorsement's) does not outrank the entity a word names.
    /// </summary>
    internal static (string Names, string Aliases, string Descriptions) SearchText(Entity e) => (
        $"{e.Name.En} {e.Name.Fr}",
        string.Join(' ', e.Aliases.Select(a => a.Text).Append(e.Key.Value.Replace('-', ' '))),
        $"{e.Description.En} {e.Description.Fr}");

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
        Bind(command, values);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    /// <summary>
    /// Reads <paramref name="items"/> on another thread, turning each into a row, while this one writes the rows.
    /// A failure on either side stops both and surfaces the failure that came first.
    /// </summary>
    private static async Task<long> PipeAsync<TItem, TRow>(
        IAsyncEnumerable<TItem> items, Func<TItem, TRow> toRow, Action<TRow> write, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<List<TRow>>(new BoundedChannelOptions(ImportBatchesInFlight) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    var batch = new List<TRow>(ImportBatchSize);
                    await foreach (var item in items.WithCancellation(stop.Token))
                    {
                        batch.Add(toRow(item));
                        if (batch.Count == ImportBatchSize)
                        {
                            await channel.Writer.WriteAsync(batch, stop.Token);
                            batch = new List<TRow>(ImportBatchSize);
                        }
                    }

                    if (batch.Count > 0)
                    {
                        await channel.Writer.WriteAsync(batch, stop.Token);
                    }

                    channel.Writer.Complete();
                }
                catch (Exception exception)
                {
                    channel.Writer.TryComplete(exception);
                    throw;
                }
            },
            CancellationToken.None);

        long written = 0;
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(stop.Token))
            {
                foreach (var row in batch)
                {
                    write(row);
                    written++;
                }

                stop.Token.ThrowIfCancellationRequested();
            }
        }
        catch (Exception writeFailure)
        {
            await stop.CancelAsync();
            try
            {
                await producer;
            }
            catch (Exception readFailure) when (writeFailure is ChannelClosedException || ReferenceEquals(readFailure, writeFailure) || writeFailure is OperationCanceledException && readFailure is not OperationCanceledException)
            {
                // The reading side failed first: its exception is the cause.
                throw;
            }
            catch (Exception)
            {
                // The reading side only stopped because the writing side did.
            }

            throw;
        }

        await producer;
        return written;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql);
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
