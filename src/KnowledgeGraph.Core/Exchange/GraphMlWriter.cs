using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Exchange;

/// <summary>
/// Writes GraphML (graphml.graphdrawing.org) that Gephi, Cytoscape and yEd open: one node per entity (id = key), one
/// directed edge per relationship (id = key), every attribute declared as a <c>&lt;key&gt;</c> with attr.name and
/// attr.type. Citations travel as a JSON array in a string attribute, with the number of citations and the excerpts
/// joined for tools that cannot read JSON. Observations and quotes are not part of GraphML's graph and are left out.
/// </summary>
public static class GraphMlWriter
{
    public const string Namespace = "http://graphml.graphdrawing.org/xmlns";

    /// <summary>The declared keys: id, what they annotate, the attribute's name and type.</summary>
    public static readonly IReadOnlyList<(string Id, string For, string Name, string Type)> Keys =
    [
        ("n_label", "node", "label", "string"),
        ("n_key", "node", "key", "string"),
        ("n_kind", "node", "kind", "string"),
        ("n_name_en", "node", "name_en", "string"),
        ("n_name_fr", "node", "name_fr", "string"),
        ("n_description_en", "node", "description_en", "string"),
        ("n_description_fr", "node", "description_fr", "string"),
        ("n_aliases", "node", "aliases", "string"),
        ("n_citation_count", "node", "citation_count", "int"),
        ("n_excerpts", "node", "excerpts", "string"),
        ("n_citations", "node", "citations", "string"),
        ("e_label", "edge", "label", "string"),
        ("e_key", "edge", "key", "string"),
        ("e_type", "edge", "type", "string"),
        ("e_role_en", "edge", "role_en", "string"),
        ("e_chart", "edge", "chart", "string"),
        ("e_occurred_on", "edge", "occurred_on", "string"),
        ("e_note_en", "edge", "note_en", "string"),
        ("e_basis", "edge", "basis", "string"),
        ("e_reported_by", "edge", "reported_by", "string"),
        ("e_rationale_en", "edge", "rationale_en", "string"),
        ("e_hedge", "edge", "hedge", "string"),
        ("e_period_start", "edge", "period_start", "string"),
        ("e_period_end", "edge", "period_end", "string"),
        ("e_date_basis", "edge", "date_basis", "string"),
        ("e_citation_count", "edge", "citation_count", "int"),
        ("e_excerpts", "edge", "excerpts", "string"),
        ("e_citations", "edge", "citations", "string"),
    ];

    public static async Task WriteAsync(GraphSnapshot graph, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var settings = new XmlWriterSettings { Async = true, Indent = true, Encoding = new UTF8Encoding(false) };
        await using var xml = XmlWriter.Create(output, settings);
        await xml.WriteStartDocumentAsync();
        await xml.WriteStartElementAsync(null, "graphml", Namespace);
        await xml.WriteAttributeStringAsync("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
        await xml.WriteAttributeStringAsync("xsi", "schemaLocation", null, $"{Namespace} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd");
        foreach (var (id, target, name, type) in Keys)
        {
            await xml.WriteStartElementAsync(null, "key", Namespace);
            await xml.WriteAttributeStringAsync(null, "id", null, id);
            await xml.WriteAttributeStringAsync(null, "for", null, target);
            await xml.WriteAttributeStringAsync(null, "attr.name", null, name);
            await xml.WriteAttributeStringAsync(null, "attr.type", null, type);
            await xml.WriteEndElementAsync();
        }

        await xml.WriteStartElementAsync(null, "graph", Namespace);
        await xml.WriteAttributeStringAsync(null, "id", null, "knowledge-graph");
        await xml.WriteAttributeStringAsync(null, "edgedefault", null, "directed");
        var written = 0;
        foreach (var entity in graph.Entities)
        {
            await xml.WriteStartElementAsync(null, "node", Namespace);
            await xml.WriteAttributeStringAsync(null, "id", null, entity.Key.Value);
            await DataAsync(xml, "n_label", entity.Name.En);
            await DataAsync(xml, "n_key", entity.Key.Value);
            await DataAsync(xml, "n_kind", Vocabulary.ToWireName(entity.Kind));
            await DataAsync(xml, "n_name_en", entity.Name.En);
            await DataAsync(xml, "n_name_fr", entity.Name.Fr);
            await DataAsync(xml, "n_description_en", entity.Description.En);
            await DataAsync(xml, "n_description_fr", entity.Description.Fr);
            await DataAsync(xml, "n_aliases", entity.Aliases.Count == 0 ? null : string.Join(" | ", entity.Aliases.Select(a => a.Text)));
            await CitationsAsync(xml, "n", entity.Citations);
            await xml.WriteEndElementAsync();
            await FlushSometimesAsync(xml, ++written);
        }

        foreach (var relationship in graph.Relationships)
        {
            var p = relationship.Properties;
            await xml.WriteStartElementAsync(null, "edge", Namespace);
            await xml.WriteAttributeStringAsync(null, "id", null, relationship.Key);
            await xml.WriteAttributeStringAsync(null, "source", null, relationship.From.Value);
            await xml.WriteAttributeStringAsync(null, "target", null, relationship.To.Value);
            await DataAsync(xml, "e_label", Vocabulary.ToWireName(relationship.Type));
            await DataAsync(xml, "e_key", relationship.Key);
            await DataAsync(xml, "e_type", Vocabulary.ToWireName(relationship.Type));
            await DataAsync(xml, "e_role_en", p.Role?.En);
            await DataAsync(xml, "e_chart", p.Chart);
            await DataAsync(xml, "e_occurred_on", p.OccurredOn);
            await DataAsync(xml, "e_note_en", p.Note?.En);
            await DataAsync(xml, "e_basis", Vocabulary.ToWireName(relationship.Provenance.Basis));
            await DataAsync(xml, "e_reported_by", relationship.Provenance.ReportedBy?.Value);
            await DataAsync(xml, "e_rationale_en", relationship.Provenance.Rationale?.En);
            await DataAsync(xml, "e_hedge", relationship.Provenance.Hedge);
            await DataAsync(xml, "e_period_start", relationship.PeriodStart);
            await DataAsync(xml, "e_period_end", relationship.PeriodEnd);
            await DataAsync(xml, "e_date_basis", relationship.DateBasis is { } d ? Vocabulary.ToWireName(d) : null);
            await CitationsAsync(xml, "e", relationship.Citations);
            await xml.WriteEndElementAsync();
            await FlushSometimesAsync(xml, ++written);
        }

        await xml.WriteEndElementAsync();
        await xml.WriteEndElementAsync();
        await xml.WriteEndDocumentAsync();
        await xml.FlushAsync();
    }

    private static async Task FlushSometimesAsync(XmlWriter xml, int written)
    {
        if (written % 500 == 0)
        {
            await xml.FlushAsync();
        }
    }

    private static async Task CitationsAsync(XmlWriter xml, string prefix, IReadOnlyList<Citation> citations)
    {
        await DataAsync(xml, prefix + "_citation_count", citations.Count.ToString(CultureInfo.InvariantCulture));
        await DataAsync(xml, prefix + "_excerpts", string.Join(" | ", citations.Select(c => c.Excerpt)));
        var json = JsonSerializer.Serialize(citations.Select(c => new { source = c.Source, excerpt = c.Excerpt, start = c.Start, end = c.End }));
        await DataAsync(xml, prefix + "_citations", json);
    }

    private static async Task DataAsync(XmlWriter xml, string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        await xml.WriteStartElementAsync(null, "data", Namespace);
        await xml.WriteAttributeStringAsync(null, "key", null, key);
        await xml.WriteStringAsync(value);
        await xml.WriteEndElementAsync();
    }
}
