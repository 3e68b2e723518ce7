using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using KnowledgeGraph.Api.Errors;
using KnowledgeGraph.Api.Execution;
using KnowledgeGraph.Api.GraphQL;
using KnowledgeGraph.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace KnowledgeGraph.Api.Caching;

/// <summary>How a response was served, as told by the <c>X-Cache</c> header.</summary>
public enum CacheOutcome
{
    /// <summary>Not cacheable: a mutation, an error, an unparsable document, the cache disabled or the revision unknown.</summary>
    Bypass,

    /// <summary>Executed and stored.</summary>
    Miss,

    /// <summary>Served from the cache without executing.</summary>
    Hit,
}

/// <summary>The answer of <see cref="GraphQLResponseCache.LookupAsync"/>: the cached body on a hit, the key to store under on a miss.</summary>
public readonly record struct ResponseCacheLookup(CacheOutcome Outcome, string? Key, byte[]? Body, DocumentOperation? Operation);

/// <summary>
/// Whole-response cache of successful queries (<see cref="ResponseStore"/>: in process within a byte budget, with Redis
/// behind it when configured). The
/// key hashes everything the response depends on: the schema, the graph revision, the normalised document, the
/// operation, the variables (canonical JSON), the language, the caller's role and the response media type.
/// </summary>
public sealed class GraphQLResponseCache(
    ResponseStore cache,
    IGraphRevision revision,
    DocumentFingerprints fingerprints,
    ISchema schema,
    IOptions<CacheOptions> options)
{
    private readonly CacheOptions _options = options.Value;
    private string? _schemaHash;

    public static string HeaderValue(CacheOutcome outcome) => outcome switch
    {
        CacheOutcome.Hit => "HIT",
        CacheOutcome.Miss => "MISS",
        _ => "BYPASS",
    };

    /// <summary>Finds the cached response of a request, or says why it cannot be cached.</summary>
    public async ValueTask<ResponseCacheLookup> LookupAsync(GraphQLRequest request, GraphQLResponseMediaType mediaType, GraphRequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        var fingerprint = fingerprints.Get(request.Query ?? "");
        var operation = fingerprint.Find(request.OperationName);
        if (!_options.Enabled || fingerprint.Hash is null || operation is not { Type: OperationType.Query })
        {
            return new ResponseCacheLookup(CacheOutcome.Bypass, null, null, operation);
        }

        long current;
        try
        {
            current = await revision.GetAsync(cancellationToken);
        }
        catch (GraphRevisionUnavailableException)
        {
            // Without the revision a cached entry may be stale: serve from the store.
            return Record(new ResponseCacheLookup(CacheOutcome.Bypass, null, null, operation), started);
        }

        var key = BuildKey(current, fingerprint.Hash, operation.Name, request.Variables, context, mediaType);
        var body = await cache.GetAsync(key, cancellationToken);
        var lookup = body is not null
            ? new ResponseCacheLookup(CacheOutcome.Hit, key, body, operation)
            : new ResponseCacheLookup(CacheOutcome.Miss, key, null, operation);
        return Record(lookup, started);
    }

    /// <summary>Stores a successful response found missing by <see cref="LookupAsync"/>; false when it is not stored.</summary>
    public async ValueTask<bool> StoreAsync(ResponseCacheLookup lookup, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (lookup.Outcome != CacheOutcome.Miss || lookup.Key is null || body.Length == 0 || body.Length > _options.MaxResponseBytes)
        {
            return false;
        }

        await cache.SetAsync(lookup.Key, body, cancellationToken);
        return true;
    }

    private static ResponseCacheLookup Record(ResponseCacheLookup lookup, long started)
    {
        KnowledgeGraphTelemetry.RecordCacheLookup(HeaderValue(lookup.Outcome), Stopwatch.GetElapsedTime(started));
        return lookup;
    }

    private string BuildKey(long current, string documentHash, string? operationName, Inputs? variables, GraphRequestContext context, GraphQLResponseMediaType mediaType)
    {
        _schemaHash ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KnowledgeGraphSchema.Print(schema))));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, _schemaHash);
        Append(hash, current.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Append(hash, documentHash);
        Append(hash, operationName ?? "");
        var json = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(json))
        {
            WriteCanonical(writer, variables);
        }

        hash.AppendData(json.WrittenSpan);
        Append(hash, "\n");
        Append(hash, context.Language.ToString());
        Append(hash, context.Role);
        Append(hash, mediaType.ToString());
        return "resp:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // Length-prefixed, so that no two different part lists hash the same bytes.
    private static void Append(IncrementalHash hash, string part)
    {
        var bytes = Encoding.UTF8.GetBytes(part);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    /// <summary>Variables as JSON with object members in ordinal order, so that member order does not change the key.</summary>
    internal static void WriteCanonical(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int or long or short or byte or sbyte or ushort or uint or ulong or BigInteger:
                writer.WriteRawValue(((IFormattable)value).ToString(null, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double number:
                writer.WriteNumberValue(number);
                break;
            case float number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                writer.WriteStartObject();
                foreach (var (name, item) in map.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    WriteCanonical(writer, item);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
