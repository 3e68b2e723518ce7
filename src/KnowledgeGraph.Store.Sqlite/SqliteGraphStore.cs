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

    public SqliteGraphStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
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

    public void Dispose()
    {
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
        }

        await transaction.CommitAsync(cancellationToken);

        await using var count = connection.CreateCommand();
        count.CommandText = SqliteSql.CountAll;
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SeedApplication(changed, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));
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

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, SqliteSql.EntitiesByKeys, ("$keys", KeysJson(keys)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = SqliteRows.ReadEntity(reader);
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

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, SqliteSql.RelationshipsByKeys, ("$keys", SqliteJson.Write(keys)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var relationship = SqliteRows.ReadRelationship(reader);
            result[relationship.Key] = relationship;
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, Observation>> GetObservationsAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? new Dictionary<string, Observation>(StringComparer.Ordinal)
            : (await ReadListAsync(SqliteSql.ObservationsByKeys, SqliteRows.ReadObservation, cancellationToken, ("$keys", SqliteJson.Write(keys))))
                .ToDictionary(o => o.Key, StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<string, Quote>> GetQuotesAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        keys.Count == 0
            ? new Dictionary<string, Quote>(StringComparer.Ordinal)
            : (await ReadListAsync(SqliteSql.QuotesByKeys, SqliteRows.ReadQuote, cancellationToken, ("$keys", SqliteJson.Write(keys))))
                .ToDictionary(q => q.Key, StringComparer.Ordinal);

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Relationship>>> GetRelationshipsOfAsync(
        IReadOnlyCollection<EntityKey> entities, RelationshipFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var found = new Dictionary<EntityKey, List<Relationship>>();
        if (entities.Count > 0)
        {
            await using var connection = await OpenAsync(cancellationToken);
            var keys = KeysJson(entities);
            var types = TypesJson(filter.Types);
            if (filter.Direction != RelationshipDirection.Incoming)
            {
                var (sql, parameters) = filter.Node is null ? (SqliteSql.RelationshipsFrom, []) : SqliteFilterSql.RelationshipsOf(outgoing: true, filter.Node);
                await ReadRelationshipsAsync(connection, sql, [("$keys", keys), ("$types", types), .. parameters], r => r.From, found, cancellationToken);
            }

            if (filter.Direction != RelationshipDirection.Outgoing)
            {
                var (sql, parameters) = filter.Node is null ? (SqliteSql.RelationshipsTo, []) : SqliteFilterSql.RelationshipsOf(outgoing: false, filter.Node);
                await ReadRelationshipsAsync(connection, sql, [("$keys", keys), ("$types", types), .. parameters], r => r.To, found, cancellationToken);
            }
        }

        return entities.Distinct().ToDictionary(
            key => key,
            key => (IReadOnlyList<Relationship>)(found.TryGetValue(key, out var list)
                ? list.DistinctBy(r => r.Key).OrderBy(r => r.Key, StringComparer.Ordinal).ToList()
                : []));
    }

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Observation>>> GetObservationsOfAsync(
        IReadOnlyCollection<EntityKey> subjects, string? metric, CancellationToken cancellationToken)
    {
        var observations = subjects.Count == 0
            ? []
            : await ReadListAsync(SqliteSql.ObservationsOf, SqliteRows.ReadObservation, cancellationToken, ("$keys", KeysJson(subjects)), ("$metric", metric));
        return GroupBy(subjects, observations, o => o.Subject);
    }

    public async Task<IReadOnlyDictionary<EntityKey, IReadOnlyList<Quote>>> GetQuotesOfAsync(
        IReadOnlyCollection<EntityKey> speakers, CancellationToken cancellationToken)
    {
        var quotes = speakers.Count == 0
            ? []
            : await ReadListAsync(SqliteSql.QuotesOf, SqliteRows.ReadQuote, cancellationToken, ("$keys", KeysJson(speakers)));
        return GroupBy(speakers, quotes, q => q.Speaker);
    }

    public async Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        var sources = keys is null
            ? await ReadListAsync(SqliteSql.AllSources, SqliteRows.ReadSource, cancellationToken)
            : await ReadListAsync(SqliteSql.SourcesByKeys, SqliteRows.ReadSource, cancellationToken, ("$keys", SqliteJson.Write(keys)));
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
        var match = ToMatchExpression(query.Text);
        if (match is null || query.First <= 0)
        {
            return [];
        }

        // BM25 alone ranks a long text that repeats a word above the entity named by it; so the candidates are
        // re-ranked with entities whose name, alias or key is exactly what was typed (ignoring case and accents) first.
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(
            connection,
            SqliteSql.Search,
            ("$match", match),
            ("$kinds", KindsJson(query.Kinds)),
            ("$limit", query.First + 20));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var typed = Fold(query.Text);
        var hits = new List<SearchHit>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = SqliteRows.ReadEntity(reader);
            var exact = Fold(entity.Name.En) == typed || Fold(entity.Name.Fr) == typed || Fold(entity.Key.Value) == typed
                || entity.Aliases.Any(a => Fold(a.Text) == typed);
            hits.Add(new SearchHit(entity, Math.Round(reader.GetDouble(8) + (exact ? ExactMatchBonus : 0), 6)));
        }

        return hits.OrderByDescending(h => h.Score).ThenBy(h => h.Entity.Key.Value, StringComparer.Ordinal).Take(query.First).ToList();
    }

    private const double ExactMatchBonus = 100;

    private const int MaxSearchWords = 16;

    /// <summary>Lower case, accents removed, runs of anything but letters and digits as one space.</summary>
    internal static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Turns what a person typed into an FTS5 expression that cannot be anything but a list of words: each word is
    /// quoted (so FTS syntax in the input is inert) and every word must match. The last word is matched as a prefix,
    /// since it may still be being typed; the others as whole words, since a prefix of a common first name would match
    /// thousands of entities that ranking must then sort through. Case and accents are the tokenizer's to ignore.
    /// </summary>
    internal static string? ToMatchExpression(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text ?? string.Empty)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        if (words.Count == 0)
        {
            return null;
        }

        var terms = words.Take(MaxSearchWords).ToList();
        return string.Join(" AND ", terms.Select((word, i) => i == terms.Count - 1 ? $"\"{word}\"*" : $"\"{word}\""));
    }

    private static void AddParameters(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
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
            connection.CreateFunction<string, string>(SqliteFilterSql.FoldFunction, TextFold.Fold, isDeterministic: true);
            return connection;
        }
        catch (SqliteException exception)
        {
            await connection.DisposeAsync();
            throw new StoreUnavailableException("The embedded SQLite store cannot be opened.", exception);
        }
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
        SqliteConnection connection,
        string sql,
        (string Name, object? Value)[] parameters,
        Func<Relationship, EntityKey> owner,
        Dictionary<EntityKey, List<Relationship>> into,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var relationship = SqliteRows.ReadRelationship(reader);
            var key = owner(relationship);
            if (!into.TryGetValue(key, out var list))
            {
                into[key] = list = [];
            }

            list.Add(relationship);
        }
    }

    private static Dictionary<EntityKey, IReadOnlyList<T>> GroupBy<T>(IReadOnlyCollection<EntityKey> keys, List<T> items, Func<T, EntityKey> keyOf)
    {
        var groups = items.GroupBy(keyOf).ToDictionary(g => g.Key, g => (IReadOnlyList<T>)g.ToList());
        return keys.Distinct().ToDictionary(k => k, k => groups.TryGetValue(k, out var list) ? list : []);
    }

    private static string KeysJson(IEnumerable<EntityKey> keys) => SqliteJson.Write(keys.Select(k => k.Value));

    private static string? TypesJson(IReadOnlyCollection<RelationshipType>? types) =>
        types is null || types.Count == 0 ? null : SqliteJson.Write(types.Select(Vocabulary.ToWireName));

    private static string? KindsJson(IReadOnlyCollection<EntityKind>? kinds) =>
        kinds is null || kinds.Count == 0 ? null : SqliteJson.Write(kinds.Select(Vocabulary.ToWireName));

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
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
