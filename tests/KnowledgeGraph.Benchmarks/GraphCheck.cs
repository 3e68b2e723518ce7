using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Benchmarks;

/// <summary>
/// Checks a generated graph the way the seed validator checks the seed: keys well formed and unique, references
/// resolvable, no self-relationship, every citation's excerpt standing exactly at its offsets; and that generating
/// twice gives the same bytes. Meant for small sizes: it holds the keys in memory.
/// </summary>
public static class GraphCheck
{
    public static int Run(ScaleOptions options)
    {
        var problems = new List<string>();
        var first = Check(new SyntheticGraph(options.Entities, options.Relationships, options.Seed), problems);
        var second = Hash(new SyntheticGraph(options.Entities, options.Relationships, options.Seed));
        if (first.Hash != second)
        {
            problems.Add("Generating twice with the same seed gave different graphs.");
        }

        Console.WriteLine($"graph hash {first.Hash}");
        Console.WriteLine($"kinds: {string.Join(", ", first.Kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value:N0}"))}");
        Console.WriteLine($"types: {string.Join(", ", first.Types.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value:N0}"))}");
        Console.WriteLine($"degree (in + out): max {first.MaxDegree:N0}, median {first.MedianDegree}, entities with none {first.Isolated:N0}");
        foreach (var problem in problems.Take(20))
        {
            Console.WriteLine($"PROBLEM: {problem}");
        }

        Console.WriteLine(problems.Count == 0 ? "check passed" : $"check failed: {problems.Count} problems");
        return problems.Count == 0 ? 0 : 1;
    }

    private static (string Hash, Dictionary<EntityKind, int> Kinds, Dictionary<RelationshipType, long> Types, int MaxDegree, int MedianDegree, int Isolated) Check(
        SyntheticGraph graph, List<string> problems)
    {
        var sources = graph.Sources.ToDictionary(s => s.Key, s => s.Text, StringComparer.Ordinal);
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var kinds = new Dictionary<EntityKind, int>();
        foreach (var entity in graph.Entities())
        {
            if (!EntityKey.IsWellFormed(entity.Key.Value) || !keys.TryAdd(entity.Key.Value, keys.Count))
            {
                problems.Add($"entity key {entity.Key} is malformed or repeated");
            }

            kinds[entity.Kind] = kinds.GetValueOrDefault(entity.Kind) + 1;
            CheckCitations(entity.Key.Value, entity.Citations, sources, problems);
            if (entity.Name.En.Length == 0 || entity.Name.Fr.Length == 0 || entity.Description.En.Length == 0 || entity.Description.Fr.Length == 0)
            {
                problems.Add($"entity {entity.Key} has an empty text");
            }
        }

        var degree = new int[graph.EntityCount];
        var types = new Dictionary<RelationshipType, long>();
        var relationshipKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relationship in graph.Relationships())
        {
            if (!EntityKey.IsWellFormed(relationship.Key) || !relationshipKeys.Add(relationship.Key))
            {
                problems.Add($"relationship key {relationship.Key} is malformed or repeated");
            }

            if (!keys.TryGetValue(relationship.From.Value, out var from) || !keys.TryGetValue(relationship.To.Value, out var to) || from == to)
            {
                problems.Add($"relationship {relationship.Key} points nowhere or at its own start");
                continue;
            }

            degree[from]++;
            degree[to]++;
            types[relationship.Type] = types.GetValueOrDefault(relationship.Type) + 1;
            CheckCitations(relationship.Key, relationship.Citations, sources, problems);
        }

        if (relationshipKeys.Count != graph.RelationshipCount)
        {
            problems.Add($"{relationshipKeys.Count} relationships generated, {graph.RelationshipCount} asked for");
        }

        if (kinds.Count != Enum.GetValues<EntityKind>().Length || (graph.RelationshipCount >= 1000 && types.Count != Enum.GetValues<RelationshipType>().Length))
        {
            problems.Add("not every kind or relationship type occurs");
        }

        var sorted = degree.Order().ToArray();
        return (Hash(graph), kinds, types, sorted[^1], sorted[sorted.Length / 2], sorted.Count(d => d == 0));
    }

    private static void CheckCitations(string owner, IReadOnlyList<Citation> citations, Dictionary<string, string> sources, List<string> problems)
    {
        if (citations.Count == 0)
        {
            problems.Add($"{owner} has no citation");
        }

        foreach (var citation in citations)
        {
            if (!sources.TryGetValue(citation.Source, out var text) || citation.Start < 0 || citation.End > text.Length
                || !string.Equals(text[citation.Start..citation.End], citation.Excerpt, StringComparison.Ordinal))
            {
                problems.Add($"{owner} cites {citation.Source} [{citation.Start}, {citation.End}) but the excerpt does not stand there");
            }
        }
    }

    private static string Hash(SyntheticGraph graph)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entity in graph.Entities())
        {
            hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entity)));
        }

        foreach (var relationship in graph.Relationships())
        {
            hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(relationship)));
        }

        return Convert.ToHexString(hash.GetHashAndReset())[..16];
    }
}
