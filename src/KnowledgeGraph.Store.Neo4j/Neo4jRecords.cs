using System.Globalization;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;
using KnowledgeGraph.Store.Neo4j.Transport;

namespace KnowledgeGraph.Store.Neo4j;

/// <summary>
/// Maps domain records to the property maps the seed writes and decoded nodes back to domain records. Citations and
/// aliases are kept as JSON text on their node or relationship, so a record and its citations are read together.
/// </summary>
internal static class Neo4jRecords
{
    /// <summary>The <c>origin</c> of records the seed wrote: a changed seed removes only these.</summary>
    public const string SeedOrigin = "seed";

    /// <summary>The <c>origin</c> of records partners wrote (or rewrote): a changed seed never removes them.</summary>
    public const string WriteOrigin = "write";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The value names are sorted and compared by: lower-cased in ASCII only, like SQLite's NOCASE.</summary>
    public static string SortKey(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterUpper(c) ? (char)(c + 32) : c);
        }

        return builder.ToString();
    }

    public static Dictionary<string, object?> SourceRow(Source source, string origin) => new(StringComparer.Ordinal)
    {
        ["key"] = source.Key,
        ["origin"] = origin,
        ["titleEn"] = source.Title.En,
        ["titleFr"] = source.Title.Fr,
        ["language"] = Vocabulary.ToCode(source.Language),
        ["publishedOn"] = source.PublishedOn,
        ["url"] = source.Url,
        ["retrievedOn"] = source.RetrievedOn,
        ["text"] = source.Text,
    };

    public static Dictionary<string, object?> EntityRow(Entity entity, string origin) => new(StringComparer.Ordinal)
    {
        ["key"] = entity.Key.Value,
        ["origin"] = origin,
        ["kind"] = Vocabulary.ToWireName(entity.Kind),
        ["nameEn"] = entity.Name.En,
        ["nameFr"] = entity.Name.Fr,
        ["descriptionEn"] = entity.Description.En,
        ["descriptionFr"] = entity.Description.Fr,
        ["sortEn"] = SortKey(entity.Name.En),
        ["sortFr"] = SortKey(entity.Name.Fr),
        // The names name conditions compare (Neo4jFilterCypher), folded like SQLite's kg_fold.
        ["foldEn"] = TextFold.Fold(entity.Name.En),
        ["foldFr"] = TextFold.Fold(entity.Name.Fr),
        ["aliases"] = JsonSerializer.Serialize(entity.Aliases.Select(a => new AliasJson(a.Text, a.Language is { } l ? Vocabulary.ToCode(l) : null)), Json),
        ["aliasText"] = string.Join('\n', entity.Aliases.Select(a => a.Text)),
        ["citations"] = CitationsJson(entity.Citations),
    };

    public static Dictionary<string, object?> RelationshipRow(Relationship relationship, string origin) => new(StringComparer.Ordinal)
    {
        ["key"] = relationship.Key,
        ["type"] = Vocabulary.ToWireName(relationship.Type),
        ["from"] = relationship.From.Value,
        ["to"] = relationship.To.Value,
        ["properties"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["key"] = relationship.Key,
            ["origin"] = origin,
            ["roleEn"] = relationship.Properties.Role?.En,
            ["roleFr"] = relationship.Properties.Role?.Fr,
            ["chart"] = relationship.Properties.Chart,
            ["occurredOn"] = relationship.Properties.OccurredOn,
            ["noteEn"] = relationship.Properties.Note?.En,
            ["noteFr"] = relationship.Properties.Note?.Fr,
            ["citations"] = CitationsJson(relationship.Citations),
            ["periodStart"] = relationship.PeriodStart,
            ["periodEnd"] = relationship.PeriodEnd,
            ["dateBasis"] = DateBasisName(relationship.DateBasis),
        }.WithProvenance(relationship.Provenance),
    };

    /// <summary>What identifies a relationship as unchanged: key, type and ends (see <see cref="Neo4jCypher.PruneSeed"/>).</summary>
    public static string Signature(Relationship relationship) =>
        $"{relationship.Key}|{Vocabulary.ToWireName(relationship.Type)}|{relationship.From.Value}|{relationship.To.Value}";

    public static Dictionary<string, object?> ObservationRow(Observation observation, string origin) => new(StringComparer.Ordinal)
    {
        ["key"] = observation.Key,
        ["subject"] = observation.Subject.Value,
        ["region"] = observation.Region?.Value,
        ["properties"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["key"] = observation.Key,
            ["origin"] = origin,
            ["metric"] = observation.Metric,
            // A float for Cypher arithmetic and the exact decimal text for reading back without rounding.
            ["value"] = (double)observation.Value,
            ["valueText"] = observation.Value.ToString(CultureInfo.InvariantCulture),
            ["unit"] = observation.Unit,
            ["precision"] = Vocabulary.ToWireName(observation.Precision),
            ["periodStart"] = observation.PeriodStart,
            ["periodEnd"] = observation.PeriodEnd,
            ["duration"] = observation.Duration,
            ["noteEn"] = observation.Note?.En,
            ["noteFr"] = observation.Note?.Fr,
            ["citations"] = CitationsJson(observation.Citations),
            ["dateBasis"] = DateBasisName(observation.DateBasis),
            ["shareOf"] = observation.ShareOf,
        }.WithProvenance(observation.Provenance),
    };

    /// <summary>A claim's node properties; its entities are a list of keys (<c>about</c>).</summary>
    public static Dictionary<string, object?> ClaimRow(Claim claim, string origin) => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["key"] = claim.Key,
        ["origin"] = origin,
        ["textEn"] = claim.Text.En,
        ["textFr"] = claim.Text.Fr,
        ["about"] = claim.About.Select(k => k.Value).ToList(),
        ["citations"] = CitationsJson(claim.Citations),
    }.WithProvenance(claim.Provenance);

    /// <summary>Adds a fact's provenance properties: basis, reportedBy, rationaleEn, rationaleFr, hedge.</summary>
    private static Dictionary<string, object?> WithProvenance(this Dictionary<string, object?> properties, FactProvenance provenance)
    {
        properties["basis"] = Vocabulary.ToWireName(provenance.Basis);
        properties["reportedBy"] = provenance.ReportedBy?.Value;
        properties["rationaleEn"] = provenance.Rationale?.En;
        properties["rationaleFr"] = provenance.Rationale?.Fr;
        properties["hedge"] = provenance.Hedge;
        return properties;
    }

    private static string? DateBasisName(DateBasis? dateBasis) => dateBasis is { } d ? Vocabulary.ToWireName(d) : null;

    // Records written before provenance existed have none of its properties: they read as STATED.
    private static FactProvenance Provenance(Func<string, string?> get)
    {
        var basis = get("basis");
        var reportedBy = get("reportedBy");
        var rationale = Text(get("rationaleEn"), get("rationaleFr"));
        var hedge = get("hedge");
        return (basis is null or "STATED") && reportedBy is null && rationale is null && hedge is null
            ? FactProvenance.Stated
            : new FactProvenance(basis is null ? Basis.Stated : Vocabulary.Parse<Basis>(basis), reportedBy is null ? null : new EntityKey(reportedBy), rationale, hedge);
    }

    private static DateBasis? DateBasisOf(string? name) => name is null ? null : Vocabulary.Parse<DateBasis>(name);

    public static Claim ToClaim(CypherNode node) =>
        new(
            node.Get<string>("key"),
            new LocalizedText(node.Get<string>("textEn"), node.Get<string>("textFr")),
            [.. CypherValues.ListOf<string>(node.Properties.GetValueOrDefault("about"), "about").Select(k => new EntityKey(k))],
            Provenance(name => node.Get<string?>(name)),
            Citations(node.Get<string?>("citations")));

    public static Dictionary<string, object?> QuoteRow(Quote quote, string origin) => new(StringComparer.Ordinal)
    {
        ["key"] = quote.Key,
        ["speaker"] = quote.Speaker.Value,
        ["properties"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["key"] = quote.Key,
            ["origin"] = origin,
            ["text"] = quote.Text,
            ["language"] = Vocabulary.ToCode(quote.Language),
            ["translationEn"] = quote.TranslationEn,
            ["citations"] = CitationsJson(quote.Citations),
        },
    };

    public static Entity ToEntity(CypherNode node)
    {
        var aliases = JsonSerializer.Deserialize<List<AliasJson>>(node.Get<string?>("aliases") ?? "[]", Json) ?? [];
        return new Entity(
            new EntityKey(node.Get<string>("key")),
            Vocabulary.Parse<EntityKind>(node.Get<string>("kind")),
            new LocalizedText(node.Get<string>("nameEn"), node.Get<string>("nameFr")),
            new LocalizedText(node.Get<string>("descriptionEn"), node.Get<string>("descriptionFr")),
            aliases.Select(a => new EntityAlias(a.Text, a.Language is null ? null : Language(a.Language))).ToList(),
            Citations(node.Get<string?>("citations")));
    }

    /// <summary>A relationship from a record with the fields <c>r</c>, <c>from</c> and <c>to</c>.</summary>
    public static Relationship ToRelationship(CypherRecord record) =>
        ToRelationship(record.Get<CypherRelationship>("r"), new EntityKey(record.Get<string>("from")), new EntityKey(record.Get<string>("to")));

    public static Relationship ToRelationship(CypherRelationship relationship, EntityKey from, EntityKey to) =>
        new(
            relationship.Get<string>("key"),
            Vocabulary.Parse<RelationshipType>(relationship.Type),
            from,
            to,
            new RelationshipProperties(
                Text(relationship.Get<string?>("roleEn"), relationship.Get<string?>("roleFr")),
                relationship.Get<string?>("chart"),
                relationship.Get<string?>("occurredOn"),
                Text(relationship.Get<string?>("noteEn"), relationship.Get<string?>("noteFr"))),
            Citations(relationship.Get<string?>("citations")))
        {
            Provenance = Provenance(name => relationship.Get<string?>(name)),
            PeriodStart = relationship.Get<string?>("periodStart"),
            PeriodEnd = relationship.Get<string?>("periodEnd"),
            DateBasis = DateBasisOf(relationship.Get<string?>("dateBasis")),
        };

    /// <summary>An observation from a record with the fields <c>o</c>, <c>subject</c> and <c>region</c>.</summary>
    public static Observation ToObservation(CypherRecord record) =>
        ToObservation(record.Get<CypherNode>("o"), record.Get<string>("subject"), record.Get<string?>("region"));

    public static Observation ToObservation(CypherNode node, string subject, string? region)
    {
        var valueText = node.Get<string?>("valueText");
        return new Observation(
            node.Get<string>("key"),
            new EntityKey(subject),
            node.Get<string>("metric"),
            valueText is null ? (decimal)node.Get<double>("value") : decimal.Parse(valueText, NumberStyles.Number, CultureInfo.InvariantCulture),
            node.Get<string>("unit"),
            Vocabulary.Parse<Precision>(node.Get<string>("precision")),
            node.Get<string?>("periodStart"),
            node.Get<string?>("periodEnd"),
            node.Get<string?>("duration"),
            region is null ? null : new EntityKey(region),
            Text(node.Get<string?>("noteEn"), node.Get<string?>("noteFr")),
            Citations(node.Get<string?>("citations")))
        {
            Provenance = Provenance(name => node.Get<string?>(name)),
            // A figure dated before dateBasis existed was dated as the source states it.
            DateBasis = DateBasisOf(node.Get<string?>("dateBasis"))
                ?? (node.Get<string?>("periodStart") is null && node.Get<string?>("periodEnd") is null ? null : DateBasis.Stated),
            ShareOf = node.Get<string?>("shareOf"),
        };
    }

    /// <summary>A quote from a record with the fields <c>q</c> and <c>speaker</c>.</summary>
    public static Quote ToQuote(CypherRecord record) => ToQuote(record.Get<CypherNode>("q"), record.Get<string>("speaker"));

    public static Quote ToQuote(CypherNode node, string speaker) =>
        new(
            node.Get<string>("key"),
            new EntityKey(speaker),
            node.Get<string>("text"),
            Language(node.Get<string>("language")),
            node.Get<string?>("translationEn"),
            Citations(node.Get<string?>("citations")));

    public static Source ToSource(CypherNode node) =>
        new(
            node.Get<string>("key"),
            new LocalizedText(node.Get<string>("titleEn"), node.Get<string>("titleFr")),
            Language(node.Get<string>("language")),
            node.Get<string>("publishedOn"),
            node.Get<string?>("url"),
            node.Get<string>("text"))
        {
            RetrievedOn = node.Get<string?>("retrievedOn"),
        };

    /// <summary>
    /// A path as walked from its first node. The Query API gives each relationship's own direction only through its
    /// start and end element ids, which are resolved to entity keys through the path's nodes.
    /// </summary>
    public static GraphPath ToGraphPath(CypherPath path)
    {
        var keys = path.Nodes.ToDictionary(n => n.ElementId, n => new EntityKey(n.Get<string>("key")), StringComparer.Ordinal);
        var steps = new List<PathStep>(path.Relationships.Count);
        for (var i = 0; i < path.Relationships.Count; i++)
        {
            var relationship = path.Relationships[i];
            var from = KeyOf(keys, relationship.StartNodeElementId);
            var to = KeyOf(keys, relationship.EndNodeElementId);
            steps.Add(new PathStep(
                new EntityKey(path.Nodes[i].Get<string>("key")),
                ToRelationship(relationship, from, to),
                new EntityKey(path.Nodes[i + 1].Get<string>("key"))));
        }

        return new GraphPath(steps);
    }

    /// <summary>
    /// Text that the <c>citations</c> JSON of every record citing <paramref name="sourceKey"/> contains. A pre-filter
    /// only: the store counts citations exactly once the records are read.
    /// </summary>
    public static string CitationPattern(string sourceKey) => "\"source\":" + JsonSerializer.Serialize(sourceKey, Json);

    private static EntityKey KeyOf(Dictionary<string, EntityKey> keys, string elementId) =>
        keys.TryGetValue(elementId, out var key)
            ? key
            : throw new InvalidOperationException($"A path relationship points at node {elementId}, which is not on the path.");

    private static Language Language(string code) =>
        Vocabulary.TryParseLanguageCode(code, out var language) ? language : throw new FormatException($"'{code}' is not a language code.");

    private static LocalizedText? Text(string? en, string? fr) => en is null && fr is null ? null : new LocalizedText(en ?? string.Empty, fr ?? string.Empty);

    private static string CitationsJson(IReadOnlyList<Citation> citations) => JsonSerializer.Serialize(citations, Json);

    private static List<Citation> Citations(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<Citation>>(json, Json) ?? [];

    private sealed record AliasJson(string Text, string? Language);
}
