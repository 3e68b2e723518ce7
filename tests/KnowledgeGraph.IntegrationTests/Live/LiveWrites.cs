using KnowledgeGraph.IntegrationTests.Support;
using KnowledgeGraph.Security;
using static KnowledgeGraph.IntegrationTests.Schema.RootFieldTests;

namespace KnowledgeGraph.IntegrationTests.Live;

/// <summary>Partners' writes that live-update tests watch for, each citing an excerpt that stands in the seed's source.</summary>
internal static class LiveWrites
{
    public const string UpsertEntity = "mutation($input: EntityInput!) { upsertEntity(input: $input) { changed revision } }";
    public const string UpsertRelationship = "mutation($input: RelationshipInput!) { upsertRelationship(input: $input) { changed revision } }";
    public const string Retract = "mutation($input: RetractInput!) { retract(input: $input) { changed revision } }";

    public const string EntityChanged = """
        subscription($keys: [String!], $kinds: [EntityKind!]) {
          entityChanged(keys: $keys, kinds: $kinds) { outcome key kind revision entity { key name ... on App { owner { key } } } }
        }
        """;

    public const string RelationshipChanged = """
        subscription($keys: [String!], $types: [RelationshipType!], $entityKeys: [String!]) {
          relationshipChanged(keys: $keys, types: $types, entityKeys: $entityKeys) { outcome key type fromKey toKey relationship { from { key } to { key } } }
        }
        """;

    private static readonly object Rivals = new { source = "whatsapp-privacy-exodus-2021", excerpt = "les rivaux de WhatsApp", start = 522, end = 544 };

    public static object Entity(string key, string kind = "APP", string description = "A rival of WhatsApp.") => new
    {
        key,
        kind,
        name = new { en = key, fr = key },
        description = new { en = description, fr = "Un rival de WhatsApp." },
        citations = new[] { Rivals },
    };

    public static object Competes(string from, string to) => new
    {
        key = $"{from}-competes-with-{to}",
        type = "COMPETES_WITH",
        from,
        to,
        citations = new[] { Rivals },
    };

    public static async Task<string> PartnerAsync(this KnowledgeGraphApp app) => await app.IssueKeyAsync(ApiRole.Partner, "live-partner");

    public static async Task UpsertEntityAsync(this KnowledgeGraphApp app, string partnerKey, object input) =>
        Ok(await app.PostWithKeyAsync(partnerKey, UpsertEntity, new { input }));

    public static async Task UpsertRelationshipAsync(this KnowledgeGraphApp app, string partnerKey, object input) =>
        Ok(await app.PostWithKeyAsync(partnerKey, UpsertRelationship, new { input }));

    public static async Task RetractAsync(this KnowledgeGraphApp app, string partnerKey, string type, string key) =>
        Ok(await app.PostWithKeyAsync(partnerKey, Retract, new { input = new { type, key, reason = "withdrawn by the live-update tests" } }));
}
