using System.Globalization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Sqlite;
using KnowledgeGraph.Testing;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// The embedded store's indexes of folded names: a name condition's <c>eq</c> and <c>startsWith</c> seek them, and <c>contains</c> scans them, rather
/// than fold every name, and a file made before them, or folded by another <see cref="TextFold.Version"/>, gets them
/// (re)built when the store opens it.
/// </summary>
public sealed class SqliteNameFoldTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("kg-name-fold");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Theory]
    [InlineData(TextMatch.Equals, "whatsapp")]
    [InlineData(TextMatch.StartsWith, "whats")]
    [InlineData(TextMatch.StartsWith, "οδυσσ")]
    public async Task Name_eq_and_startswith_search_the_fold_indexes_of_both_languages(TextMatch match, string text)
    {
        var store = Store("plan.db");
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        var statements = SqliteFilterSql.EntityList(new EntityQuery(Where: new NameMatches(match, text), First: 20));

        var plan = await PlanAsync("plan.db", statements.Count, statements.Parameters);

        Assert.Contains("entities_by_fold_en", plan, StringComparison.Ordinal);
        Assert.Contains("entities_by_fold_fr", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Name_contains_finds_the_entities_whose_folded_names_hold_the_text()
    {
        var store = Store("contains.db");
        var seed = await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None);
        await store.ApplySeedAsync(seed, CancellationToken.None);
        var expected = seed.Graph.Entities
            .Where(e => TextFold.Fold(e.Name.En).Contains("atsap", StringComparison.Ordinal) || TextFold.Fold(e.Name.Fr).Contains("atsap", StringComparison.Ordinal))
            .Select(e => e.Key.Value).Order(StringComparer.Ordinal).ToList();

        var page = await store.ListEntitiesAsync(new EntityQuery(Where: new NameMatches(TextMatch.Contains, "atsap"), First: 100), CancellationToken.None);

        Assert.Contains("whatsapp", expected);
        Assert.Equal(expected, page.Items.Select(i => i.Entity.Key.Value));
    }

    [Theory]
    [InlineData(TextMatch.Contains, "atsap")]
    [InlineData(TextMatch.Contains, "zq-nothing")]
    [InlineData(TextMatch.StartsWith, "a\U0010FFFF")]
    public async Task Name_contains_reads_folded_names_from_the_indexes_and_folds_no_name_again(TextMatch match, string text)
    {
        await SeededFileAsync("scan.db");
        var entities = Convert.ToInt64(await ScalarAsync("scan.db", "SELECT count(*) FROM entities"), CultureInfo.InvariantCulture);
        var statements = SqliteFilterSql.EntityList(new EntityQuery(Where: new NameMatches(match, text), First: 20));
        var folded = 0;
        await using var connection = await OpenAsync("scan.db", name =>
        {
            folded++;
            return TextFold.Fold(name);
        });

        foreach (var sql in new[] { statements.Count, statements.Page.Replace("$limit", "21", StringComparison.Ordinal) })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in statements.Parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        // A scan of the table would fold both names of every entity, for the count and again for the page.
        Assert.True(entities > 10, $"the seed has {entities} entities");
        Assert.Equal(0, folded);
    }

    [Theory]
    [InlineData("abc", "abd")]
    [InlineData("a\uffff", "a\U00010000")]
    [InlineData("a\ud7ff", "a\ue000")]
    [InlineData("\U0001F600", "\U0001F601")]
    [InlineData("a\U0010FFFF", null)]
    [InlineData("", null)]
    public void Past_a_prefix_is_the_prefix_with_its_last_code_point_moved_on(string prefix, string? past) =>
        Assert.Equal(past, SqliteFilterSql.PastPrefix(prefix));

    [Fact]
    public void A_prefix_ending_in_half_a_surrogate_pair_has_no_text_past_it() =>
        Assert.Null(SqliteFilterSql.PastPrefix("a" + (char)0xD800));

    [Fact]
    public async Task A_file_without_the_fold_indexes_gets_them_when_the_store_first_opens_it()
    {
        await SeededFileAsync("old.db");
        await ExecuteAsync("old.db", "DROP INDEX entities_by_fold_en; DROP INDEX entities_by_fold_fr; DELETE FROM meta WHERE name = 'name_fold';");

        var page = await Store("old.db").ListEntitiesAsync(new EntityQuery(Where: new NameMatches(TextMatch.Equals, "whatsapp"), First: 20), CancellationToken.None);

        Assert.Equal(["whatsapp"], page.Items.Select(i => i.Entity.Key.Value));
        Assert.Equal(2L, await ScalarAsync("old.db", "SELECT count(*) FROM sqlite_schema WHERE name IN ('entities_by_fold_en', 'entities_by_fold_fr')"));
        Assert.Equal(TextFold.Version, await ScalarAsync("old.db", "SELECT value FROM meta WHERE name = 'name_fold'"));
    }

    [Fact]
    public async Task Fold_indexes_built_by_another_fold_are_rebuilt_so_name_conditions_answer_as_the_fold_says()
    {
        await SeededFileAsync("stale.db");
        // As if an earlier TextFold had folded nothing: the indexes hold the names as they are ("WhatsApp").
        await ExecuteAsync(
            "stale.db",
            "DROP INDEX entities_by_fold_en; DROP INDEX entities_by_fold_fr; UPDATE meta SET value = 'earlier' WHERE name = 'name_fold';"
            + "CREATE INDEX entities_by_fold_en ON entities (kg_fold(name_en)); CREATE INDEX entities_by_fold_fr ON entities (kg_fold(name_fr));",
            fold: text => text);

        var page = await Store("stale.db").ListEntitiesAsync(new EntityQuery(Where: new NameMatches(TextMatch.Equals, "whatsapp"), First: 20), CancellationToken.None);

        Assert.Equal(["whatsapp"], page.Items.Select(i => i.Entity.Key.Value));
        Assert.Equal(TextFold.Version, await ScalarAsync("stale.db", "SELECT value FROM meta WHERE name = 'name_fold'"));
    }

    private SqliteGraphStore Store(string file) => new(new SqliteStoreOptions { DataDirectory = _directory.Path, FileName = file });

    private async Task SeededFileAsync(string file)
    {
        using var store = Store(file);
        await store.ApplySeedAsync(await SeedLoader.LoadAsync(RepositoryPaths.Seed, CancellationToken.None), CancellationToken.None);
        SqliteConnection.ClearAllPools();
    }

    private async Task<SqliteConnection> OpenAsync(string file, Func<string, string>? fold = null)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory.Path, file)};Pooling=False");
        await connection.OpenAsync();
        connection.CreateFunction(SqliteFilterSql.FoldFunction, fold ?? TextFold.Fold, isDeterministic: true);
        return connection;
    }

    private async Task ExecuteAsync(string file, string sql, Func<string, string>? fold = null)
    {
        await using var connection = await OpenAsync(file, fold);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string file, string sql)
    {
        await using var connection = await OpenAsync(file);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private async Task<string> PlanAsync(string file, string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        await using var connection = await OpenAsync(file);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }
}
