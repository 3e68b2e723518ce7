using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;

namespace KnowledgeGraph.Exchange;

/// <summary>
/// Writes a graph in the seed format (seed/README.md): a folder of the six files and the source texts, or one JSON
/// document of the same sections whose sources carry their <c>text</c> inline. Either re-imports to the same graph.
/// Each record leaves as its seed entry (SeedFormat.cs), the type the seed loader reads, so the format's fields are
/// named there and nowhere here.
/// </summary>
public static class SeedWriter
{
    // The seed's files keep accented letters and apostrophes as they are; these files are data, never HTML.
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteDocumentAsync(GraphSnapshot graph, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graph);
        await using var json = new EntryWriter(output);
        json.Writer.WriteStartObject();
        await SectionAsync(json, SeedImportReader.SourcesSection, graph.Sources, s => new InlineSourceDto(s), cancellationToken);
        await SectionAsync(json, SeedImportReader.EntitiesSection, graph.Entities, EntityDto.Of, cancellationToken);
        await SectionAsync(json, SeedImportReader.RelationshipsSection, graph.Relationships, RelationshipDto.Of, cancellationToken);
        await SectionAsync(json, SeedImportReader.ObservationsSection, graph.Observations, ObservationDto.Of, cancellationToken);
        await SectionAsync(json, SeedImportReader.QuotesSection, graph.Quotes, QuoteDto.Of, cancellationToken);
        await SectionAsync(json, SeedImportReader.ClaimsSection, graph.Claims, ClaimDto.Of, cancellationToken);
        json.Writer.WriteEndObject();
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

        await FileAsync(directory, SeedLoader.SourcesFile, graph.Sources, s => new SourceDto(s, files[s.Key]), cancellationToken);
        await FileAsync(directory, SeedLoader.EntitiesFile, graph.Entities, EntityDto.Of, cancellationToken);
        await FileAsync(directory, SeedLoader.RelationshipsFile, graph.Relationships, RelationshipDto.Of, cancellationToken);
        await FileAsync(directory, SeedLoader.ObservationsFile, graph.Observations, ObservationDto.Of, cancellationToken);
        await FileAsync(directory, SeedLoader.QuotesFile, graph.Quotes, QuoteDto.Of, cancellationToken);
        await FileAsync(directory, SeedLoader.ClaimsFile, graph.Claims, ClaimDto.Of, cancellationToken);
    }

    private static async Task FileAsync<T, TEntry>(string directory, string name, IReadOnlyList<T> items, Func<T, TEntry> entry, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(Path.Combine(directory, name));
        await using (var json = new EntryWriter(stream))
        {
            json.Writer.WriteStartArray();
            await ItemsAsync(json, items, entry, cancellationToken);
            json.Writer.WriteEndArray();
            await json.FlushAsync(cancellationToken);
        }

        stream.WriteByte((byte)'\n');
    }

    private static async Task SectionAsync<T, TEntry>(EntryWriter json, string name, IReadOnlyList<T> items, Func<T, TEntry> entry, CancellationToken cancellationToken)
    {
        json.Writer.WriteStartArray(name);
        await ItemsAsync(json, items, entry, cancellationToken);
        json.Writer.WriteEndArray();
    }

    private static async Task ItemsAsync<T, TEntry>(EntryWriter json, IReadOnlyList<T> items, Func<T, TEntry> entry, CancellationToken cancellationToken)
    {
        for (var i = 0; i < items.Count; i++)
        {
            await json.WriteAsync(entry(items[i]), cancellationToken);
        }
    }

    /// <summary>A figure as the seed writes it: 25000000 rather than 25000000.0.</summary>
    internal static string Number(decimal value) =>
        (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The serializer flushes its writer after every entry, which on a response stream would be a synchronous write;
    /// the JSON is written into a buffer instead, and large exports leave in pieces of about 64 KiB, asynchronously.
    /// </summary>
    private sealed class EntryWriter : IAsyncDisposable
    {
        private const int PieceBytes = 64 * 1024;
        private readonly ArrayBufferWriter<byte> _buffer = new(PieceBytes);
        private readonly Stream _output;

        public EntryWriter(Stream output)
        {
            _output = output;
            Writer = new Utf8JsonWriter(_buffer, Options);
        }

        public Utf8JsonWriter Writer { get; }

        public async Task WriteAsync<TEntry>(TEntry entry, CancellationToken cancellationToken)
        {
            JsonSerializer.Serialize(Writer, entry, (JsonTypeInfo<TEntry>)SeedExportJson.Default.GetTypeInfo(typeof(TEntry))!);
            if (_buffer.WrittenCount > PieceBytes)
            {
                await FlushAsync(cancellationToken);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            Writer.Flush();
            await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken);
            await _output.FlushAsync(cancellationToken);
            _buffer.ResetWrittenCount();
        }

        public ValueTask DisposeAsync() => Writer.DisposeAsync();
    }
}

/// <summary>
/// The seed entries' serialisation, generated at build time with the seed loader's options (<c>SeedLoader.JsonOptions</c>)
/// so that an export neither reflects over the entries nor goes through the serializer's general path for each one.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SourceDto))]
[JsonSerializable(typeof(InlineSourceDto))]
[JsonSerializable(typeof(EntityDto))]
[JsonSerializable(typeof(RelationshipDto))]
[JsonSerializable(typeof(ObservationDto))]
[JsonSerializable(typeof(QuoteDto))]
[JsonSerializable(typeof(ClaimDto))]
internal sealed partial class SeedExportJson : JsonSerializerContext;
