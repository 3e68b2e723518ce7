using System.Security.Cryptography;
using System.Text;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using GraphQLParser.Visitors;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// What the response cache needs to know about a document: a hash of its normalised text (comments, whitespace and
/// commas do not matter) and the type of each operation. Remembered per query text, so a repeated document is
/// parsed once here.
/// </summary>
public sealed class DocumentFingerprints(IOptions<CacheOptions> options) : IBoundedCache, IDisposable
{
    // Sized in bytes: the query text (its key, two bytes a character) and the fingerprint, within Cache:FingerprintMemoryBytes.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.FingerprintMemoryBytes, TrackStatistics = true });
    private readonly SDLPrinter _printer = new();

    public string CacheName => "fingerprints";

    public long MemoryBytes => _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public long BudgetBytes => options.Value.FingerprintMemoryBytes;

    /// <summary>The fingerprint of a document; <see cref="DocumentFingerprint.Unparsable"/> when it does not parse.</summary>
    public DocumentFingerprint Get(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_cache.TryGetValue(query, out DocumentFingerprint? known) && known is not null)
        {
            return known;
        }

        var fingerprint = Compute(query);
        _cache.Set(query, fingerprint, new MemoryCacheEntryOptions { Size = (query.Length * 2L) + 256 + (fingerprint.Operations.Count * 64), SlidingExpiration = TimeSpan.FromHours(1) });
        return fingerprint;
    }

    public void Dispose() => _cache.Dispose();

    private DocumentFingerprint Compute(string query)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(query, new ParserOptions { Ignore = IgnoreOptions.All });
        }
        catch (GraphQLParserException)
        {
            return DocumentFingerprint.Unparsable;
        }

        var normalized = _printer.Print(document);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
        var operations = document.Definitions
            .OfType<GraphQLOperationDefinition>()
            .Select(operation => new DocumentOperation(operation.Name?.Value.ToString(), operation.Operation))
            .ToArray();
        return new DocumentFingerprint(hash, operations);
    }
}

/// <summary>The hash of a normalised document and its operations.</summary>
public sealed record DocumentFingerprint(string? Hash, IReadOnlyList<DocumentOperation> Operations)
{
    public static readonly DocumentFingerprint Unparsable = new(null, []);

    /// <summary>The operation a request runs, as GraphQL.NET picks it; null when it cannot be determined.</summary>
    public DocumentOperation? Find(string? operationName)
    {
        if (string.IsNullOrEmpty(operationName))
        {
            return Operations.Count == 1 ? Operations[0] : null;
        }

        return Operations.FirstOrDefault(operation => operation.Name == operationName);
    }
}

public sealed record DocumentOperation(string? Name, OperationType Type);
