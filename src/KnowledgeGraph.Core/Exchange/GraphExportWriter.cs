using System.Text;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Exchange;

/// <summary>Writes a collected graph to a stream in any format but the seed folder.</summary>
public static class GraphExportWriter
{
    public static async Task WriteAsync(ExportFormat format, GraphSnapshot graph, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graph);
        switch (format)
        {
            case ExportFormat.SeedJson:
                await SeedWriter.WriteDocumentAsync(graph, output, cancellationToken);
                break;
            case ExportFormat.GraphMl:
                await GraphMlWriter.WriteAsync(graph, output, cancellationToken);
                break;
            case ExportFormat.JsonLd:
                await JsonLdWriter.WriteAsync(graph, output, cancellationToken);
                break;
            case ExportFormat.EntitiesCsv or ExportFormat.RelationshipsCsv:
                await using (var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true))
                {
                    if (format == ExportFormat.EntitiesCsv)
                    {
                        await GraphCsv.WriteEntitiesAsync(writer, graph.Entities, cancellationToken);
                    }
                    else
                    {
                        await GraphCsv.WriteRelationshipsAsync(writer, graph.Relationships, cancellationToken);
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "A seed folder is written with SeedWriter.WriteFolderAsync.");
        }
    }
}
