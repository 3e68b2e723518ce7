using System.Collections;
using KnowledgeGraph.Domain;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// A list kept as the JSON of its column until something reads it: most queries ask for neither the citations nor
/// the aliases of what they read, and parsing them for every row was 3-7 % of a request's CPU. The JSON is kept as the
/// column's UTF-8 bytes, which the parser reads as they are: as a string it was decoded to UTF-16 for every row, then
/// encoded back to UTF-8 to be parsed. Safe to read from several threads (two first readers may both parse; either
/// list is the same).
/// </summary>
internal sealed class SqliteLazyJsonList<T> : IReadOnlyList<T>
{
    private readonly byte[] _json;
    private IReadOnlyList<T>? _items;

    private SqliteLazyJsonList(byte[] json) => _json = json;

    public int Count => Items.Count;

    private IReadOnlyList<T> Items => Volatile.Read(ref _items) ?? Parse();

    public T this[int index] => Items[index];

    /// <summary>The list a column's JSON (its UTF-8 bytes) holds; an empty array is answered without parsing.</summary>
    public static IReadOnlyList<T> Of(byte[] json) => json.AsSpan().SequenceEqual("[]"u8) ? [] : new SqliteLazyJsonList<T>(json);

    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IReadOnlyList<T> Parse()
    {
        var items = typeof(T) == typeof(Citation) ? (IReadOnlyList<T>)SqliteColumnJson.ReadCitations(_json) : SqliteJson.Read<List<T>>(_json);
        return Interlocked.CompareExchange(ref _items, items, null) ?? items;
    }
}
