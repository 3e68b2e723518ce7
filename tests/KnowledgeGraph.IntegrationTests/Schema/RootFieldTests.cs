using System.Net;
using System.Text.Json;
using KnowledgeGraph.IntegrationTests.Support;

namespace KnowledgeGraph.IntegrationTests.Schema;

/// <summary>Every root field, over real HTTP against the seeded SQLite file.</summary>
public sealed class RootFieldTests(KnowledgeGraphApp app) : IClassFixture<KnowledgeGraphApp>
{
    [Fact]
    public async Task Entity_by_key_returns_the_typed_entity_with_names_aliases_and_citations()
    {
        var response = await app.PostAsync("""
            { entity(key: "telegram") { __typename key kind name aliases { text language } citations { excerpt start end source { key } } } }
            """);

        var entity = Ok(response).GetProperty("entity");
        Assert.Equal("App", entity.GetProperty("__typename").GetString());
        Assert.Equal("APP", entity.GetProperty("kind").GetString());
        Assert.Equal("Telegram", entity.GetProperty("name").GetString());
        Assert.Contains(entity.GetProperty("aliases").EnumerateArray(), a => a.GetProperty("text").GetString() == "Télégramme" && a.GetProperty("language").GetString() == "FR");
        var citation = entity.GetProperty("citations")[0];
        Assert.Equal("whatsapp-privacy-exodus-2021", citation.GetProperty("source").GetProperty("key").GetString());
        Assert.True(citation.GetProperty("end").GetInt32() > citation.GetProperty("start").GetInt32());
    }

    [Fact]
    public async Task An_unknown_key_is_null_not_an_error()
    {
        var response = await app.PostAsync("""{ entity(key: "myspace") { key } }""");

        Assert.Equal(JsonValueKind.Null, Ok(response).GetProperty("entity").ValueKind);
    }

    [Fact]
    public async Task Node_and_nodes_find_every_kind_of_record_by_global_id()
    {
        var ids = Ok(await app.PostAsync("""
            {
              entity(key: "whatsapp") { id }
              relationship(key: "facebook-owns-whatsapp") { id }
              observations(subject: "telegram", metric: "NEW_USERS") { id }
              quotes { id }
              sources { id }
            }
            """));
        string[] all =
        [
            ids.GetProperty("entity").GetProperty("id").GetString()!,
            ids.GetProperty("relationship").GetProperty("id").GetString()!,
            ids.GetProperty("observations")[0].GetProperty("id").GetString()!,
            ids.GetProperty("quotes")[0].GetProperty("id").GetString()!,
            ids.GetProperty("sources")[0].GetProperty("id").GetString()!,
        ];

        var nodes = Ok(await app.PostAsync(
            "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } one: node(id: $first) { ... on App { key } } }".Replace("query($ids: [ID!]!)", "query($ids: [ID!]!, $first: ID!)", StringComparison.Ordinal),
            new { ids = all, first = all[0] }));

        Assert.Equal(["App", "Relationship", "Observation", "Quote", "Source"], nodes.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("__typename").GetString()));
        Assert.Equal(all, nodes.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal("whatsapp", nodes.GetProperty("one").GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_malformed_global_id_is_a_bad_user_input_error()
    {
        var response = await app.PostAsync("""{ node(id: "not-an-id!") { id } }""");

        Assert.Contains("BAD_USER_INPUT", response.ErrorCodes);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.Status);
    }

    [Fact]
    public async Task Typed_fields_read_naturally_across_kinds()
    {
        var data = Ok(await app.PostAsync("""
            {
              whatsapp: entity(key: "whatsapp") { ... on App { owner { key apps { key } } competitors { key } displacedBy { key } } }
              durov: entity(key: "pavel-durov") { ... on Person { founded { key } leads { key } quotes { text } } }
              musk: entity(key: "elon-musk") { ... on Person { leads { key } criticized { key } endorsements { key } } }
              update: entity(key: "whatsapp-terms-update-2021") { ... on Controversy { involved { key } beneficiaries { key } } }
              endorsement: entity(key: "musk-endorses-signal-2021") { ... on Endorsement { endorser { key } endorses { key } publishedOn { key } } }
              store: entity(key: "app-store") { ... on Platform { chartToppers { key } } }
            }
            """));

        Assert.Equal("facebook", data.GetProperty("whatsapp").GetProperty("owner").GetProperty("key").GetString());
        Assert.Contains("whatsapp", Keys(data.GetProperty("whatsapp").GetProperty("owner").GetProperty("apps")));
        Assert.Equal(["signal", "telegram"], Keys(data.GetProperty("whatsapp").GetProperty("competitors")).Order());
        Assert.Equal(["signal"], Keys(data.GetProperty("whatsapp").GetProperty("displacedBy")));
        Assert.Equal(["telegram"], Keys(data.GetProperty("durov").GetProperty("founded")));
        Assert.Equal(["telegram"], Keys(data.GetProperty("durov").GetProperty("leads")));
        Assert.StartsWith("Les gens ne veulent plus", data.GetProperty("durov").GetProperty("quotes")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(["spacex", "tesla"], Keys(data.GetProperty("musk").GetProperty("leads")).Order());
        // The article presents Musk's view of Facebook as an attitude, never as an act of criticism (seed/README.md).
        Assert.Empty(Keys(data.GetProperty("musk").GetProperty("criticized")));
        Assert.Equal(["signal", "telegram"], Keys(data.GetProperty("update").GetProperty("beneficiaries")).Order());
        Assert.Contains("whatsapp", Keys(data.GetProperty("update").GetProperty("involved")));
        Assert.Equal("elon-musk", data.GetProperty("endorsement").GetProperty("endorser").GetProperty("key").GetString());
        Assert.Equal(["twitter"], Keys(data.GetProperty("endorsement").GetProperty("publishedOn")));
        Assert.Equal(["signal"], Keys(data.GetProperty("store").GetProperty("chartToppers")));
    }

    [Fact]
    public async Task Relationships_follow_direction_and_types_and_carry_their_properties()
    {
        var data = Ok(await app.PostAsync("""
            {
              entity(key: "elon-musk") {
                out: relationships(direction: OUTGOING, types: [LEADS]) { totalCount edges { node { type role roleFr: role(lang: FR) from { key } to { key } citations { excerpt } } } }
                in: relationships(direction: INCOMING) { totalCount }
              }
            }
            """));

        var outgoing = data.GetProperty("entity").GetProperty("out");
        Assert.Equal(2, outgoing.GetProperty("totalCount").GetInt32());
        Assert.All(outgoing.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node")), node =>
        {
            Assert.Equal("LEADS", node.GetProperty("type").GetString());
            Assert.Equal("elon-musk", node.GetProperty("from").GetProperty("key").GetString());
            Assert.Equal("CEO", node.GetProperty("role").GetString());
            Assert.Equal("PDG", node.GetProperty("roleFr").GetString());
            Assert.Contains("PDG de Tesla et SpaceX", node.GetProperty("citations")[0].GetProperty("excerpt").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(0, data.GetProperty("entity").GetProperty("in").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task A_language_and_a_page_size_read_the_same_from_a_literal_a_variable_a_null_and_the_header()
    {
        const string Query = """
            query Names($lang: Language, $first: Int) {
              entity(key: "musk-endorses-signal-2021") {
                literal: name(lang: FR) variable: name(lang: $lang) header: name
                relationships(first: $first) { edges { node { key } } }
                two: relationships(first: 2) { edges { node { key } } }
              }
            }
            """;

        var french = Ok(await app.PostAsync(Query, new { lang = "FR", first = 1 }, acceptLanguage: "en")).GetProperty("entity");
        var unset = Ok(await app.PostAsync(Query, new { lang = (string?)null, first = (int?)null }, acceptLanguage: "fr")).GetProperty("entity");

        const string En = "Elon Musk’s recommendation of Signal", Fr = "Recommandation de Signal par Elon Musk";
        Assert.Equal((Fr, Fr, En), (french.GetProperty("literal").GetString(), french.GetProperty("variable").GetString(), french.GetProperty("header").GetString()));
        Assert.Equal((Fr, Fr, Fr), (unset.GetProperty("literal").GetString(), unset.GetProperty("variable").GetString(), unset.GetProperty("header").GetString()));
        Assert.Equal(1, french.GetProperty("relationships").GetProperty("edges").GetArrayLength());
        Assert.Equal(2, french.GetProperty("two").GetProperty("edges").GetArrayLength());
        Assert.Equal(3, unset.GetProperty("relationships").GetProperty("edges").GetArrayLength());
    }

    [Fact]
    public async Task Observations_keep_their_qualifiers()
    {
        var data = Ok(await app.PostAsync("""
            {
              gained: observations(subject: "telegram", metric: "NEW_USERS") { value unit precision duration subject { key } citations { excerpt } }
              daily: observations(subject: "telegram", metric: "DAILY_NEW_USERS") { value precision periodStart periodEnd }
              mau: observations(subject: "telegram", metric: "MONTHLY_ACTIVE_USERS") { value precision }
              asia: observations(region: "asia") { value unit region { key name(lang: FR) } }
            }
            """));

        var gained = Assert.Single(data.GetProperty("gained").EnumerateArray());
        Assert.Equal(25_000_000, gained.GetProperty("value").GetDouble());
        Assert.Equal("PT72H", gained.GetProperty("duration").GetString());
        Assert.Contains("25 millions de nouveaux utilisateurs en seulement 72 heures", gained.GetProperty("citations")[0].GetProperty("excerpt").GetString(), StringComparison.Ordinal);
        var daily = Assert.Single(data.GetProperty("daily").EnumerateArray());
        Assert.Equal((1_500_000d, "APPROXIMATE", "2020"), (daily.GetProperty("value").GetDouble(), daily.GetProperty("precision").GetString(), daily.GetProperty("periodStart").GetString()));
        var mau = Assert.Single(data.GetProperty("mau").EnumerateArray());
        Assert.Equal((500_000_000d, "MORE_THAN"), (mau.GetProperty("value").GetDouble(), mau.GetProperty("precision").GetString()));
        var asia = Assert.Single(data.GetProperty("asia").EnumerateArray());
        Assert.Equal((38d, "percent", "Asie"), (asia.GetProperty("value").GetDouble(), asia.GetProperty("unit").GetString(), asia.GetProperty("region").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Quotes_and_sources_are_listed_with_provenance()
    {
        var data = Ok(await app.PostAsync("""
            {
              quotes(speaker: "pavel-durov") { speaker { name } language translation citations { excerpt } }
              none: quotes(speaker: "elon-musk") { text }
              sources { key language publishedOn title titleFr: title(lang: FR) text }
              source(key: "whatsapp-privacy-exodus-2021") { key }
            }
            """));

        var quote = Assert.Single(data.GetProperty("quotes").EnumerateArray());
        Assert.Equal(("Pavel Durov", "FR"), (quote.GetProperty("speaker").GetProperty("name").GetString(), quote.GetProperty("language").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(quote.GetProperty("translation").GetString()));
        Assert.Empty(data.GetProperty("none").EnumerateArray());
        var source = Assert.Single(data.GetProperty("sources").EnumerateArray());
        Assert.Equal(("FR", "2021-01"), (source.GetProperty("language").GetString(), source.GetProperty("publishedOn").GetString()));
        Assert.StartsWith("2021 a commencé avec des scandales partout.", source.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(source.GetProperty("title").GetString(), source.GetProperty("titleFr").GetString());
        Assert.Equal("whatsapp-privacy-exodus-2021", data.GetProperty("source").GetProperty("key").GetString());
    }

    internal static JsonElement Ok(GraphQLResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK && response.Errors.Count == 0, response.ToString());
        return response.Data;
    }

    internal static IEnumerable<string?> Keys(JsonElement list) => list.EnumerateArray().Select(e => e.GetProperty("key").GetString()).ToList();
}
