using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;

namespace KnowledgeGraph.Exchange;

/// <summary>
/// Reads the seed format for an import, row by row: a folder exactly as seed/README.md describes it, or one JSON
/// document <c>{ "sources": [...], "entities": [...], "relationships": [...], "observations": [...], "quotes": [...], "claims": [...] }</c>
/// whose sources carry their <c>text</c> inline. A row that cannot be read keeps its problems; the write validator
/// checks the rest (keys, references, citations) batch by batch, against the store.
/// </summary>
public static class SeedImportReader
{
    public const string SourcesSection = "sources";
    public const string EntitiesSection = "entities";
    public const string RelationshipsSection = "relationships";
    public const string ObservationsSection = "observations";
    public const string QuotesSection = "quotes";
    public const string ClaimsSection = "claims";

    private static readonly string[] Sections = [SourcesSection, EntitiesSection, RelationshipsSection, ObservationsSection, QuotesSection, ClaimsSection];

    /// <summary>Rows in the order they are written: sources, entities, relationships, observations, quotes.</summary>
    public static IReadOnlyList<ImportRow> ReadDocument(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException exception)
        {
            throw new ImportFormatException($"The content is not valid JSON: {SeedLoader.Clean(exception.Message)}.", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ImportFormatException("The seed document must be a JSON object: { \"sources\": [...], \"entities\": [...], \"relationships\": [...], \"observations\": [...], \"quotes\": [...] }.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!Sections.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw new ImportFormatException($"'{property.Name}' is not a section of the seed format (expected {string.Join(", ", Sections)}).");
                }

                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new ImportFormatException($"The section '{property.Name}' must be a JSON array.");
                }
            }

            var rows = new List<ImportRow>();
            foreach (var section in Sections)
            {
                if (root.TryGetProperty(section, out var array))
                {
                    ReadSection(section, array, rows, inlineText: true, folder: null);
                }
            }

            return rows;
        }
    }

    /// <summary>A seed folder; files that are absent count as empty sections, source texts are read from their files.</summary>
    public static async Task<IReadOnlyList<ImportRow>> ReadFolderAsync(string directory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new ImportFormatException($"The folder '{directory}' does not exist.");
        }

        var files = new[]
        {
            (SourcesSection, SeedLoader.SourcesFile), (EntitiesSection, SeedLoader.EntitiesFile), (RelationshipsSection, SeedLoader.RelationshipsFile),
            (ObservationsSection, SeedLoader.ObservationsFile), (QuotesSection, SeedLoader.QuotesFile), (ClaimsSection, SeedLoader.ClaimsFile),
        };
        if (!files.Any(f => File.Exists(Path.Combine(directory, f.Item2))))
        {
            throw new ImportFormatException($"The folder '{directory}' holds none of the seed files ({string.Join(", ", files.Select(f => f.Item2))}).");
        }

        var rows = new List<ImportRow>();
        foreach (var (section, file) in files)
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw new ImportFormatException($"{file} must hold a JSON array.");
                }

                ReadSection(section, document.RootElement, rows, inlineText: false, folder: directory);
            }
            catch (JsonException exception)
            {
                throw new ImportFormatException($"{file} is not valid JSON: {SeedLoader.Clean(exception.Message)}.", exception);
            }
        }

        return rows;
    }

    private static void ReadSection(string section, JsonElement array, List<ImportRow> rows, bool inlineText, string? folder)
    {
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            rows.Add(ReadRow(section, index++, element, inlineText, folder));
        }
    }

    private static ImportRow ReadRow(string section, int index, JsonElement element, bool inlineText, string? folder)
    {
        var key = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        var type = section switch
        {
            SourcesSection => RecordType.Source,
            EntitiesSection => RecordType.Entity,
            RelationshipsSection => RecordType.Relationship,
            ObservationsSection => RecordType.Observation,
            ClaimsSection => RecordType.Claim,
            _ => RecordType.Quote,
        };
        var problems = new List<ImportProblem>();
        var at = $"{section}[{index}]";
        object? record = null;
        try
        {
            record = type switch
            {
                RecordType.Source when inlineText => Deserialize<InlineSourceDto>(element).ToRecord(at, problems),
                RecordType.Source => ToSource(Deserialize<SourceDto>(element), folder!, at, problems),
                RecordType.Entity => Deserialize<EntityDto>(element).ToRecord(at, problems),
                RecordType.Relationship => Deserialize<RelationshipDto>(element).ToRecord(at, problems),
                RecordType.Observation => Deserialize<ObservationDto>(element).ToRecord(at, problems),
                RecordType.Claim => Deserialize<ClaimDto>(element).ToRecord(at, problems),
                _ => Deserialize<QuoteDto>(element).ToRecord(at, problems),
            };
        }
        catch (JsonException exception)
        {
            problems.Add(new ImportProblem(at, SeedLoader.Clean(exception.Message)));
        }

        return ImportRow.FromJson(section, index, type, key, problems.Count == 0 ? record : null, problems);
    }

    private static T Deserialize<T>(JsonElement element) =>
        element.Deserialize<T>(SeedLoader.JsonOptions) ?? throw new JsonException("The entry is null");

    private static Source ToSource(SourceDto dto, string folder, string at, List<ImportProblem> problems)
    {
        var root = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
        var path = Path.GetFullPath(Path.Combine(folder, dto.File));
        var text = string.Empty;
        if (!path.StartsWith(root, StringComparison.Ordinal))
        {
            problems.Add(new ImportProblem(at + ".file", $"'{dto.File}' is outside the seed folder"));
        }
        else if (!File.Exists(path))
        {
            problems.Add(new ImportProblem(at + ".file", $"'{dto.File}' does not exist"));
        }
        else
        {
            try
            {
                text = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(path));
            }
            catch (DecoderFallbackException)
            {
                problems.Add(new ImportProblem(at + ".file", $"'{dto.File}' is not UTF-8 text"));
            }
        }

        return dto.ToRecord(text, at, problems);
    }

    internal static TEnum Enum<TEnum>(string value, string path, List<ImportProblem> problems)
        where TEnum : struct, Enum => SeedRecords.Enum<TEnum>(value, path, problems);
}
