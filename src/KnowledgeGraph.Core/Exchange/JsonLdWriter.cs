using System.Text.Encodings.Web;
using System.Text.Json;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Exchange;

/// <summary>
/// Writes JSON-LD with provenance: schema.org names for what schema.org has words for (name, description,
/// alternateName, Organization, Person...), and a small vocabulary of our own (<c>kg:</c>) for the rest, above all
/// citations: every entity, relationship, observation and quote carries <c>citations</c>, each with its
/// <c>source</c>, <c>excerpt</c>, <c>start</c> and <c>end</c> (code points, end exclusive). Records are named
/// <c>kgd:entity:whatsapp</c>, <c>kgd:relationship:facebook-owns-whatsapp</c>, <c>kgd:source:...</c>.
/// Facts (relationships, observations, claims) say how the source knows them with PROV-O where it has the words:
/// <c>prov:wasDerivedFrom</c> the cited sources, <c>prov:wasAttributedTo</c> the reporter of a REPORTED fact; and
/// <c>kg:basis</c>, <c>kg:rationale</c>, <c>kg:hedge</c>, <c>kg:dateBasis</c>, <c>kg:shareOf</c> for the rest.
/// </summary>
public static class JsonLdWriter
{
    public const string Vocabulary = "urn:knowledge-graph:vocab:";
    public const string DataPrefix = "urn:knowledge-graph:data:";

    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(GraphSnapshot graph, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graph);
        await using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        WriteContext(json);
        json.WriteStartArray("@graph");
        foreach (var source in graph.Sources)
        {
            json.WriteStartObject();
            json.WriteString("@id", Id("source", source.Key));
            json.WriteString("@type", "schema:CreativeWork");
            json.WriteString("key", source.Key);
            Localized(json, "name", source.Title);
            json.WriteString("inLanguage", Domain.Vocabulary.ToCode(source.Language));
            json.WriteString("datePublished", source.PublishedOn);
            if (source.Url is not null)
            {
                json.WriteString("url", source.Url);
            }

            if (source.RetrievedOn is not null)
            {
                json.WriteString("retrievedOn", source.RetrievedOn);
            }

            json.WriteEndObject();
        }

        var written = 0;
        foreach (var entity in graph.Entities)
        {
            json.WriteStartObject();
            json.WriteString("@id", Id("entity", entity.Key.Value));
            json.WriteStartArray("@type");
            json.WriteStringValue(SchemaTypeOf(entity.Kind));
            json.WriteStringValue("kg:Entity");
            json.WriteEndArray();
            json.WriteString("key", entity.Key.Value);
            json.WriteString("kind", Domain.Vocabulary.ToWireName(entity.Kind));
            Localized(json, "name", entity.Name);
            Localized(json, "description", entity.Description);
            if (entity.Aliases.Count > 0)
            {
                json.WriteStartArray("alternateName");
                foreach (var alias in entity.Aliases)
                {
                    json.WriteStartObject();
                    json.WriteString("@value", alias.Text);
                    if (alias.Language is { } language)
                    {
                        json.WriteString("@language", Domain.Vocabulary.ToCode(language));
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            Citations(json, entity.Citations);
            json.WriteEndObject();
            await FlushSometimesAsync(json, ++written, cancellationToken);
        }

        foreach (var relationship in graph.Relationships)
        {
            var p = relationship.Properties;
            json.WriteStartObject();
            json.WriteString("@id", Id("relationship", relationship.Key));
            json.WriteString("@type", "kg:Relationship");
            json.WriteString("key", relationship.Key);
            json.WriteString("relationshipType", Domain.Vocabulary.ToWireName(relationship.Type));
            json.WriteString("from", Id("entity", relationship.From.Value));
            json.WriteString("to", Id("entity", relationship.To.Value));
            if (p.Role is not null)
            {
                Localized(json, "role", p.Role);
            }

            if (p.Chart is not null)
            {
                json.WriteString("chart", p.Chart);
            }

            if (p.OccurredOn is not null)
            {
                json.WriteString("occurredOn", p.OccurredOn);
            }

            if (p.Note is not null)
            {
                Localized(json, "note", p.Note);
            }

            Optional(json, "periodStart", relationship.PeriodStart);
            Optional(json, "periodEnd", relationship.PeriodEnd);
            Optional(json, "dateBasis", relationship.DateBasis is { } d ? Domain.Vocabulary.ToWireName(d) : null);
            Provenance(json, relationship.Provenance, relationship.Citations);
            Citations(json, relationship.Citations);
            json.WriteEndObject();
            await FlushSometimesAsync(json, ++written, cancellationToken);
        }

        foreach (var observation in graph.Observations)
        {
            json.WriteStartObject();
            json.WriteString("@id", Id("observation", observation.Key));
            json.WriteString("@type", "kg:Observation");
            json.WriteString("key", observation.Key);
            json.WriteString("subject", Id("entity", observation.Subject.Value));
            json.WriteString("metric", observation.Metric);
            json.WritePropertyName("value");
            json.WriteRawValue(SeedWriter.Number(observation.Value));
            json.WriteString("unitText", observation.Unit);
            json.WriteString("precision", Domain.Vocabulary.ToWireName(observation.Precision));
            Optional(json, "periodStart", observation.PeriodStart);
            Optional(json, "periodEnd", observation.PeriodEnd);
            Optional(json, "duration", observation.Duration);
            Optional(json, "region", observation.Region is { } region ? Id("entity", region.Value) : null);
            if (observation.Note is not null)
            {
                Localized(json, "note", observation.Note);
            }

            Optional(json, "dateBasis", observation.DateBasis is { } d ? Domain.Vocabulary.ToWireName(d) : null);
            Optional(json, "shareOf", observation.ShareOf is { } total ? Id("observation", total) : null);
            Provenance(json, observation.Provenance, observation.Citations);
            Citations(json, observation.Citations);
            json.WriteEndObject();
            await FlushSometimesAsync(json, ++written, cancellationToken);
        }

        foreach (var quote in graph.Quotes)
        {
            json.WriteStartObject();
            json.WriteString("@id", Id("quote", quote.Key));
            json.WriteStartArray("@type");
            json.WriteStringValue("schema:Quotation");
            json.WriteStringValue("kg:Quote");
            json.WriteEndArray();
            json.WriteString("key", quote.Key);
            json.WriteString("speaker", Id("entity", quote.Speaker.Value));
            json.WriteStartObject("text");
            json.WriteString("@value", quote.Text);
            json.WriteString("@language", Domain.Vocabulary.ToCode(quote.Language));
            json.WriteEndObject();
            if (quote.TranslationEn is not null)
            {
                json.WriteStartObject("translation");
                json.WriteString("@value", quote.TranslationEn);
                json.WriteString("@language", "en");
                json.WriteEndObject();
            }

            Citations(json, quote.Citations);
            json.WriteEndObject();
        }

        foreach (var claim in graph.Claims)
        {
            json.WriteStartObject();
            json.WriteString("@id", Id("claim", claim.Key));
            json.WriteStartArray("@type");
            json.WriteStringValue("schema:Claim");
            json.WriteStringValue("kg:Claim");
            json.WriteEndArray();
            json.WriteString("key", claim.Key);
            Localized(json, "claimText", claim.Text);
            json.WriteStartArray("about");
            foreach (var key in claim.About)
            {
                json.WriteStringValue(Id("entity", key.Value));
            }

            json.WriteEndArray();
            Provenance(json, claim.Provenance, claim.Citations);
            Citations(json, claim.Citations);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static void WriteContext(Utf8JsonWriter json)
    {
        json.WriteStartObject("@context");
        json.WriteString("schema", "https://schema.org/");
        json.WriteString("kg", Vocabulary);
        json.WriteString("kgd", DataPrefix);
        json.WriteString("xsd", "http://www.w3.org/2001/XMLSchema#");
        json.WriteString("prov", "http://www.w3.org/ns/prov#");
        Term(json, "key", "kg:key");
        Term(json, "kind", "kg:kind");
        Term(json, "name", "schema:name", container: "@language");
        Term(json, "description", "schema:description", container: "@language");
        Term(json, "alternateName", "schema:alternateName");
        Term(json, "inLanguage", "schema:inLanguage");
        Term(json, "datePublished", "schema:datePublished");
        Term(json, "url", "schema:url", type: "@id");
        Term(json, "relationshipType", "kg:relationshipType");
        Term(json, "from", "kg:from", type: "@id");
        Term(json, "to", "kg:to", type: "@id");
        Term(json, "role", "kg:role", container: "@language");
        Term(json, "chart", "kg:chart");
        Term(json, "occurredOn", "kg:occurredOn");
        Term(json, "note", "kg:note", container: "@language");
        Term(json, "subject", "kg:subject", type: "@id");
        Term(json, "metric", "kg:metric");
        Term(json, "value", "schema:value", type: "xsd:decimal");
        Term(json, "unitText", "schema:unitText");
        Term(json, "precision", "kg:precision");
        Term(json, "periodStart", "kg:periodStart");
        Term(json, "periodEnd", "kg:periodEnd");
        Term(json, "duration", "kg:duration", type: "xsd:duration");
        Term(json, "region", "kg:region", type: "@id");
        Term(json, "speaker", "schema:creator", type: "@id");
        Term(json, "text", "schema:text");
        Term(json, "translation", "kg:translation");
        Term(json, "citations", "kg:citation", container: "@set");
        Term(json, "source", "kg:source", type: "@id");
        Term(json, "excerpt", "kg:excerpt");
        Term(json, "start", "kg:start", type: "xsd:integer");
        Term(json, "end", "kg:end", type: "xsd:integer");
        Term(json, "wasDerivedFrom", "prov:wasDerivedFrom", type: "@id", container: "@set");
        Term(json, "wasAttributedTo", "prov:wasAttributedTo", type: "@id");
        Term(json, "basis", "kg:basis");
        Term(json, "rationale", "kg:rationale", container: "@language");
        Term(json, "hedge", "kg:hedge");
        Term(json, "dateBasis", "kg:dateBasis");
        Term(json, "retrievedOn", "kg:retrievedOn");
        Term(json, "shareOf", "kg:shareOf", type: "@id");
        Term(json, "about", "schema:about", type: "@id", container: "@set");
        Term(json, "claimText", "schema:text", container: "@language");
        json.WriteEndObject();
    }

    private static void Term(Utf8JsonWriter json, string name, string id, string? type = null, string? container = null)
    {
        if (type is null && container is null)
        {
            json.WriteString(name, id);
            return;
        }

        json.WriteStartObject(name);
        json.WriteString("@id", id);
        if (type is not null)
        {
            json.WriteString("@type", type);
        }

        if (container is not null)
        {
            json.WriteString("@container", container);
        }

        json.WriteEndObject();
    }

    private static string Id(string type, string key) => $"kgd:{type}:{key}";

    private static string SchemaTypeOf(EntityKind kind) => kind switch
    {
        EntityKind.Company => "schema:Organization",
        EntityKind.Person => "schema:Person",
        EntityKind.App => "schema:MobileApplication",
        EntityKind.Platform => "schema:WebSite",
        EntityKind.Region => "schema:Place",
        EntityKind.Controversy => "schema:Event",
        _ => "schema:Recommendation",
    };

    private static async Task FlushSometimesAsync(Utf8JsonWriter json, int written, CancellationToken cancellationToken)
    {
        if (written % 500 == 0)
        {
            await json.FlushAsync(cancellationToken);
        }
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void Localized(Utf8JsonWriter json, string name, LocalizedText text)
    {
        json.WriteStartObject(name);
        json.WriteString("en", text.En);
        json.WriteString("fr", text.Fr);
        json.WriteEndObject();
    }

    // The sources a fact is derived from are those its citations point into; the reporter is an entity of the graph.
    private static void Provenance(Utf8JsonWriter json, FactProvenance provenance, IReadOnlyList<Citation> citations)
    {
        json.WriteString("basis", Domain.Vocabulary.ToWireName(provenance.Basis));
        Optional(json, "wasAttributedTo", provenance.ReportedBy is { } reporter ? Id("entity", reporter.Value) : null);
        if (provenance.Rationale is not null)
        {
            Localized(json, "rationale", provenance.Rationale);
        }

        Optional(json, "hedge", provenance.Hedge);
        json.WriteStartArray("wasDerivedFrom");
        foreach (var source in citations.Select(c => c.Source).Distinct(StringComparer.Ordinal))
        {
            json.WriteStringValue(Id("source", source));
        }

        json.WriteEndArray();
    }

    private static void Citations(Utf8JsonWriter json, IReadOnlyList<Citation> citations)
    {
        json.WriteStartArray("citations");
        foreach (var citation in citations)
        {
            json.WriteStartObject();
            json.WriteString("@type", "kg:Citation");
            json.WriteString("source", Id("source", citation.Source));
            json.WriteString("excerpt", citation.Excerpt);
            json.WriteNumber("start", citation.Start);
            json.WriteNumber("end", citation.End);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
