using System.Collections;

namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// A list kept as the JSON of its column until something reads it: most queries ask for neither the citations nor
/// the aliases of what they read, and parsing them for every row was 3-7 % of a request's CPU. Safe to read from
/// several threads (two first readers may both parse; either list is the same).
/// </summary>
internal sealed class SqliteLazyJsonList<T> : IReadOnlyList<T>
{
    private readonly string _json;
    private List<T>? _items;

    private SqliteLazyJsonList(string json) => _json = json;

    public int Count => Items.Count;

    private List<T> Items => Volatile.Read(ref _items) ?? Parse();

    public T this[int index] => Items[index];

    /// <summary>The list a column's JSON holds; an empty array is answered without waiting or parsing.</summary>
    public static IReadOnlyList<T> Of(string json) => json == "[]" ? [] : new SqliteLazyJsonList<T>(json);

    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private List<T> Parse()
    {
        var items = SqliteJson.Read<List<T>>(_json);
        return Interlocked.CompareExchange(ref _items, items, null) ?? items;
    }
}
