using System.Text;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Store.Sqlite;

namespace KnowledgeGraph.IntegrationTests.Stores;

/// <summary>
/// Parsed JSON columns are kept by their exact text (<see cref="SqliteParsedJson{T}"/>): an equal text gets the value
/// parsed before, any other text is parsed, the table never holds more than its slots, and a text that does not parse
/// leaves nothing behind.
/// </summary>
public sealed class SqliteParsedJsonTests
{
    [Fact]
    public void An_equal_text_gets_the_value_parsed_before_and_another_text_is_parsed()
    {
        var parses = 0;
        var parsed = new SqliteParsedJson<LocalizedText>(16, json =>
        {
            parses++;
            return SqliteJson.Read<LocalizedText>(json);
        });

        var first = parsed.Get(Utf8("""{"en":"Signal","fr":"Signal"}"""));
        var again = parsed.Get(Utf8("""{"en":"Signal","fr":"Signal"}"""));
        var other = parsed.Get(Utf8("""{"en":"Signal","fr":"Signal "}"""));

        Assert.Same(first, again);
        Assert.Equal(new LocalizedText("Signal", "Signal "), other);
        Assert.Equal(2, parses);
        Assert.Equal(2, parsed.Count);
    }

    [Fact]
    public void A_table_of_one_slot_keeps_the_last_text_and_still_answers_every_text_right()
    {
        var parsed = new SqliteParsedJson<LocalizedText>(1, SqliteJson.Read<LocalizedText>);
        var texts = Enumerable.Range(0, 50).Select(i => new LocalizedText($"en {i}", $"fr {i} é")).ToList();

        foreach (var round in Enumerable.Range(0, 3))
        {
            Assert.All(texts, text => Assert.Equal(text, parsed.Get(Utf8(SqliteJson.Write(text)))));
        }

        Assert.Equal(1, parsed.Count);
    }

    [Fact]
    public void A_text_that_does_not_parse_throws_and_is_not_kept()
    {
        var parsed = new SqliteParsedJson<LocalizedText>(8, SqliteJson.Read<LocalizedText>);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => parsed.Get(Utf8("""{"en":""")));
        Assert.Equal(0, parsed.Count);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => parsed.Get(Utf8("""{"en":""")));
    }

    [Fact]
    public void Citations_read_twice_are_one_shared_list_equal_to_what_the_serializer_reads()
    {
        var column = """[{"source":"whatsapp-privacy-exodus-2021","excerpt":"Télégramme « chiffré »","start":3,"end":25}]""";
        var first = SqliteColumnJson.ReadCitations(Utf8(column));
        var again = SqliteColumnJson.ReadCitations(Utf8(column));

        Assert.Same(first, again);
        Assert.Equal(SqliteJson.Read<List<Citation>>(column), first);
        Assert.Empty(SqliteColumnJson.ReadCitations(Utf8("[]")));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
