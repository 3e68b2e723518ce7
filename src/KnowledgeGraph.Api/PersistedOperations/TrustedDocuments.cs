using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Api.Hosting;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.PersistedOperations;

/// <summary>
/// The documents the operators trust, read once at start-up from <see cref="PersistedOperationsOptions.Directory"/>
/// and addressed by the SHA-256 (lower-case hex) of their exact UTF-8 text, as clients hash them.
/// </summary>
public sealed class TrustedDocuments
{
    private readonly Dictionary<string, string> _documents = new(StringComparer.Ordinal);

    public TrustedDocuments(IOptions<PersistedOperationsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory = GraphStoreStartup.ResolveSeedDirectory(options.Value.Directory);
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.graphql", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            Add(File.ReadAllText(file));
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            ReadManifest(file);
        }
    }

    /// <summary>The folder read, resolved.</summary>
    public string Directory { get; }

    public int Count => _documents.Count;

    public static string Hash(string document) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    public bool TryGet(string sha256Hash, out string document) => _documents.TryGetValue(sha256Hash, out document!);

    public bool Contains(string sha256Hash) => _documents.ContainsKey(sha256Hash);

    private void Add(string document) => _documents[Hash(document)] = document;

    // Apollo's manifest: { "format": "apollo-persisted-query-manifest", "operations": [ { "id", "body" } ] }; an id
    // that is not the body's hash stops start-up rather than trusting the wrong text.
    private void ReadManifest(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        if (!json.RootElement.TryGetProperty("operations", out var operations) || operations.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"{file}: a persisted-operation manifest needs an 'operations' array.");
        }

        foreach (var operation in operations.EnumerateArray())
        {
            var body = operation.TryGetProperty("body", out var b) ? b.GetString() : null;
            var id = operation.TryGetProperty("id", out var i) ? i.GetString() : null;
            if (body is null || (id is not null && !string.Equals(id, Hash(body), StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"{file}: operation '{id}' has no body or its id is not the SHA-256 of its body.");
            }

            Add(body);
        }
    }
}

/// <summary>Reads the trusted documents at start-up, so a broken manifest stops the app before it takes requests.</summary>
internal sealed partial class TrustedDocumentsStartup(TrustedDocuments documents, ILogger<TrustedDocumentsStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        TrustedDocumentsLoaded(logger, documents.Count, documents.Directory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} trusted documents from {Directory}")]
    private static partial void TrustedDocumentsLoaded(ILogger logger, int count, string directory);
}
