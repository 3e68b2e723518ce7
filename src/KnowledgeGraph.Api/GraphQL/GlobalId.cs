using System.Buffers.Text;
using System.Text;

namespace KnowledgeGraph.Api.GraphQL;

/// <summary>
/// Relay global ids: the type name and the record's key, base64url-encoded, so one <c>node(id:)</c> field can find
/// anything. Clients treat them as opaque.
/// </summary>
public static class GlobalId
{
    public static string Encode(string typeName, string key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{typeName}:{key}"));

    public static bool TryDecode(string? id, out string typeName, out string key)
    {
        typeName = key = string.Empty;
        if (string.IsNullOrEmpty(id) || id.Length > 512)
        {
            return false;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(id));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == text.Length - 1)
            {
                return false;
            }

            typeName = text[..colon];
            key = text[(colon + 1)..];
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
