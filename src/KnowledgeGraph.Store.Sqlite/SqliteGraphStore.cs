using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>Where the embedded store keeps its file.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The folder of the database file; relative paths resolve from the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    public string FileName { get; set; } = "knowledge-graph.db";

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));

    /// <summary>
    /// The most relationships for which the path search keeps the graph's shape in memory (key, type and ends of each,
    /// about 200 bytes a relationship), read again after each write; past it, or at 0, every hop is read from SQLite.
    /// </summary>
    [Range(0, 10_000_000)]
    public int PathTopologyLimit { get; set; } = 50_000;
}

/// <summary>
/// The embedded store: one SQLite file, citations kept as JSON beside the rows they support, an FTS5 index for
/// search. Every port method is one batch, answered on one connection.
/// </summary>
public sealed partial class SqliteGraphStore : IGraphStore, IDisposable
{
    private const string SeedHashMeta = "seed_hash";
    private const string SchemaVersionMeta = "schema_version";

    private readonly string _connectionString;
    private readonly string _importConnectionString;
    private SqliteStatementCache? _reads;

    public SqliteGraphStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.PathTopologyLimit);
        SqliteThreading.EnsureConfigured();
        _pathTopologyLimit = options.PathTopologyLimit;
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
        _importConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();
    }

    /// <summary>The connection string of a connection of its own, never pooled, whose session settings die with it.</summary>
    internal string ImportConnectionString => _importConnectionString;

    /// <summary>The kept connections of the hot reads, once a read has made them; for looking at their statements.</summary>
    internal SqliteStatementCache? HotReads => _reads;

    public void Dispose()
    {
        _reads?.Dispose();
        _topologyGate.Dispose();
        _writeGate.Dispose();
        _layoutGate.Dispose();
    }

    public async Task<SeedApplication> ApplySeedAsync(LoadedSeed seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, SqliteSql.CreateSchema, cancellationToken);

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var previous = await ReadMetaAsync(connection, transaction, SeedHashMeta, cancellationToken);
        var changed = !string.Equals(previous, seed.ContentHash, StringComparison.Ordinal);
        if (changed)
        {
            await WriteGraphAsync(connection, transaction, seed.Graph, cancellationToken);
            await WriteMetaAsync(connection, transaction, SeedHashMeta, seed.ContentHash, cancellationToken);
            await WriteMetaAsync(connection, transaction, SchemaVersionMeta, SqliteSql.SchemaVersion.ToString(CultureInfo.InvariantCulture), cancellationToken);
            // The graph changed: responses cached at the previous revision describe another graph.
            await ExecuteAsync(connection, transaction, SqliteSql.NextRevision, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return SeedApplication.Of(seed, changed);
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteSql.Ping;
            await command.ExecuteScalarAsync(cancellationToken);
            return new StoreHealth(true, "SQLite store answers.");
        }
        catch (SqliteException exception)
        {
            return new StoreHealth(false, $"SQLite store does not answer: {exception.Message}");
        }
    }

    public async Task<IReadOnlyDictionary<EntityKey, Entity>> GetEntitiesAsync(IReadOnlyCollection<EntityKey> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<EntityKey, Entity>();
        if (keys.Count == 0)
        {
            return result;
        }

        await using var lease = await RentReadsAsync(cancellationToken);
        using var rows = lease.Statements.Read(SqliteSql.EntitiesByKeys, cancellationToken, ("$keys", KeysJson(keys)));
        while (rows.Next())
        {
            var entity = SqliteRows.ReadEntity(rows.Row);
            result[entity.Key] = entity;
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, Relationship>> GetRelationshipsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Relationship>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return result;
        }

        await using var lease = await RentReadsAsync(cancellationToken);
        using var rows = lease.Statements.Read(SqliteSql.RelationshipsByKeys, cancellationToken, ("$keys", SqliteJson.WriteStrings(keys)));
        while (rows.Next())
        {
            var relationship = SqliteRows.ReadRelationship(rows.Row);
            result[relationship.Key] = relationship;
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, Observation>> GetObservationsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? new Dictionary<string, Observation>(StringComparer.Ordinal)
            : (await ReadListAsync(SqliteSql.ObservationsByKeys, SqliteRows.ReadObservation, cancellationToken, ("$keys", SqliteJson.WriteStrings(keys))))
                .ToDictionary(o => o.Key, StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, Quote>> GetQuotesAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? new Dictionary<string, Quote>(StringComparer.Ordinal)
            : (await ReadListAsync(SqliteSql.QuotesByKeys, SqliteRows.ReadQuote, cancellationToken, ("$keys", SqliteJson.WriteStrings(keys))))
                .ToDictionary(q => q.Key, StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, Claim>> GetClaimsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? new Dictionary<string, Claim>(StringComparer.Ordinal)
            : (await ReadListAsync(SqliteSql.ClaimsByKeys, SqliteRows.ReadClaim, cancellationToken, ("$keys", SqliteJson.WriteStrings(keys))))
                .ToDictionary(c => c.Key, StringComparer.Ordinal);

    public async Task<IReadOnlyList<Claim>> QueryClaimsAsync(IReadOnlyCollection<EntityKey>? about, CancellationToken cancellationToken) =>
        about is { Count: 0 }
            ? []
            : await ReadListAsync(SqliteSql.ClaimsAbout, SqliteRows.ReadClaim, cancellationToken, ("$keys", about is null ? null : KeysJson(about)));

    public async Task<FactPage> ListFactsAsync(FactQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.First == 0)
        {
            return new FactPage([], false);
        }

        // The page's keys in one statement over the three tables, then each type's records by key.
        await using var connection = await OpenAsync(cancellationToken);
        var page = new List<FactCursor>();
        await using (var command = Command(
            connection,
            SqliteSql.FactKeys,
            ("$bases", query.Bases is null ? null : SqliteJson.WriteStrings(query.Bases.Select(Vocabulary.ToWireName))),
            ("$after_key", query.After?.Key),
            ("$after_type", query.After?.Type.ToString()),
            ("$limit", query.First + 1)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(new FactCursor(reader.GetString(1), Enum.Parse<RecordType>(reader.GetString(0))));
            }
        }

        var hasNext = page.Count > query.First;
        page = page.Take(query.First).ToList();
        var found = new Dictionary<FactCursor, object>();
        foreach (var (type, sql, read) in new (RecordType, string, Func<DbDataReader, object>)[]
        {
            (RecordType.Relationship, SqliteSql.RelationshipsByKeys, SqliteRows.ReadRelationship),
            (RecordType.Observation, SqliteSql.ObservationsByKeys, SqliteRows.ReadObservation),
            (RecordType.Claim, SqliteSql.ClaimsByKeys, SqliteRows.ReadClaim),
        })
        {
            var keys = page.Where(c => c.Type == type).Select(c => c.Key).ToList();
            if (keys.Count == 0)
            {
                continue;
            }

            await using var command = Command(connection, sql, ("$keys", SqliteJson.WriteStrings(keys)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var fact = read(reader);
                found[FactCursor.Of(fact)] = fact;
            }
        }

        return new FactPage([.. page.Where(found.ContainsKey).Select(c => found[c])], hasNext);
    }

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Relationship>>> GetRelationshipsOfAsync(
        IReadOnlyCollection<EntityKey> entities, RelationshipFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var found = new Dictionary<EntityKey, List<Relationship>>();
        if (entities.Count > 0)
        {
            await using var lease = await RentReadsAsync(cancellationToken);
            var keys = KeysJson(entities);
            var types = TypesJson(filter.Types);
            if (filter.Direction != RelationshipDirection.Incoming)
            {
                var (sql, parameters) = filter.Node is null ? (SqliteSql.RelationshipsFrom, []) : SqliteFilterSql.RelationshipsOf(outgoing: true, filter.Node);
                await ReadRelationshipsAsync(lease.Statements, sql, prepared: filter.Node is null, [("$keys", keys), ("$types", types), .. parameters], r => r.From, found, cancellationToken);
            }

            if (filter.Direction != RelationshipDirection.Outgoing)
            {
                var (sql, parameters) = filter.Node is null ? (SqliteSql.RelationshipsTo, []) : SqliteFilterSql.RelationshipsOf(outgoing: false, filter.Node);
                await ReadRelationshipsAsync(lease.Statements, sql, prepared: filter.Node is null, [("$keys", keys), ("$types", types), .. parameters], r => r.To, found, cancellationToken);
            }
        }

        foreach (var list in found.Values)
        {
            StoreAnswers.SortByKeyOnce(list);
        }

        return StoreAnswers.ForEachKey(entities, found);
    }

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Observation>>> GetObservationsOfAsync(
        IReadOnlyCollection<EntityKey> subjects, string? metric, CancellationToken cancellationToken)
    {
        var observations = subjects.Count == 0
            ? []
            : await ReadListAsync(SqliteSql.ObservationsOf, SqliteRows.ReadObservation, cancellationToken, ("$keys", KeysJson(subjects)), ("$metric", metric));
        return StoreAnswers.ForEachKey(subjects, observations, o => o.Subject);
    }

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Quote>>> GetQuotesOfAsync(
        IReadOnlyCollection<EntityKey> speakers, CancellationToken cancellationToken)
    {
        var quotes = speakers.Count == 0
            ? []
            : await ReadListAsync(SqliteSql.QuotesOf, SqliteRows.ReadQuote, cancellationToken, ("$keys", KeysJson(speakers)));
        return StoreAnswers.ForEachKey(speakers, quotes, q => q.Speaker);
    }

    public async Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        var sources = keys is null
            ? await ReadListAsync(SqliteSql.AllSources, SqliteRows.ReadSource, cancellationToken)
            : await ReadListAsync(SqliteSql.SourcesByKeys, SqliteRows.ReadSource, cancellationToken, ("$keys", SqliteJson.WriteStrings(keys)));
        return sources.ToDictionary(s => s.Key, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<Observation>> QueryObservationsAsync(ObservationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (sql, bounds) = query.Value is null ? (SqliteSql.ObservationsMatching, []) : SqliteFilterSql.ObservationsMatching(query.Value);
        return await ReadListAsync(
            sql,
            SqliteRows.ReadObservation,
            cancellationToken,
            [("$subject", query.Subject?.Value), ("$metric", query.Metric), ("$region", query.Region?.Value), .. bounds]);
    }

    public async Task<IReadOnlyList<Quote>> QueryQuotesAsync(EntityKey? speaker, CancellationToken cancellationToken) =>
        await ReadListAsync(SqliteSql.QuotesMatching, SqliteRows.ReadQuote, cancellationToken, ("$speaker", speaker?.Value));

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!query.IsRunnable)
        {
            return [];
        }

        await using var lease = await RentReadsAsync(cancellationToken);
        var rows = query.CandidateLimit;
        using var found = lease.Statements.Read(
            SqliteSql.Search(rows),
            cancellationToken,
            ("$match", ToMatchExpression(query.Terms)),
            ("$kinds", KindsJson(query.Kinds)));
        var candidates = new List<(Entity, double)>();
        while (candidates.Count < rows && found.Next())
        {
            candidates.Add((SqliteRows.ReadEntity(found.Row), found.Row.GetDouble(8)));
        }

        return SearchRanking.Rank(query, candidates);
    }

    /// <summary>
    /// Core's search terms as an FTS5 expression: each word quoted (so it can only be a word) and every word
    /// required, the last as a prefix. Case and accents are the tokenizer's to ignore as they are Core's.
    /// </summary>
    internal static string ToMatchExpression(SearchTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return string.Join(" AND ", terms.WholeWords.Select(word => $"\"{word}\"").Append($"\"{terms.Prefix}\"*"));
    }

    private static void AddParameters(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameters(command, parameters);
        return command;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureCurrentLayoutAsync(cancellationToken);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            RegisterFunctions(connection);
            return connection;
        }
        catch (SqliteException exception)
        {
            await connection.DisposeAsync();
            throw new StoreUnavailableException("The embedded SQLite store cannot be opened.", exception);
        }
    }

    // On every connection this store opens: the fold indexes (SqliteSql.EntitiesByFoldEnIndex) call kg_fold whenever
    // an entity is written, and name conditions call it to compare.
    internal static void RegisterFunctions(SqliteConnection connection) =>
        connection.CreateFunction<string, string>(SqliteFilterSql.FoldFunction, TextFold.Fold, isDeterministic: true);

    /// <summary>An open connection whose fixed statements stay prepared, for one call of the hot reads.</summary>
    private async ValueTask<SqliteStatementCache.Lease> RentReadsAsync(CancellationToken cancellationToken)
    {
        // The layout check runs on every rent, as on every open, so an upgrade still comes before the first read.
        await EnsureCurrentLayoutAsync(cancellationToken);
        var reads = _reads ?? Interlocked.CompareExchange(ref _reads, new SqliteStatementCache(OpenAsync), null) ?? _reads;
        return await reads.RentAsync(cancellationToken);
    }

    private async Task<List<T>> ReadListAsync<T>(
        string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader));
        }

        return list;
    }

    private static async Task ReadRelationshipsAsync(
        SqliteStatements statements,
        string sql,
        bool prepared,
        (string Name, object? Value)[] parameters,
        Func<Relationship, EntityKey> owner,
        Dictionary<EntityKey, List<Relationship>> into,
        CancellationToken cancellationToken)
    {
        if (prepared)
        {
            using var rows = statements.Read(sql, cancellationToken, parameters);
            while (rows.Next())
            {
                Add(SqliteRows.ReadRelationship(rows.Row));
            }

            return;
        }

        // A filter's SQL is built for its conditions: compiled for this call only.
        await using var oneOff = Command(statements.Connection, sql, parameters);
        await using var reader = await oneOff.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Add(SqliteRows.ReadRelationship(reader));
        }

        void Add(Relationship relationship)
        {
            var key = owner(relationship);
            if (!into.TryGetValue(key, out var list))
            {
                into[key] = list = [];
            }

            list.Add(relationship);
        }
    }

    private static string KeysJson(IEnumerable<EntityKey> keys) => SqliteJson.WriteStrings(keys.Select(k => k.Value));

    // Core's query records hand over null for "every type/kind", never an empty list.
    private static string? TypesJson(IReadOnlyList<RelationshipType>? types) =>
        types is null ? null : SqliteJson.WriteStrings(types.Select(Vocabulary.ToWireName));

    private static string? KindsJson(IReadOnlyList<EntityKind>? kinds) =>
        kinds is null ? null : SqliteJson.WriteStrings(kinds.Select(Vocabulary.ToWireName));

    internal static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<object?> ScalarAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<string?> ReadMetaAsync(SqliteConnection connection, SqliteTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, SqliteSql.ReadMeta, ("$name", name));
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static Task WriteMetaAsync(SqliteConnection connection, SqliteTransaction transaction, string name, string value, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, SqliteSql.WriteMeta, cancellationToken, ("$name", name), ("$value", value));
}
