using System.Globalization;
using System.Text;
using System.Threading.Channels;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Benchmarks;

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

// The benchmarks' bulk loader (the scale benchmark's and the robustness run's synthetic graphs, and the tests that
// need a large graph fast), kept out of the product's store: the API imports through its validated writes
// (Exchange/GraphImporter). It writes the store's own layout (SqliteSql's schema) directly.
// Streaming bulk import. Two stages run side by side: one reads the caller's streams and turns records into rows
// (JSON columns serialised, every value encoded as UTF-8), the other writes the rows, one prepared statement per row
// bound by position, in one transaction for the whole import. The stages meet in a small bounded channel, so memory
// stays flat whatever the size of the import. Search rows are made after the entities, in SQL, in one pass.
public static class SqliteBulkImport
{
    private const string WriteOrigin = "write";

    private const int ImportBatchSize = 1024;
    private const int ImportBatchesInFlight = 8;
    private const int SqliteConstraintForeignKey = 787;

    /// <summary>
    /// Writes the import by key, all or nothing: a record already in the store is replaced, one not in the import is
    /// left alone, and a failure anywhere (a relationship pointing nowhere, a malformed key, cancellation) leaves the
    /// store exactly as it was. Readers keep seeing the previous graph until the import commits. Unlike
    /// <see cref="SqliteGraphStore.ApplySeedAsync"/>, it removes nothing and does not change the recorded seed hash.
    /// </summary>
    public static async Task<GraphImportResult> ImportAsync(this SqliteGraphStore store, GraphImport import, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(import);
        await store.EnsureCurrentLayoutAsync(cancellationToken);

        // Its own connection, never pooled, so the session settings below die with it.
        await using var connection = new SqliteConnection(store.ImportConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            SqliteGraphStore.RegisterFunctions(connection);
        }
        catch (SqliteException exception)
        {
            throw new StoreUnavailableException("The embedded SQLite store cannot be opened.", exception);
        }

        await SqliteGraphStore.ExecuteAsync(connection, null, SqliteSql.CreateSchema, cancellationToken);

        // synchronous = NORMAL: in WAL mode a crash can lose the last commit but never corrupts the file, and an
        // import lost that way is lost whole (it is one transaction) and can simply be run again.
        // cache_size = 384 MiB while rows are loaded: the B-trees being filled stay in memory instead of being re-read
        // (memory only); index builds then run with a small cache (see IndexBuildPragmas).
        // temp_store = FILE: index builds sort through temporary files, keeping the process small.
        // threads = 2: lets index builds sort on both cores; only a hint, results are the same.
        // The journal stays WAL, so readers are never blocked and never see a half-written import.
        await SqliteGraphStore.ExecuteAsync(connection, null, ImportPragmas, cancellationToken);

        // Into an empty store, a relationship's ends are checked once after the load, through the indexes built then,
        // rather than by a foreign key lookup per row (those lookups cost more than the inserts). Into a store that
        // holds a graph, foreign keys stay on and refuse a relationship that points nowhere as it is written. Either
        // way the transaction is rolled back. Foreign keys can only be switched outside a transaction, so this asks
        // before it begins; the check after the load covers the whole table, so a write slipping in between is safe.
        var checkEndsAfterLoad = Convert.ToInt64(await SqliteGraphStore.ScalarAsync(connection, null, IsGraphEmpty, cancellationToken), CultureInfo.InvariantCulture) == 1;
        if (checkEndsAfterLoad)
        {
            await SqliteGraphStore.ExecuteAsync(connection, null, SqliteSql.ForeignKeysOff, cancellationToken);
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        var fresh = Convert.ToInt64(await SqliteGraphStore.ScalarAsync(connection, transaction, IsGraphEmpty, cancellationToken), CultureInfo.InvariantCulture) == 1;
        if (fresh)
        {
            // Filling a B-tree in key order and then sorting once per index is several times faster than keeping
            // five secondary indexes up to date row by row. Dropped inside the transaction: a failure restores them.
            foreach (var (drop, _) in DeferrableIndexes)
            {
                await SqliteGraphStore.ExecuteAsync(connection, transaction, drop, cancellationToken);
            }
        }

        // Sources are few and long: the store's own upsert, which maps them in one place (SqliteRows).
        await using (var sources = new SqliteRecordWriter(connection, transaction))
        {
            foreach (var s in import.Sources)
            {
                await sources.UpsertAsync(s, WriteOrigin, cancellationToken);
            }
        }

        // Entities get their search rows after the load, in one pass over the table in SQL rather than one call per
        // entity: those with ids past lastId are new; those the import replaced are noted (never in a fresh store).
        var lastId = Convert.ToInt64(await SqliteGraphStore.ScalarAsync(connection, transaction, LastEntityId, cancellationToken), CultureInfo.InvariantCulture);
        await SqliteGraphStore.ExecuteAsync(connection, transaction, CreateReplacedEntities, cancellationToken);
        long entities;
        using (var upsert = new SqliteRowStatement(connection, fresh ? ImportEntity : ImportEntityReturningId))
        using (var noteReplaced = new SqliteRowStatement(connection, NoteReplacedEntity))
        {
            entities = await PipeAsync(
                import.Entities,
                EntityRow,
                row =>
                {
                    if (upsert.Run(row) is { } id && id <= lastId)
                    {
                        noteReplaced.Run(id);
                    }
                },
                cancellationToken);
        }

        // Every entity given was either new (an id past lastId) or replaced one already there, in the store or
        // earlier in this import.
        var added = Convert.ToInt64(
            await SqliteGraphStore.ScalarAsync(connection, transaction, CountEntitiesAfter, cancellationToken, ("$last_id", lastId)), CultureInfo.InvariantCulture);
        var replaced = entities - added;
        import.PhaseCompleted?.Invoke("entities");
        await SqliteGraphStore.ExecuteAsync(connection, transaction, LargeSearchBuffer, cancellationToken);
        await SqliteGraphStore.ExecuteAsync(connection, transaction, DeleteReplacedSearchRows, cancellationToken);
        await SqliteGraphStore.ExecuteAsync(connection, transaction, InsertReplacedSearchRows, cancellationToken);
        await SqliteGraphStore.ExecuteAsync(connection, transaction, InsertSearchRowsAfter, cancellationToken, ("$last_id", lastId));
        await SqliteGraphStore.ExecuteAsync(connection, transaction, DefaultSearchBuffer, cancellationToken);
        await SqliteGraphStore.ExecuteAsync(connection, transaction, DropReplacedEntities, cancellationToken);
        import.PhaseCompleted?.Invoke("search rows");

        long relationships;
        using (var upsert = new SqliteRowStatement(connection, ImportRelationship))
        {
            relationships = await PipeAsync(
                import.Relationships,
                RelationshipRow,
                row =>
                {
                    try
                    {
                        upsert.Run(row);
                    }
                    catch (SqliteException exception) when (exception.SqliteExtendedErrorCode == SqliteConstraintForeignKey)
                    {
                        var (key, from, to) = (Encoding.UTF8.GetString(row[0]!), Encoding.UTF8.GetString(row[2]!), Encoding.UTF8.GetString(row[3]!));
                        throw DanglingRelationship(key, from, to, exception);
                    }
                },
                cancellationToken);
        }

        import.PhaseCompleted?.Invoke("relationships");
        if (fresh)
        {
            await SqliteGraphStore.ExecuteAsync(connection, transaction, IndexBuildPragmas, cancellationToken);
            foreach (var (_, create) in DeferrableIndexes)
            {
                await SqliteGraphStore.ExecuteAsync(connection, transaction, create, cancellationToken);
            }

            import.PhaseCompleted?.Invoke("indexes");
        }

        if (checkEndsAfterLoad)
        {
            await using var check = SqliteGraphStore.Command(connection, FirstDanglingRelationship);
            check.Transaction = transaction;
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                throw DanglingRelationship(reader.GetString(0), reader.GetString(1), reader.GetString(2), null);
            }

            import.PhaseCompleted?.Invoke("references");
        }

        // The graph changed: what was read or cached at the previous revision (responses, the path search's shape of
        // the graph) describes another graph.
        await SqliteGraphStore.ExecuteAsync(connection, transaction, SqliteSql.NextRevision, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        import.PhaseCompleted?.Invoke("commit");

        // Copies the WAL into the file now and truncates it, rather than leaving the next reader with a WAL as large
        // as the import. Committed data is safe whether or not this completes.
        await SqliteGraphStore.ExecuteAsync(connection, null, CheckpointAfterImport, CancellationToken.None);
        import.PhaseCompleted?.Invoke("checkpoint");
        return new GraphImportResult(import.Sources.Count, entities, relationships, replaced, fresh);
    }

    private static GraphImportException DanglingRelationship(string key, string from, string to, SqliteException? cause)
    {
        var message = $"Relationship '{key}' goes from '{from}' to '{to}', and one of them is neither in the import nor in the store.";
        return cause is null ? new GraphImportException(message) : new GraphImportException(message, cause);
    }

    /// <summary>An entity's values in the order of <see cref="ImportEntity"/>, as UTF-8.</summary>
    private static byte[]?[] EntityRow(Entity e)
    {
        if (!EntityKey.IsWellFormed(e.Key.Value))
        {
            throw new GraphImportException($"Entity key '{e.Key.Value}' is not lower-case kebab-case.");
        }

        return [Utf8(e.Key.Value), Utf8(Vocabulary.ToWireName(e.Kind)), Utf8(e.Name.En), Utf8(e.Name.Fr), Utf8(e.Description.En), Utf8(e.Description.Fr),
            SqliteJson.WriteUtf8(e.Aliases), SqliteJson.WriteUtf8(e.Citations)];
    }

    /// <summary>A relationship's values in the order of <see cref="ImportRelationship"/>, as UTF-8.</summary>
    private static byte[]?[] RelationshipRow(Relationship r)
    {
        if (!EntityKey.IsWellFormed(r.Key))
        {
            throw new GraphImportException($"Relationship key '{r.Key}' is not lower-case kebab-case.");
        }

        var p = r.Provenance;
        return
        [
            Utf8(r.Key), Utf8(Vocabulary.ToWireName(r.Type)), Utf8(r.From.Value), Utf8(r.To.Value), SqliteJson.WriteUtf8(r.Properties), SqliteJson.WriteUtf8(r.Citations),
            Utf8(Vocabulary.ToWireName(p.Basis)), Utf8OrNull(p.ReportedBy?.Value), p.Rationale is null ? null : SqliteJson.WriteUtf8(p.Rationale), Utf8OrNull(p.Hedge),
            Utf8OrNull(r.PeriodStart), Utf8OrNull(r.PeriodEnd), Utf8OrNull(r.DateBasis is { } d ? Vocabulary.ToWireName(d) : null),
        ];
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[]? Utf8OrNull(string? text) => text is null ? null : Utf8(text);

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

    /// <summary>The secondary indexes a bulk load into empty tables builds after the rows are in, in creation order.</summary>
    private static readonly IReadOnlyList<(string Drop, string Create)> DeferrableIndexes =
    [
        ("DROP INDEX IF EXISTS entities_by_kind", SqliteSql.EntitiesByKindIndex),
        ("DROP INDEX IF EXISTS entities_by_name_en", SqliteSql.EntitiesByNameEnIndex),
        ("DROP INDEX IF EXISTS entities_by_name_fr", SqliteSql.EntitiesByNameFrIndex),
        ("DROP INDEX IF EXISTS entities_by_fold_en", SqliteSql.EntitiesByFoldEnIndex),
        ("DROP INDEX IF EXISTS entities_by_fold_fr", SqliteSql.EntitiesByFoldFrIndex),
        ("DROP INDEX IF EXISTS relationships_by_from", SqliteSql.RelationshipsByFromIndex),
        ("DROP INDEX IF EXISTS relationships_by_to", SqliteSql.RelationshipsByToIndex),
    ];

    // The import's own statements. Rows are written one statement each through SqliteRowStatement,
    // whose values are bound by position (?1, ?2, ...) in the order the statement names its columns.

    // Session settings of the import's own, unpooled connection; each is explained where it is applied.
    private const string ImportPragmas = """
        PRAGMA synchronous = NORMAL;
        PRAGMA cache_size = -393216;
        PRAGMA temp_store = FILE;
        PRAGMA threads = 2;
        """;

    // Index builds sort through a buffer the size of the page cache. A small one kept the 1M-entity import about
    // 200 MiB smaller for the same time (merging sorted runs from temporary files is cheap), and the rows being
    // indexed are read from the WAL and the OS cache either way.
    private const string IndexBuildPragmas = "PRAGMA cache_size = -16384";

    private const string IsGraphEmpty = "SELECT NOT EXISTS (SELECT 1 FROM entities) AND NOT EXISTS (SELECT 1 FROM relationships)";

    // Entities inserted by the import get ids above the last one before it; replaced ones keep theirs.
    private const string LastEntityId = "SELECT coalesce(max(id), 0) FROM entities";

    private const string CountEntitiesAfter = "SELECT count(*) FROM entities WHERE id > $last_id";

    private const string ImportEntity = """
        INSERT INTO entities (key, kind, name_en, name_fr, description_en, description_fr, aliases, citations, origin)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'write')
        ON CONFLICT (key) DO UPDATE SET
            kind = excluded.kind, name_en = excluded.name_en, name_fr = excluded.name_fr,
            description_en = excluded.description_en, description_fr = excluded.description_fr,
            aliases = excluded.aliases, citations = excluded.citations, origin = excluded.origin
        """;

    // Into a store that holds entities, the id tells a replaced entity (at most lastId) from a new one. Into an empty
    // store every entity is new, and RETURNING would add about 2 µs to the 3 µs of each row.
    private const string ImportEntityReturningId = $"""
        {ImportEntity}
        RETURNING id
        """;

    // Entities that were in the store before the import and that it replaced: their search rows are rewritten.
    private const string CreateReplacedEntities = """
        CREATE TEMP TABLE IF NOT EXISTS import_replaced_entities (id INTEGER PRIMARY KEY);
        DELETE FROM temp.import_replaced_entities;
        """;

    private const string NoteReplacedEntity = "INSERT OR IGNORE INTO temp.import_replaced_entities (id) VALUES (?1)";

    private const string DeleteReplacedSearchRows = "DELETE FROM entity_search WHERE rowid IN (SELECT id FROM temp.import_replaced_entities)";

    private const string InsertReplacedSearchRows = $"""
        INSERT INTO entity_search (rowid, names, aliases, descriptions)
        SELECT {SqliteSql.SearchRowOfEntity} FROM entities AS e WHERE e.id IN (SELECT id FROM temp.import_replaced_entities)
        """;

    private const string InsertSearchRowsAfter = $"""
        INSERT INTO entity_search (rowid, names, aliases, descriptions)
        SELECT {SqliteSql.SearchRowOfEntity} FROM entities AS e WHERE e.id > $last_id
        """;

    // FTS5 holds new terms in memory up to 'hashsize' bytes (1 MiB by default) before it writes them out as a segment,
    // and merges segments as they pile up: for a million entities, 64 MiB means a few large segments instead of
    // hundreds of small ones to merge (a third less time). The setting is stored in the table's config, so the
    // import sets the default back once its search rows are in.
    private const string LargeSearchBuffer = "INSERT INTO entity_search (entity_search, rank) VALUES ('hashsize', 67108864)";
    private const string DefaultSearchBuffer = "INSERT INTO entity_search (entity_search, rank) VALUES ('hashsize', 1048576)";

    private const string DropReplacedEntities = "DROP TABLE IF EXISTS temp.import_replaced_entities";

    private const string ImportRelationship = """
        INSERT INTO relationships (key, type, from_key, to_key, properties, citations, origin,
            basis, reported_by, rationale, hedge, period_start, period_end, date_basis)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'write', ?7, ?8, ?9, ?10, ?11, ?12, ?13)
        ON CONFLICT (key) DO UPDATE SET
            type = excluded.type, from_key = excluded.from_key, to_key = excluded.to_key,
            properties = excluded.properties, citations = excluded.citations, origin = excluded.origin,
            basis = excluded.basis, reported_by = excluded.reported_by, rationale = excluded.rationale, hedge = excluded.hedge,
            period_start = excluded.period_start, period_end = excluded.period_end, date_basis = excluded.date_basis
        """;

    // An import into an empty store checks its relationships' ends once, after the load, rather than row by row:
    // each distinct end is looked up once, in order, through the new indexes. The first relationship whose end is
    // not an entity names the problem.
    private const string FirstDanglingRelationship = """
        WITH missing (entity_key) AS (
            SELECT from_key FROM (SELECT DISTINCT from_key FROM relationships) WHERE NOT EXISTS (SELECT 1 FROM entities WHERE key = from_key)
            UNION ALL
            SELECT to_key FROM (SELECT DISTINCT to_key FROM relationships) WHERE NOT EXISTS (SELECT 1 FROM entities WHERE key = to_key)
            LIMIT 1
        )
        SELECT r.key, r.from_key, r.to_key FROM missing JOIN relationships AS r ON r.from_key = missing.entity_key OR r.to_key = missing.entity_key
        ORDER BY r.key LIMIT 1
        """;

    private const string CheckpointAfterImport = "PRAGMA wal_checkpoint(TRUNCATE)";
}
