using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;

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

    /// <summary>Optional: a seed without claims leaves the file out.</summary>
    public const string ClaimsFile = "claims.json";

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
        var sources = await ReadAsync<SourceDto>(directory, SourcesFile, hash, problems, cancellationToken);
        var entities = await ReadAsync<EntityDto>(directory, EntitiesFile, hash, problems, cancellationToken);
        var relationships = await ReadAsync<RelationshipDto>(directory, RelationshipsFile, hash, problems, cancellationToken);
        var observations = await ReadAsync<ObservationDto>(directory, ObservationsFile, hash, problems, cancellationToken);
        var quotes = await ReadAsync<QuoteDto>(directory, QuotesFile, hash, problems, cancellationToken);
        var claims = File.Exists(Path.Combine(directory, ClaimsFile))
            ? await ReadAsync<ClaimDto>(directory, ClaimsFile, hash, problems, cancellationToken)
            : [];

        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            var source = sources[i];
            var path = Path.GetFullPath(Path.Combine(directory, source.File));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                problems.Add(new SeedProblem(SourcesFile, EntryName(source.Key, i), $"file '{source.File}' is outside the seed folder"));
                continue;
            }

            if (!File.Exists(path))
            {
                problems.Add(new SeedProblem(SourcesFile, EntryName(source.Key, i), $"file '{source.File}' does not exist"));
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            hash.AppendData(Encoding.UTF8.GetBytes(source.File));
            hash.AppendData(bytes);
            texts[source.Key] = new UTF8Encoding(false, true).GetString(bytes);
        }

        // Entries that could not be read are already reported: the write validator would only report them again as
        // missing references, so it runs once every entry and source file is read. A word outside the vocabulary
        // does not stop it: the record is still there to be referred to.
        var readable = problems.Count == 0;
        var mapping = new List<ImportProblem>();
        var graph = new GraphSnapshot(
            [.. sources.Select((s, i) => s.ToRecord(texts.GetValueOrDefault(s.Key, string.Empty), $"sources[{i}]", mapping))],
            [.. entities.Select((e, i) => e.ToRecord($"entities[{i}]", mapping))],
            [.. relationships.Select((r, i) => r.ToRecord($"relationships[{i}]", mapping))],
            [.. observations.Select((o, i) => o.ToRecord($"observations[{i}]", mapping))],
            [.. quotes.Select((q, i) => q.ToRecord($"quotes[{i}]", mapping))])
        {
            Claims = [.. claims.Select((c, i) => c.ToRecord($"claims[{i}]", mapping))],
        };
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["sources"] = [.. sources.Select(s => s.Key)],
            ["entities"] = [.. entities.Select(e => e.Key)],
            ["relationships"] = [.. relationships.Select(r => r.Key)],
            ["observations"] = [.. observations.Select(o => o.Key)],
            ["quotes"] = [.. quotes.Select(q => q.Key)],
            ["claims"] = [.. claims.Select(c => c.Key)],
        };
        var found = mapping.Select(p => (p.InputPath, p.Message));
        if (readable)
        {
            var (placed, written) = Writes.WriteValidator.Check(graph);
            graph = placed;
            found = found.Concat(written.Select(p => (p.Path, p.Message)));
        }

        problems.AddRange(found.Select(p => Locate(p.Item1, p.Item2, keys)));
        if (problems.Count > 0)
        {
            throw new SeedValidationException(problems);
        }

        return new LoadedSeed(graph, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>A problem at <c>relationships[3].citations[0].excerpt</c> in the words of the files: relationships.json, entry 'key' (#4), citations[0].excerpt: ...</summary>
    private static SeedProblem Locate(string path, string message, Dictionary<string, IReadOnlyList<string>> keys)
    {
        var open = path.IndexOf('[', StringComparison.Ordinal);
        var close = path.IndexOf(']', StringComparison.Ordinal);
        if (open < 0 || close < open || !int.TryParse(path.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return new SeedProblem("seed", path, message);
        }

        var section = path[..open];
        var file = section switch
        {
            "sources" => SourcesFile,
            "entities" => EntitiesFile,
            "relationships" => RelationshipsFile,
            "observations" => ObservationsFile,
            "claims" => ClaimsFile,
            _ => QuotesFile,
        };
        var key = keys.TryGetValue(section, out var list) && index < list.Count ? list[index] : null;
        var field = path[(close + 1)..].TrimStart('.');
        return new SeedProblem(file, EntryName(key, index), field.Length == 0 ? message : $"{field}: {message}");
    }

    private static string EntryName(string? key, int index) => string.IsNullOrEmpty(key) ? $"entry #{index + 1}" : $"entry '{key}' (#{index + 1})";

    private static async Task<IReadOnlyList<T>> ReadAsync<T>(
        string directory,
        string fileName,
        IncrementalHash hash,
        List<SeedProblem> problems,
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
