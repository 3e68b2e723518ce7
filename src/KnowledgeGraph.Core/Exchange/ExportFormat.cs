namespace KnowledgeGraph.Exchange;

/// <summary>What an export writes. Wire names: seed, seed-json, entities-csv, relationships-csv, graphml, jsonld.</summary>
public enum ExportFormat
{
    /// <summary>A seed folder, exactly as seed/README.md describes it (command line only).</summary>
    Seed,
    /// <summary>The seed format as one JSON document, source texts inline; re-imports as <see cref="ImportFormat.SeedJson"/>.</summary>
    SeedJson,
    EntitiesCsv,
    RelationshipsCsv,
    /// <summary>GraphML for Gephi, Cytoscape and yEd: nodes and edges with declared keys.</summary>
    GraphMl,
    /// <summary>JSON-LD with schema.org names and a small vocabulary for citations.</summary>
    JsonLd,
}

public static class ExportFormats
{
    private static readonly (ExportFormat Format, string Name, string MediaType, string Extension)[] All =
    [
        (ExportFormat.Seed, "seed", "application/json", string.Empty),
        (ExportFormat.SeedJson, "seed-json", "application/json", "json"),
        (ExportFormat.EntitiesCsv, "entities-csv", "text/csv", "entities.csv"),
        (ExportFormat.RelationshipsCsv, "relationships-csv", "text/csv", "relationships.csv"),
        (ExportFormat.GraphMl, "graphml", "application/graphml+xml", "graphml"),
        (ExportFormat.JsonLd, "jsonld", "application/ld+json", "jsonld"),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(f => f.Name)];

    public static string MediaTypeOf(ExportFormat format) => All.First(f => f.Format == format).MediaType;

    /// <summary>The file name's ending, such as <c>graphml</c> or <c>entities.csv</c>.</summary>
    public static string ExtensionOf(ExportFormat format) => All.First(f => f.Format == format).Extension;

    public static bool TryParse(string? name, out ExportFormat format)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                format = candidate.Format;
                return true;
            }
        }

        format = default;
        return false;
    }
}
