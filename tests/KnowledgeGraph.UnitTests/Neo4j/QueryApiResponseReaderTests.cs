using System.Text;
using System.Text.Json;
using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.UnitTests.Neo4j;

public class QueryApiResponseReaderTests
{
    private static QueryApiResponse Read(string fixture) => QueryApiResponseReader.Read(Encoding.UTF8.GetBytes(RepoPaths.Fixture(fixture)));

    [Fact]
    public void A_node_and_a_string_decode_with_their_fields_and_bookmarks()
    {
        var response = Read("node-and-string.json");

        Assert.Equal(["person", "name"], response.Result.Fields);
        var record = Assert.Single(response.Result.Records);
        var node = record.Get<CypherNode>("person");
        Assert.Equal("4:ff04df25-ff2b-4b55-98f8-6888297b025e:2", node.ElementId);
        Assert.Equal(["Person"], node.Labels);
        Assert.Equal("Phil", node.Get<string>("name"));
        Assert.Equal("Phil", record.Get<string>("name"));
        Assert.Equal(["FB:kcwQ/wTfJf8rS1WY+GiIKXsCXg6Q"], response.Result.Bookmarks);
        Assert.Empty(response.Errors);
    }

    [Fact]
    public void Typed_scalars_decode_without_losing_precision()
    {
        var record = Assert.Single(Read("scalars.json").Result.Records);

        Assert.Equal(9007199254740993L, record.Get<long>("integer")); // not representable as a double
        Assert.Equal(4.56, record.Get<double>("float"));
        Assert.True(record.Get<bool>("boolean"));
        Assert.Null(record["null"]);
        Assert.Equal(new object?[] { "A", 2L }, record.Get<IReadOnlyList<object?>>("list"));
        var map = record.Get<IReadOnlyDictionary<string, object?>>("map");
        Assert.Equal("A", map["fieldA"]);
        Assert.True(double.IsNaN((double)map["fieldB"]!));
        Assert.Equal("2015-03-26", record.Get<string>("date"));
        Assert.Equal(new byte[] { 0x03, 0x6f, 0xbf }, record.Get<byte[]>("bytes"));
        Assert.Equal("P14DT16H12M", record.Get<string>("duration"));
    }

    [Fact]
    public void Relationships_decode_with_type_ends_and_properties()
    {
        var records = Read("relationships-of-entities.json").Result.Records;

        Assert.Equal(2, records.Count);
        var owns = records[0].Get<CypherRelationship>("r");
        Assert.Equal("OWNS", owns.Type);
        Assert.Equal("4:ff04df25-ff2b-4b55-98f8-6888297b025e:0", owns.StartNodeElementId);
        Assert.Equal("4:ff04df25-ff2b-4b55-98f8-6888297b025e:1", owns.EndNodeElementId);
        Assert.Equal("facebook-owns-whatsapp", owns.Get<string>("key"));
    }

    [Fact]
    public void A_path_decodes_to_its_nodes_and_relationships_in_walking_order()
    {
        var path = Assert.Single(Read("shortest-path.json").Result.Records).Get<CypherPath>("p");

        Assert.Equal(["whatsapp", "facebook", "facebook-privacy-scandals"], path.Nodes.Select(n => n.Get<string>("key")));
        Assert.Equal(["OWNS", "INVOLVED_IN"], path.Relationships.Select(r => r.Type));
    }

    [Fact]
    public void Plain_json_answers_decode_too_should_a_server_not_speak_typed_json()
    {
        var record = Assert.Single(Read("plain-json-path.json").Result.Records);

        var path = record.Get<CypherPath>("p");
        Assert.Equal(["Alice", "Phil"], path.Nodes.Select(n => n.Get<string>("name")));
        Assert.Equal(42L, path.Nodes[0].Get<long>("age"));
        var likes = Assert.Single(path.Relationships);
        Assert.Equal(("LIKES", path.Nodes[0].ElementId, path.Nodes[1].ElementId), (likes.Type, likes.StartNodeElementId, likes.EndNodeElementId));
        Assert.Equal(3L, record.Get<long>("count"));
    }

    [Fact]
    public void A_path_whose_nodes_do_not_frame_its_relationships_is_rejected()
    {
        const string body = """
            {"data":{"fields":["p"],"values":[[{"$type":"Path","_value":[
              {"$type":"Relationship","_value":{"_element_id":"5:x:1","_start_node_element_id":"4:x:1","_end_node_element_id":"4:x:2","_type":"OWNS","_properties":{}}}
            ]}]]}}
            """;

        Assert.Throws<JsonException>(() => QueryApiResponseReader.Read(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("error-unauthorized.json", "Neo.ClientError.Security.Unauthorized", false)]
    [InlineData("error-syntax.json", "Neo.ClientError.Statement.SyntaxError", false)]
    [InlineData("error-transient.json", "Neo.TransientError.General.DatabaseUnavailable", true)]
    public void Errors_decode_with_their_code_and_whether_they_are_transient(string fixture, string code, bool transient)
    {
        var error = Assert.Single(Read(fixture).Errors);

        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrEmpty(error.Message));
        Assert.Equal(transient, error.IsTransient);
    }

    [Fact]
    public void An_opened_transaction_gives_its_id_and_expiry()
    {
        var transaction = Read("transaction-open.json").Transaction;

        Assert.NotNull(transaction);
        Assert.Equal("lyU", transaction.Id);
        Assert.Equal("2024-10-22T15:48:29Z", transaction.Expires);
    }

    [Fact]
    public void A_commit_gives_the_bookmark_of_the_committed_state()
    {
        var response = Read("transaction-commit.json");

        Assert.Equal(["FB:kcwQy9mp3ioyRom386bZDRRcuCiQ"], response.Result.Bookmarks);
        Assert.Null(response.Transaction);
    }

    [Fact]
    public void A_record_with_fewer_values_than_fields_is_rejected()
    {
        const string body = """{"data":{"fields":["a","b"],"values":[[{"$type":"Integer","_value":"1"}]]}}""";

        Assert.Throws<JsonException>(() => QueryApiResponseReader.Read(Encoding.UTF8.GetBytes(body)));
    }
}
