using KnowledgeGraph.Store.Sqlite;
using Microsoft.Data.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// The keys of a batched read reach SQLite as a JSON array written straight to a writer: the same text the serializer
/// makes, and SQLite's <c>json_each</c> reads back exactly the strings sent, whatever they hold.
/// </summary>
public sealed class SqliteKeysJsonTests
{
    private static readonly string[][] Cases =
    [
        [],
        ["whatsapp"],
        ["elon-musk", "telegram", "signal"],
        ["l'été «privé»", "quote \" and backslash \\", "tab\tnewline\n", "emoji 🔒", "\u0001control", "<script>&amp;", "日本語"],
    ];

    [Fact]
    public void The_text_is_the_serializers_for_every_kind_of_string()
    {
        Assert.All(Cases, keys => Assert.Equal(SqliteJson.Write(keys), SqliteJson.WriteStrings(keys)));
    }

    [Fact]
    public void Json_each_reads_back_every_string_sent()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        foreach (var keys in Cases)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM json_each($keys) ORDER BY key";
            command.Parameters.AddWithValue("$keys", SqliteJson.WriteStrings(keys));
            using var reader = command.ExecuteReader();
            var read = new List<string>();
            while (reader.Read())
            {
                read.Add(reader.GetString(0));
            }

            Assert.Equal(keys, read);
        }
    }
}
