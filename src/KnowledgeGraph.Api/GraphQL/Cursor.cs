using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// Opaque pagination cursors. An entity cursor records the ordering it was issued for, so a cursor cannot be used with
/// another ordering by mistake; a bad cursor is a <c>BAD_USER_INPUT</c> error, never a server error.
/// </summary>
public static class Cursor
{
    private const string KeyPrefix = "k:";

    public static string EncodeKey(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(KeyPrefix + key));

    public static string DecodeKey(string cursor)
    {
        var text = TryDecode(cursor);
        return text is not null && text.StartsWith(KeyPrefix, StringComparison.Ordinal)
            ? text[KeyPrefix.Length..]
            : throw GraphErrors.BadInput($"'{Shorten(cursor)}' is not a cursor this API issued.");
    }

    /// <summary>
    /// The name of an ordering a cursor is issued for: one part per sort (<c>key</c>, <c>name-en</c>, <c>kind</c>,
    /// <c>degree</c>) joined by <c>+</c>. A single sort keeps the name cursors had before orders became lists.
    /// </summary>
    public static string Ordering(IReadOnlyList<EntitySort> sorts, Domain.Language language) =>
        string.Join('+', sorts.Select(s => s.Field switch
        {
            EntityOrderField.Name => $"name-{Domain.Vocabulary.ToCode(language)}",
            var field => field.ToString().ToLowerInvariant(),
        }));

    public static string EncodeEntity(string ordering, EntityCursor cursor) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes((string[])[ordering, .. cursor.SortValues, cursor.Key]));

    public static EntityCursor DecodeEntity(string ordering, string cursor)
    {
        var text = TryDecode(cursor);
        string[]? parts = null;
        try
        {
            parts = text is null ? null : JsonSerializer.Deserialize<string[]>(text);
        }
        catch (JsonException)
        {
        }

        if (parts is not { Length: >= 3 } || parts.Any(p => p is null))
        {
            throw GraphErrors.BadInput($"'{Shorten(cursor)}' is not a cursor this API issued.");
        }

        return parts[0] == ordering && parts.Length == ordering.Split('+').Length + 2
            ? new EntityCursor(parts[1..^1], parts[^1])
            : throw GraphErrors.BadInput("The cursor was issued for another ordering; page again from the start with this ordering.");
    }

    private static string? TryDecode(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
