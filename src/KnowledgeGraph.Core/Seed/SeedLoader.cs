using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Seed;

/// <summary>A validated seed and a hash of its files, which stores keep to tell an unchanged seed from a changed one.</summary>
public sealed record LoadedSeed(GraphSnapshot Graph, string ContentHash);

/// <summary>
/// Reads a seed folder (see seed/README.md) and validates all of it: keys, kinds, types, references and every
/// citation's excerpt against its offsets. Either the whole graph comes back or a <see cref="SeedValidationException"/>
/// listing every problem found; nothing is ever returned half-checked.
/// </summary>
public static class SeedLoader
{
    public const string SourcesFile = "sources.json";
    public const string EntitiesFile = "entities.json";
    public const string RelationshipsFile = "relationships.json";
    public const string ObservationsFile = "observations.json";
    public const string QuotesFile = "quotes.json";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
    };

    public static async Task<LoadedSeed> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var problems = new List<SeedProblem>();
        if (!Directory.Exists(directory))
        {
            throw new SeedValidationException([new SeedProblem(directory, "folder", "the seed folder does not exist")]);
        }

        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Keys of entries that could not be read at all: already reported, so references to them are not reported again.
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        var sources = await ReadAsync<SourceDto>(directory, SourcesFile, hash, problems, unreadable, cancellationToken);
        var entities = await ReadAsync<EntityDto>(directory, EntitiesFile, hash, problems, unreadable, cancellationToken);
        var relationships = await ReadAsync<RelationshipDto>(directory, RelationshipsFile, hash, problems, unreadable, cancellationToken);
        var observations = await ReadAsync<ObservationDto>(directory, ObservationsFile, hash, problems, unreadable, cancellationToken);
        var quotes = await ReadAsync<QuoteDto>(directory, QuotesFile, hash, problems, unreadable, cancellationToken);

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            var path = Path.GetFullPath(Path.Combine(directory, source.File));
            if (!File.Exists(path))
            {
                continue; // reported by the validator
            }

            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            hash.AppendData(Encoding.UTF8.GetBytes(source.File));
            hash.AppendData(bytes);
            texts[source.Key] = new UTF8Encoding(false, true).GetString(bytes);
        }

        var validator = new SeedValidator(directory, texts, problems, unreadable);
        var graph = validator.Validate(sources, entities, relationships, observations, quotes);

        // The seed is a write of the whole graph, checked by the one validator every write goes through (once its
        // entries parse: an entry dropped for a fault above would only be reported again as a missing reference).
        if (problems.Count == 0)
        {
            problems.AddRange(Writes.WriteValidator.Check(graph).Select(p => new SeedProblem(SeedFile(p.Path), p.Path, p.Message)));
        }

        if (problems.Count > 0)
        {
            throw new SeedValidationException(problems);
        }

        return new LoadedSeed(graph, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string SeedFile(string problemPath) => problemPath[..Math.Max(0, problemPath.IndexOf('[', StringComparison.Ordinal))] switch
    {
        "sources" => SourcesFile,
        "entities" => EntitiesFile,
        "relationships" => RelationshipsFile,
        "observations" => ObservationsFile,
        _ => QuotesFile,
    };

    private static async Task<IReadOnlyList<T>> ReadAsync<T>(
        string directory,
        string fileName,
        IncrementalHash hash,
        List<SeedProblem> problems,
        HashSet<string> unreadable,
        CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            problems.Add(new SeedProblem(fileName, "file", "the file is missing"));
            return [];
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        hash.AppendData(Encoding.UTF8.GetBytes(fileName));
        hash.AppendData(bytes);
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new SeedProblem(fileName, "file", "the file must hold a JSON array"));
                return [];
            }

            // Entries are read one by one so that a problem names the entry it is in.
            var items = new List<T>();
            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                index++;
                try
                {
                    var item = element.Deserialize<T>(JsonOptions);
                    if (item is null)
                    {
                        problems.Add(new SeedProblem(fileName, $"entry #{index}", "the entry is null"));
                    }
                    else
                    {
                        items.Add(item);
                    }
                }
                catch (JsonException exception)
                {
                    var key = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("key", out var k)
                        && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                    if (key is not null)
                    {
                        unreadable.Add(key);
                    }

                    var entry = key is null ? $"entry #{index}" : $"entry '{key}' (#{index})";
                    problems.Add(new SeedProblem(fileName, entry, Clean(exception.Message)));
                }
            }

            return items;
        }
        catch (JsonException exception)
        {
            problems.Add(new SeedProblem(fileName, "file", $"not valid JSON: {Clean(exception.Message)}"));
            return [];
        }
    }

    internal static string Clean(string message)
    {
        // System.Text.Json names the CLR type in some messages; the reader of a seed error needs only the JSON words.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        var unmapped = text.IndexOf(" could not be mapped to any .NET member", StringComparison.Ordinal);
        if (unmapped > 0)
        {
            text = text[..unmapped].Replace("The JSON property", "property", StringComparison.Ordinal) + " is not part of the format (see seed/README.md)";
        }

        return text.Replace("KnowledgeGraph.Seed.", string.Empty, StringComparison.Ordinal)
            .Replace("Dto", string.Empty, StringComparison.Ordinal)
            .TrimEnd('.')
            .ToString(CultureInfo.InvariantCulture);
    }
}
