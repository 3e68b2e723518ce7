using System.Text;
using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using KnowledgeGraph.Writes;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// The hot reads go straight to SQLite's statement (<see cref="SqlitePreparedRead"/>) instead of through
/// Microsoft.Data.Sqlite's reader. These tests hold it to what the reader did: the same records from the same rows,
/// text outside ASCII, NULLs and empty text told apart, parameters bound by name and refused when missing, a run that
/// ends (or fails, or is cancelled) leaves the statement ready for the next, and a writer's lock is waited out.
/// </summary>
public sealed class SqlitePreparedReadTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-prepared-read");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Every_stored_record_reads_the_same_from_the_statement_as_from_the_data_reader()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        using (var store = new SqliteGraphStore(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = "same.db" }))
        {
            await store.ApplySeedAsync(seed, CancellationToken.None);
        }

        using var connection = Open("same.db");
        var compared = 0;
        foreach (var (sql, read, readRow) in new (string, Func<SqliteDataReader, object>, Func<StatementRow, object>)[]
        {
            ($"SELECT {SqliteSql.EntityColumns} FROM entities ORDER BY key", SqliteRows.ReadEntity, r => SqliteRows.ReadEntity(r)),
            ($"SELECT {SqliteSql.RelationshipColumns} FROM relationships ORDER BY key", SqliteRows.ReadRelationship, r => SqliteRows.ReadRelationship(r)),
        })
        {
            var expected = new List<string>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = sql;
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    expected.Add(RecordSnapshot.Of(read(reader)));
                }
            }

            using var statement = SqlitePreparedRead.Prepare(connection, sql);
            var actual = new List<string>();
            using (var rows = statement.Run([], CancellationToken.None))
            {
                while (rows.Next())
                {
                    actual.Add(RecordSnapshot.Of(readRow(rows.Row)));
                }
            }

            Assert.NotEmpty(expected);
            Assert.Equal(expected, actual);
            compared += actual.Count;
        }

        // Every entity and relationship of the seed, their citations in French among them.
        Assert.Equal(seed.Graph.Entities.Count + seed.Graph.Relationships.Count, compared);
    }

    [Fact]
    public void Text_outside_ascii_empty_text_nulls_and_numbers_read_as_stored()
    {
        using var connection = Open("values.db");
        const string French = "Télégramme « chiffré » : l’exode, 2021 🚀";
        using var statement = SqlitePreparedRead.Prepare(connection, "SELECT $text, '', NULL, 2.5, 9007199254740993, CAST($text AS BLOB)");
        using var rows = statement.Run([("$text", French)], CancellationToken.None);

        Assert.True(rows.Next());
        var row = rows.Row;
        Assert.Equal(French, row.GetString(0));
        Assert.Equal(French, row.GetStringOrNull(0));
        Assert.Equal(Encoding.UTF8.GetBytes(French), row.GetUtf8(0));
        Assert.False(row.IsNull(1));
        Assert.Equal(string.Empty, row.GetString(1));
        Assert.Empty(row.GetUtf8(1));
        Assert.True(row.IsNull(2));
        Assert.Null(row.GetStringOrNull(2));
        Assert.Throws<InvalidDataException>(() => row.GetString(2));
        Assert.Throws<InvalidDataException>(() => row.GetUtf8(2));
        Assert.Equal(2.5, row.GetDouble(3));
        Assert.Equal(9007199254740993L, row.GetInt64(4));
        Assert.Equal(French, row.GetString(5));
        Assert.False(rows.Next());
        Assert.False(rows.Next());
    }

    [Fact]
    public void Parameters_are_bound_by_name_each_run_and_a_missing_one_is_refused()
    {
        using var connection = Open("parameters.db");
        using var statement = SqlitePreparedRead.Prepare(connection, "SELECT value FROM json_each($keys) WHERE $kind IS NULL OR value = $kind ORDER BY value");

        Assert.Equal(["a", "b", "c"], Strings(statement, ("$keys", """["c","a","b"]"""), ("$kind", null)));
        Assert.Equal(["b"], Strings(statement, ("$kind", "b"), ("$keys", """["a","b"]"""), ("$unused", 1)));
        Assert.Equal(["x"], Strings(statement, ("$keys", """["x"]"""), ("$kind", DBNull.Value)));

        var missing = Assert.Throws<ArgumentException>(() => statement.Run([("$keys", "[]")], CancellationToken.None));
        Assert.Contains("$kind", missing.Message, StringComparison.Ordinal);
        var unsupported = Assert.Throws<ArgumentException>(() => statement.Run([("$keys", "[]"), ("$kind", new object())], CancellationToken.None));
        Assert.Contains("$kind", unsupported.Message, StringComparison.Ordinal);

        // Neither refusal left a run open: the statement runs again.
        Assert.Equal(["z"], Strings(statement, ("$keys", """["z"]"""), ("$kind", null)));
    }

    [Fact]
    public void A_text_of_no_statement_or_of_two_is_refused_and_bad_sql_says_why()
    {
        using var connection = Open("texts.db");
        Assert.Throws<ArgumentException>(() => SqlitePreparedRead.Prepare(connection, "  "));
        Assert.Throws<ArgumentException>(() => SqlitePreparedRead.Prepare(connection, "SELECT 1; SELECT 2"));
        var error = Assert.Throws<SqliteException>(() => SqlitePreparedRead.Prepare(connection, "SELECT FROM nowhere"));
        Assert.Contains("syntax error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_ended_early_failed_or_cancelled_leaves_the_statement_idle_and_ready()
    {
        using var connection = Open("runs.db");
        using var statement = SqlitePreparedRead.Prepare(connection, "SELECT json_extract(value, '$.n') FROM json_each($rows)");
        var handle = StatementHandle(statement, connection);

        // Ended after one row of two: the statement is reset, so it holds no read transaction.
        using (var rows = statement.Run([("$rows", """[{"n":"one"},{"n":"two"}]""")], CancellationToken.None))
        {
            Assert.True(rows.Next());
            Assert.Equal("one", rows.Row.GetString(0));
            Assert.True(SqliteIntrospection.Busy(handle));
            Assert.Throws<InvalidOperationException>(() => statement.Run([("$rows", "[]")], CancellationToken.None));
        }

        Assert.False(SqliteIntrospection.Busy(handle));

        // A row SQLite cannot compute: its own error, then the statement runs again.
        using (var rows = statement.Run([("$rows", """[{"n":"fine"},"{not json"]""")], CancellationToken.None))
        {
            Assert.True(rows.Next());
            var error = Assert.Throws<SqliteException>(() => rows.Next());
            Assert.Contains("JSON", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.False(rows.Next());
        }

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using (var rows = statement.Run([("$rows", """[{"n":"never"}]""")], cancelled.Token))
        {
            Assert.Throws<OperationCanceledException>(() => rows.Next());
        }

        Assert.False(SqliteIntrospection.Busy(handle));
        Assert.Equal(["again"], Strings(statement, ("$rows", """[{"n":"again"}]""")));
    }

    [Fact]
    public async Task A_writers_lock_is_waited_out_and_past_the_timeout_it_is_SQLites_busy_error()
    {
        // Rollback-journal mode, where a writer's exclusive lock keeps readers out (WAL lets them in).
        using (var setup = Open("locked.db"))
        using (var command = setup.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = DELETE; CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept');";
            command.ExecuteNonQuery();
        }

        using var writer = Open("locked.db");
        using var reader = Open("locked.db", timeoutSeconds: 1);
        using var statement = SqlitePreparedRead.Prepare(reader, "SELECT v FROM t");

        Lock(writer);
        var error = Assert.Throws<SqliteException>(() => Strings(statement));
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
        Unlock(writer);

        // Released while the read waits: it gets the row.
        Lock(writer);
        var release = Task.Run(async () =>
        {
            await Task.Delay(200);
            Unlock(writer);
        });
        Assert.Equal(["kept"], Strings(statement));
        await release;

        static void Lock(SqliteConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "BEGIN EXCLUSIVE";
            command.ExecuteNonQuery();
        }

        static void Unlock(SqliteConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "COMMIT";
            command.ExecuteNonQuery();
        }
    }

    [Fact]
    public void A_kept_connections_statements_are_finalised_before_it_closes()
    {
        using (var setup = Open("finalised.db"))
        using (var command = setup.CreateCommand())
        {
            command.CommandText = "CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('one');";
            command.ExecuteNonQuery();
        }

        // A pooled connection goes back to the pool open when disposed, with Microsoft.Data.Sqlite's own statements
        // finalised: any statement left on it is one of ours, leaked.
        var statements = new SqliteStatements(Open("finalised.db", pooled: true));
        Assert.Equal(["one"], Strings(statements, "SELECT v FROM t"));
        var db = statements.Connection.Handle!;
        Assert.NotEmpty(SqliteIntrospection.Statements(db.DangerousGetHandle()));

        statements.Dispose();
        Assert.False(db.IsInvalid, "the pool keeps the connection open");
        Assert.Empty(SqliteIntrospection.Statements(db.DangerousGetHandle()));
    }

    private SqliteConnection Open(string file, int timeoutSeconds = 30, bool pooled = false)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory.Path, file),
            DefaultTimeout = timeoutSeconds,
            Pooling = pooled,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static List<string> Strings(SqlitePreparedRead statement, params (string Name, object? Value)[] parameters) =>
        Strings(statement.Run(parameters, CancellationToken.None));

    private static List<string> Strings(SqliteStatements statements, string sql) => Strings(statements.Read(sql, CancellationToken.None));

    private static List<string> Strings(SqlitePreparedRead.Cursor rows)
    {
        using (rows)
        {
            var found = new List<string>();
            while (rows.Next())
            {
                found.Add(rows.Row.GetString(0));
            }

            return found;
        }
    }

    // The statement's own handle, found among the connection's: the only one there.
    private static nint StatementHandle(SqlitePreparedRead statement, SqliteConnection connection)
    {
        var handle = Assert.Single(SqliteIntrospection.Statements(connection.Handle!.DangerousGetHandle()));
        Assert.Equal(statement.Sql, SqliteIntrospection.Sql(handle));
        return handle;
    }
}
