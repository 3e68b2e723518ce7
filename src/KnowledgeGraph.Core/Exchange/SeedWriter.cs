using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;

namespace KnowledgeGraph.Exchange;

/// <summary>
/// Writes a graph in the seed format (seed/README.md): a folder of the six files and the source texts, or one JSON
/// document of the same sections whose sources carry their <c>text</c> inline. Either re-imports to the same graph.
/// </summary>
public static class SeedWriter
{
    // The seed's files keep accented letters and apostrophes as they are; these files are data, never HTML.
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteDocumentAsync(GraphSnapshot graph, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graph);
        await using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        await SectionAsync(json, SeedImportReader.SourcesSection, graph.Sources, (w, s) => WriteSource(w, s, file: null), cancellationToken);
        await SectionAsync(json, SeedImportReader.EntitiesSection, graph.Entities, WriteEntity, cancellationToken);
        await SectionAsync(json, SeedImportReader.RelationshipsSection, graph.Relationships, WriteRelationship, cancellationToken);
        await SectionAsync(json, SeedImportReader.ObservationsSection, graph.Observations, WriteObservation, cancellationToken);
        await SectionAsync(json, SeedImportReader.QuotesSection, graph.Quotes, WriteQuote, cancellationToken);
        await SectionAsync(json, SeedImportReader.ClaimsSection, graph.Claims, WriteClaim, cancellationToken);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    /// <summary>Writes the seed files into <paramref name="directory"/>, each source text as <c>sources/{key}.{language}.txt</c>.</summary>
    public static async Task WriteFolderAsync(GraphSnapshot graph, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Directory.CreateDirectory(Path.Combine(directory, "sources"));
        var files = graph.Sources.ToDictionary(s => s.Key, s => $"sources/{s.Key}.{Vocabulary.ToCode(s.Language)}.txt", StringComparer.Ordinal);
        foreach (var source in graph.Sources)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, files[source.Key]), source.Text, new UTF8Encoding(false), cancellationToken);
        }

        await FileAsync(directory, SeedLoader.SourcesFile, graph.Sources, (w, s) => WriteSource(w, s, files[s.Key]), cancellationToken);
        await FileAsync(directory, SeedLoader.EntitiesFile, graph.Entities, WriteEntity, cancellationToken);
        await FileAsync(directory, SeedLoader.RelationshipsFile, graph.Relationships, WriteRelationship, cancellationToken);
        await FileAsync(directory, SeedLoader.ObservationsFile, graph.Observations, WriteObservation, cancellationToken);
        await FileAsync(directory, SeedLoader.QuotesFile, graph.Quotes, WriteQuote, cancellationToken);
        await FileAsync(directory, SeedLoader.ClaimsFile, graph.Claims, WriteClaim, cancellationToken);
    }

    private static async Task FileAsync<T>(string directory, string name, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(Path.Combine(directory, name));
        await using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartArray();
            await ItemsAsync(json, items, write, cancellationToken);
            json.WriteEndArray();
            await json.FlushAsync(cancellationToken);
        }

        stream.WriteByte((byte)'\n');
    }

    private static async Task SectionAsync<T>(Utf8JsonWriter json, string name, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        json.WriteStartArray(name);
        await ItemsAsync(json, items, write, cancellationToken);
        json.WriteEndArray();
    }

    private static async Task ItemsAsync<T>(Utf8JsonWriter json, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        for (var i = 0; i < items.Count; i++)
        {
            write(json, items[i]);
            // Large exports leave in pieces rather than as one buffer.
            if (json.BytesPending > 64 * 1024)
            {
                await json.FlushAsync(cancellationToken);
            }
        }
    }

    private static void WriteSource(Utf8JsonWriter json, Source source, string? file)
    {
        json.WriteStartObject();
        json.WriteString("key", source.Key);
        Text(json, "title", source.Title);
        json.WriteString("language", Vocabulary.ToCode(source.Language));
        json.WriteString("publishedOn", source.PublishedOn);
        json.WriteString("url", source.Url);
        if (source.RetrievedOn is not null)
        {
            json.WriteString("retrievedOn", source.RetrievedOn);
        }

        if (file is null)
        {
            json.WriteString("text", source.Text);
        }
        else
        {
            json.WriteString("file", file);
        }

        json.WriteEndObject();
    }

    private static void WriteEntity(Utf8JsonWriter json, Entity entity)
    {
        json.WriteStartObject();
        json.WriteString("key", entity.Key.Value);
        json.WriteString("kind", Vocabulary.ToWireName(entity.Kind));
        Text(json, "name", entity.Name);
        Text(json, "description", entity.Description);
        json.WriteStartArray("aliases");
        foreach (var alias in entity.Aliases)
        {
            json.WriteStartObject();
            json.WriteString("text", alias.Text);
            json.WriteString("language", alias.Language is { } l ? Vocabulary.ToCode(l) : null);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        Citations(json, entity.Citations);
        json.WriteEndObject();
    }

    private static void WriteRelationship(Utf8JsonWriter json, Relationship relationship)
    {
        json.WriteStartObject();
        json.WriteString("key", relationship.Key);
        json.WriteString("type", Vocabulary.ToWireName(relationship.Type));
        json.WriteString("from", relationship.From.Value);
        json.WriteString("to", relationship.To.Value);
        var p = relationship.Properties;
        if (p.Role is not null || p.Chart is not null || p.OccurredOn is not null || p.Note is not null)
        {
            json.WriteStartObject("properties");
            Text(json, "role", p.Role, skipNull: true);
            if (p.Chart is not null)
            {
                json.WriteString("chart", p.Chart);
            }

            if (p.OccurredOn is not null)
            {
                json.WriteString("occurredOn", p.OccurredOn);
            }

            Text(json, "note", p.Note, skipNull: true);
            json.WriteEndObject();
        }

        Provenance(json, relationship.Provenance);
        OptionalString(json, "periodStart", relationship.PeriodStart);
        OptionalString(json, "periodEnd", relationship.PeriodEnd);
        OptionalString(json, "dateBasis", relationship.DateBasis is { } d ? Vocabulary.ToWireName(d) : null);
        Citations(json, relationship.Citations);
        json.WriteEndObject();
    }

    private static void WriteObservation(Utf8JsonWriter json, Observation observation)
    {
        json.WriteStartObject();
        json.WriteString("key", observation.Key);
        json.WriteString("subject", observation.Subject.Value);
        json.WriteString("metric", observation.Metric);
        json.WritePropertyName("value");
        json.WriteRawValue(Number(observation.Value));
        json.WriteString("unit", observation.Unit);
        json.WriteString("precision", Vocabulary.ToWireName(observation.Precision));
        json.WriteString("periodStart", observation.PeriodStart);
        json.WriteString("periodEnd", observation.PeriodEnd);
        json.WriteString("duration", observation.Duration);
        json.WriteString("region", observation.Region?.Value);
        Text(json, "note", observation.Note);
        Provenance(json, observation.Provenance);
        OptionalString(json, "dateBasis", observation.DateBasis is { } d ? Vocabulary.ToWireName(d) : null);
        OptionalString(json, "shareOf", observation.ShareOf);
        Citations(json, observation.Citations);
        json.WriteEndObject();
    }

    private static void WriteQuote(Utf8JsonWriter json, Quote quote)
    {
        json.WriteStartObject();
        json.WriteString("key", quote.Key);
        json.WriteString("speaker", quote.Speaker.Value);
        json.WriteString("text", quote.Text);
        json.WriteString("language", Vocabulary.ToCode(quote.Language));
        json.WriteString("translation", quote.TranslationEn);
        Citations(json, quote.Citations);
        json.WriteEndObject();
    }

    private static void WriteClaim(Utf8JsonWriter json, Claim claim)
    {
        json.WriteStartObject();
        json.WriteString("key", claim.Key);
        Text(json, "text", claim.Text);
        json.WriteStartArray("about");
        foreach (var key in claim.About)
        {
            json.WriteStringValue(key.Value);
        }

        json.WriteEndArray();
        Provenance(json, claim.Provenance);
        Citations(json, claim.Citations);
        json.WriteEndObject();
    }

    // Written on every fact, its basis included, as the seed itself does; what does not apply is left out.
    private static void Provenance(Utf8JsonWriter json, FactProvenance provenance)
    {
        json.WriteString("basis", Vocabulary.ToWireName(provenance.Basis));
        OptionalString(json, "reportedBy", provenance.ReportedBy?.Value);
        Text(json, "rationale", provenance.Rationale, skipNull: true);
        OptionalString(json, "hedge", provenance.Hedge);
    }

    private static void OptionalString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>A figure as the seed writes it: 25000000 rather than 25000000.0.</summary>
    internal static string Number(decimal value) =>
        (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    private static void Text(Utf8JsonWriter json, string name, LocalizedText? text, bool skipNull = false)
    {
        if (text is null)
        {
            if (!skipNull)
            {
                json.WriteNull(name);
            }

            return;
        }

        json.WriteStartObject(name);
        json.WriteString("en", text.En);
        json.WriteString("fr", text.Fr);
        json.WriteEndObject();
    }

    private static void Citations(Utf8JsonWriter json, IReadOnlyList<Citation> citations)
    {
        json.WriteStartArray("citations");
        foreach (var citation in citations)
        {
            json.WriteStartObject();
            json.WriteString("source", citation.Source);
            json.WriteNumber("start", citation.Start);
            json.WriteNumber("end", citation.End);
            json.WriteString("excerpt", citation.Excerpt);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
