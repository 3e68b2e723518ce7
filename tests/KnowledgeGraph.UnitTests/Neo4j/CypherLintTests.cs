using System.Diagnostics;
using System.Text.Json;
using KnowledgeGraph.Domain;
using KnowledgeGraph.Seed;
using KnowledgeGraph.Store.Neo4j;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>Skipped, with the reason, where Node.js is not installed.</summary>
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (!Tools.OnPath("node") || !Tools.OnPath("npm"))
        {
            Skip = "Node.js (node and npm) is not on PATH; the Cypher lint needs it (tests/cypher-lint).";
        }
    }
}

internal static class Tools
{
    private static readonly Lock CypherLintInstall = new();

    /// <summary>
    /// The folder of the Cypher linter, its packages installed once: test classes run in parallel, and an
    /// <c>npm ci</c> empties <c>node_modules</c> before it fills it, so two at once would pull the linter away from a
    /// test that is running it.
    /// </summary>
    public static string CypherLintDirectory()
    {
        var directory = Path.Combine(RepoPaths.Root, "tests", "cypher-lint");
        lock (CypherLintInstall)
        {
            if (!Directory.Exists(Path.Combine(directory, "node_modules", "@neo4j-cypher", "language-support")))
            {
                var (code, output) = Run("npm", "ci --no-audit --no-fund", directory, TimeSpan.FromMinutes(5));
                Assert.True(code == 0, "npm ci in tests/cypher-lint failed:\n" + output);
            }
        }

        return directory;
    }

    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Any(directory => File.Exists(Path.Combine(directory, tool)));

    public static (int ExitCode, string Output) Run(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"{file} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} took longer than {timeout}.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>
/// Every statement of <see cref="Neo4jCypher.All"/> goes through Neo4j's own Cypher parser and semantic analysis
/// (@neo4j-cypher/language-support), with its parameters, the model's labels, relationship types and property keys
/// declared. Any diagnostic fails, naming the statement.
/// </summary>
public class CypherLintTests
{
    [NodeFact]
    public async Task Every_statement_the_store_can_send_passes_neo4js_cypher_linter()
    {
        var directory = Tools.CypherLintDirectory();

        var file = Path.Combine(Path.GetTempPath(), $"cypher-statements-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(await LintInputAsync()));
        try
        {
            var (code, output) = Tools.Run("node", $"lint.mjs \"{file}\"", directory, TimeSpan.FromMinutes(2));
            Assert.True(code == 0, output);
            Assert.Contains($"{Neo4jCypher.All.Count} statements linted, 0 diagnostics.", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [NodeFact]
    public async Task The_linter_fails_naming_a_statement_with_an_error_or_an_undeclared_parameter()
    {
        var directory = Tools.CypherLintDirectory();
        var file = Path.Combine(Path.GetTempPath(), $"cypher-statements-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
        {
            labels = new[] { "Entity" },
            relationshipTypes = new[] { "OWNS" },
            propertyKeys = new[] { "key" },
            statements = new[]
            {
                new { name = "Good", text = "MATCH (e:Entity {key: $key}) RETURN e", parameters = new[] { "key" } },
                new { name = "Misspelt", text = "MATCH (e:Entity) RETRN e", parameters = Array.Empty<string>() },
                new { name = "Undeclared", text = "MATCH (e:Entity {key: $key}) RETURN e", parameters = Array.Empty<string>() },
            },
        }));
        try
        {
            var (code, output) = Tools.Run("node", $"lint.mjs \"{file}\"", directory, TimeSpan.FromMinutes(2));

            Assert.Equal(1, code);
            Assert.Contains("FAIL Misspelt", output, StringComparison.Ordinal);
            Assert.Contains("FAIL Undeclared", output, StringComparison.Ordinal);
            Assert.Contains("$key is not defined", output, StringComparison.Ordinal);
            Assert.DoesNotContain("FAIL Good", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The linter's input: the model's labels, types and property keys, and the statements (the whole catalogue by default).</summary>
    internal static async Task<object> LintInputAsync(IReadOnlyList<CypherTemplate>? statements = null)
    {
        // Property keys are those the seed writes, so a misspelt property in a read is a diagnostic.
        var seed = await SeedLoader.LoadAsync(Path.Combine(RepoPaths.Root, "seed"), CancellationToken.None);
        // The write path's own nodes (:History, :Meta, :ApiKey) add the keys listed here.
        const string origin = Neo4jRecords.SeedOrigin;
        var rows = seed.Graph.Sources.Select(s => Neo4jRecords.SourceRow(s, origin))
            .Concat(seed.Graph.Entities.Select(e => Neo4jRecords.EntityRow(e, origin)))
            .Concat(seed.Graph.Relationships.Select(r => Neo4jRecords.RelationshipRow(r, origin)))
            .Concat(seed.Graph.Observations.Select(o => Neo4jRecords.ObservationRow(o, origin)))
            .Concat(seed.Graph.Quotes.Select(q => Neo4jRecords.QuoteRow(q, origin)))
            .Concat(seed.Graph.Claims.Select(c => Neo4jRecords.ClaimRow(c, origin)))
            // A claim's properties, whether or not the seed has claims yet.
            .Append(Neo4jRecords.ClaimRow(new Claim("a-claim", new LocalizedText("A.", "A."), [new EntityKey("whatsapp")], FactProvenance.Stated, []), origin))
            .ToList();
        var propertyKeys = rows.SelectMany(r => r.Keys)
            .Concat(rows.Select(r => r.GetValueOrDefault("properties")).OfType<Dictionary<string, object?>>().SelectMany(p => p.Keys))
            .Concat(["id", "contentHash", "appliedAt", "revision"])
            .Concat(["recordType", "recordKey", "outcome", "actor", "at", "reason", "snapshot", "sequence"])
            .Concat(["name", "role", "hash", "createdAt", "revokedAt"])
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new
        {
            labels = Enum.GetValues<EntityKind>().Select(Neo4jCypher.LabelOf).Concat(["Entity", "Observation", "Quote", "Claim", "Source", "SeedMeta", "Meta", "History", "ApiKey"]).ToList(),
            relationshipTypes = Enum.GetValues<RelationshipType>().Select(Vocabulary.ToWireName).Concat(["ABOUT", "IN_REGION", "SAID"]).ToList(),
            propertyKeys,
            statements = (statements ?? Neo4jCypher.All).Select(t => new { name = t.Name, text = t.Text, parameters = t.Parameters }).ToList(),
        };
    }
}
