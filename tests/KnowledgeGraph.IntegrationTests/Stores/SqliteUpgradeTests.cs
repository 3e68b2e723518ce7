using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>A file written by an earlier version of the embedded store is upgraded when the store first opens it.</summary>
public sealed class SqliteUpgradeTests : IDisposable
{
    // The sources table of versions 1 to 3, before sources had a retrieval date.
    private const string Version3Sources = """
        CREATE TABLE IF NOT EXISTS sources (
            key          TEXT PRIMARY KEY,
            title_en     TEXT NOT NULL,
            title_fr     TEXT NOT NULL,
            language     TEXT NOT NULL,
            published_on TEXT NOT NULL,
            url          TEXT,
            text         TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        """;

    // The tables version 1 of the store created (its CreateSchema, as it was), without the journal mode.
    private const string Version1Schema = $"""
        CREATE TABLE IF NOT EXISTS meta (
            name  TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;
        {Version3Sources}
        CREATE TABLE IF NOT EXISTS entities (
            key            TEXT PRIMARY KEY,
            kind           TEXT NOT NULL,
            name_en        TEXT NOT NULL,
            name_fr        TEXT NOT NULL,
            description_en TEXT NOT NULL,
            description_fr TEXT NOT NULL,
            aliases        TEXT NOT NULL,
            citations      TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        CREATE INDEX IF NOT EXISTS entities_by_kind ON entities (kind, key);
        CREATE INDEX IF NOT EXISTS entities_by_name_en ON entities (name_en COLLATE NOCASE, key);
        CREATE INDEX IF NOT EXISTS entities_by_name_fr ON entities (name_fr COLLATE NOCASE, key);
        CREATE TABLE IF NOT EXISTS relationships (
            key        TEXT PRIMARY KEY,
            type       TEXT NOT NULL,
            from_key   TEXT NOT NULL REFERENCES entities (key),
            to_key     TEXT NOT NULL REFERENCES entities (key),
            properties TEXT NOT NULL,
            citations  TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        CREATE INDEX IF NOT EXISTS relationships_by_from ON relationships (from_key, type, key);
        CREATE INDEX IF NOT EXISTS relationships_by_to ON relationships (to_key, type, key);
        CREATE TABLE IF NOT EXISTS observations (
            key          TEXT PRIMARY KEY,
            subject      TEXT NOT NULL REFERENCES entities (key),
            metric       TEXT NOT NULL,
            value        TEXT NOT NULL,
            unit         TEXT NOT NULL,
            precision    TEXT NOT NULL,
            period_start TEXT,
            period_end   TEXT,
            duration     TEXT,
            region       TEXT REFERENCES entities (key),
            note         TEXT,
            citations    TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        CREATE INDEX IF NOT EXISTS observations_by_subject ON observations (subject, metric, key);
        CREATE TABLE IF NOT EXISTS quotes (
            key         TEXT PRIMARY KEY,
            speaker     TEXT NOT NULL REFERENCES entities (key),
            text        TEXT NOT NULL,
            language    TEXT NOT NULL,
            translation TEXT,
            citations   TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'seed'
        ) STRICT;
        CREATE INDEX IF NOT EXISTS quotes_by_speaker ON quotes (speaker, key);
        CREATE TABLE IF NOT EXISTS history (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            record_type TEXT NOT NULL,
            record_key  TEXT NOT NULL,
            outcome     TEXT NOT NULL,
            actor       TEXT NOT NULL,
            at          TEXT NOT NULL,
            reason      TEXT,
            snapshot    TEXT NOT NULL,
            revision    INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS history_by_record ON history (record_type, record_key, id);
        CREATE VIRTUAL TABLE IF NOT EXISTS entity_search USING fts5 (
            key UNINDEXED,
            names,
            aliases,
            descriptions,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """;

    private readonly TemporaryDirectory _directory = new("kg-upgrade");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_version_1_file_is_upgraded_on_first_read_keeping_its_graph_and_ending_with_the_current_schema()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        var current = Store("current.db");
        await current.ApplySeedAsync(seed, CancellationToken.None);
        await WriteVersion1CopyAsync(from: "current.db", to: "version1.db");
        var keys = seed.Graph.Entities.Select(e => e.Key).ToList();
        var upgraded = Store("version1.db");

        var entities = await upgraded.GetEntitiesAsync(keys, CancellationToken.None);
        var telegramme = await upgraded.SearchAsync(new SearchQuery("telegramme", null, 5), CancellationToken.None);
        var reseeded = await upgraded.ApplySeedAsync(seed, CancellationToken.None);

        Assert.Equal(await SchemaAsync("current.db"), await SchemaAsync("version1.db"));
        Assert.Equal(seed.Graph.Entities.Select(e => (e.Key, e.Name)), keys.Select(k => (k, entities[k].Name)));
        Assert.Equal("telegram", telegramme[0].Entity.Key.Value);
        Assert.Equal(
            await SearchResultsAsync(current, seed),
            await SearchResultsAsync(upgraded, seed));
        Assert.False(reseeded.Changed);
        Assert.Equal(
            await ScalarAsync("current.db", "SELECT group_concat(rowid || ':' || names, '|' ORDER BY rowid) FROM entity_search"),
            await ScalarAsync("version1.db", "SELECT group_concat(rowid || ':' || names, '|' ORDER BY rowid) FROM entity_search"));
        Assert.Equal("4", await ScalarAsync("version1.db", "SELECT value FROM meta WHERE name = 'schema_version'"));
        // The facts of before provenance read as they were: STATED, dated as the source states. (The version 1 copy
        // cannot hold the seed's provenance, such as the 72-hour figure REPORTED by Pavel Durov.)
        var observations = seed.Graph.Observations.Select(o => o.Key).ToList();
        Assert.Contains((await current.GetObservationsAsync(observations, CancellationToken.None)).Values, o => o.Provenance.Basis == Basis.Reported);
        Assert.All((await upgraded.GetObservationsAsync(observations, CancellationToken.None)).Values, o => Assert.Equal(FactProvenance.Stated, o.Provenance));
        Assert.All((await upgraded.GetObservationsAsync(observations, CancellationToken.None)).Values.Where(o => o.PeriodStart is not null), o => Assert.Equal(DateBasis.Stated, o.DateBasis));
        Assert.Null(await ScalarAsync("version1.db", "SELECT * FROM pragma_foreign_key_check"));
    }

    [Fact]
    public async Task A_version_3_file_gets_the_sources_retrieval_date_keeping_its_sources_and_ending_with_the_current_schema()
    {
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        var current = Store("current.db");
        await current.ApplySeedAsync(seed, CancellationToken.None);
        await WriteVersion1CopyAsync(from: "current.db", to: "version3.db");
        await Store("version3.db").GetEntitiesAsync([new EntityKey("telegram")], CancellationToken.None);
        SqliteConnection.ClearAllPools();
        // Back to version 3 as it was: its sources table had no retrieved_on column.
        await ScalarAsync("version3.db", $"""
            ALTER TABLE sources RENAME TO sources_v4;
            {Version3Sources}
            INSERT INTO sources SELECT key, title_en, title_fr, language, published_on, url, text, origin FROM sources_v4;
            DROP TABLE sources_v4;
            UPDATE meta SET value = '3' WHERE name = 'schema_version';
            """);
        Assert.Equal(0L, await ScalarAsync("version3.db", "SELECT count(*) FROM pragma_table_info('sources') WHERE name = 'retrieved_on'"));

        var upgraded = Store("version3.db");
        var sources = (await upgraded.GetSourcesAsync(null, CancellationToken.None)).Values.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        var written = await upgraded.WriteAsync(
            GraphWrite.Empty with { Sources = [sources[0] with { RetrievedOn = "2026-11-30" }] },
            new WriteActor("upgrade-test", "editor"),
            CancellationToken.None);

        Assert.Equal(await SchemaAsync("current.db"), await SchemaAsync("version3.db"));
        Assert.Equal("4", await ScalarAsync("version3.db", "SELECT value FROM meta WHERE name = 'schema_version'"));
        Assert.Equal(seed.Graph.Sources.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Text)), sources.Select(s => (s.Key, s.Text)));
        Assert.All(sources, s => Assert.Null(s.RetrievedOn));
        Assert.True(written.ChangedAnything);
        Assert.Equal("2026-11-30", (await upgraded.GetSourcesAsync([sources[0].Key], CancellationToken.None))[sources[0].Key].RetrievedOn);
    }

    [Fact]
    public async Task After_the_upgrade_relationships_still_refuse_an_entity_that_does_not_exist()
    {
        var current = Store("current.db");
        await current.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        await WriteVersion1CopyAsync(from: "current.db", to: "version1.db");
        await Store("version1.db").GetEntitiesAsync([new EntityKey("telegram")], CancellationToken.None);

        await using var connection = await OpenAsync("version1.db");
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO relationships (key, type, from_key, to_key, properties, citations)
            VALUES ('telegram-owns-nowhere', 'OWNS', 'telegram', 'nowhere', '{}', '[]')
            """;

        var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("FOREIGN KEY", refused.Message, StringComparison.Ordinal);
    }

    private SqliteGraphStore Store(string file) => new(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = file });

    private static async Task<string> SearchResultsAsync(SqliteGraphStore store, LoadedSeed seed)
    {
        var lines = new List<string>();
        foreach (var entity in seed.Graph.Entities)
        {
            var hits = await store.SearchAsync(new SearchQuery(entity.Name.Fr, null, 5), CancellationToken.None);
            lines.Add($"{entity.Name.Fr}: {string.Join(", ", hits.Select(h => $"{h.Entity.Key.Value} {h.Score}"))}");
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// The graph of <paramref name="from"/> as version 1 of the store kept it: no entity ids, search rows by key.
    /// Search rows are written in the opposite order, so that their rowids are not the entities' numbers.
    /// </summary>
    private async Task WriteVersion1CopyAsync(string from, string to)
    {
        await using var connection = await OpenAsync(to);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            {Version1Schema}
            ATTACH DATABASE $from AS current;
            INSERT INTO meta SELECT * FROM current.meta;
            UPDATE meta SET value = '1' WHERE name = 'schema_version';
            INSERT INTO sources SELECT key, title_en, title_fr, language, published_on, url, text, origin FROM current.sources;
            INSERT INTO entities SELECT key, kind, name_en, name_fr, description_en, description_fr, aliases, citations, origin
            FROM current.entities ORDER BY id;
            INSERT INTO relationships SELECT key, type, from_key, to_key, properties, citations, origin FROM current.relationships;
            INSERT INTO observations SELECT key, subject, metric, value, unit, precision, period_start, period_end, duration, region, note, citations, origin
            FROM current.observations;
            INSERT INTO quotes SELECT * FROM current.quotes;
            INSERT INTO history SELECT * FROM current.history;
            INSERT INTO entity_search (key, names, aliases, descriptions)
            SELECT e.key, s.names, s.aliases, s.descriptions FROM current.entity_search AS s JOIN current.entities AS e ON e.id = s.rowid
            ORDER BY e.id DESC;
            DETACH DATABASE current;
            """;
        command.Parameters.AddWithValue("$from", Path.Combine(_directory.Path, from));
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteConnection> OpenAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, file)};Pooling=False;Foreign Keys=True");
        await connection.OpenAsync();
        return connection;
    }

    private async Task<object?> ScalarAsync(string file, string sql)
    {
        await using var connection = await OpenAsync(file);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private async Task<string> SchemaAsync(string file)
    {
        await using var connection = await OpenAsync(file);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name";
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)} {(reader.IsDBNull(3) ? string.Empty : reader.GetString(3))}");
        }

        return string.Join('\n', lines);
    }
}
