using System.Globalization;
using KnowledgeGraph.Security;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>API keys in a table of the embedded database file (hashes only).</summary>
public sealed class SqliteApiKeyStore : IApiKeyStore
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS api_keys (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            role       TEXT NOT NULL,
            hash       TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        ) STRICT
        """;

    private const string Columns = "id, name, role, created_at, revoked_at";
    private const string ByHash = $"SELECT {Columns} FROM api_keys WHERE hash = $hash";
    private const string All = $"SELECT {Columns} FROM api_keys ORDER BY created_at, id";
    private const string Insert = "INSERT INTO api_keys (id, name, role, hash, created_at) VALUES ($id, $name, $role, $hash, $created_at)";
    private const string Revoke = "UPDATE api_keys SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL";

    private readonly string _connectionString;
    private int _created;

    public SqliteApiKeyStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SqliteThreading.EnsureConfigured();
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = options.DatabasePath, Pooling = true }.ToString();
    }

    public async Task<ApiKeyRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, ByHash, ("$hash", hash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task AddAsync(ApiKeyRecord key, string hash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, Insert, ("$id", key.Id), ("$name", key.Name), ("$role", key.Role.ToString()),
            ("$hash", hash), ("$created_at", key.CreatedAt.ToString("O", CultureInfo.InvariantCulture)));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, All);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, Revoke, ("$id", id), ("$at", at.ToString("O", CultureInfo.InvariantCulture)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static ApiKeyRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        Enum.Parse<ApiRole>(reader.GetString(2)),
        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        reader.IsDBNull(4) ? null : DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        if (Interlocked.Exchange(ref _created, 1) == 0)
        {
            await using var create = Command(connection, CreateTable);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return connection;
    }
}
