namespace KnowledgeGraph.Store.Sqlite;

/// <summary>
/// Values parsed from a JSON column, kept by the column's exact text: the same rows are read again on every request
/// (an entity's relationships, their citations, a fact's rationale), and parsing them again, strings and all, was
/// 5-7 % of the two-hop query's CPU. A value is handed out again only to a text equal byte for byte to the one it
/// was parsed from, so a changed row is parsed anew. The values are immutable records or read-only lists, shared by
/// every reader.
/// <para>
/// A fixed table, one entry a slot, the slot chosen by the text's hash (randomised per process, as .NET's string
/// hashes are): a text replaces whatever its slot held. So it never grows past <c>capacity</c> entries, costs a
/// lookup and a comparison of the text when the value is there, and loses nothing but time when it is not.
/// </para>
/// </summary>
internal sealed class SqliteParsedJson<T>
    where T : class
{
    private readonly Entry?[] _slots;
    private readonly Func<byte[], T> _parse;

    /// <param name="capacity">Entries kept at most; rounded up to a power of two.</param>
    /// <param name="parse">Parses a text; whatever it throws reaches the caller, and nothing is kept.</param>
    public SqliteParsedJson(int capacity, Func<byte[], T> parse)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new Entry?[(int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity)];
        _parse = parse;
    }

    /// <summary>The value the text holds: the one parsed from an equal text before, if kept, or parsed now.</summary>
    public T Get(byte[] utf8Json)
    {
        var hash = Hash(utf8Json);
        ref var slot = ref _slots[hash & (_slots.Length - 1)];
        var kept = Volatile.Read(ref slot);
        if (kept is not null && kept.Hash == hash && kept.Json.AsSpan().SequenceEqual(utf8Json))
        {
            return kept.Value;
        }

        var value = _parse(utf8Json);
        Volatile.Write(ref slot, new Entry(hash, utf8Json, value));
        return value;
    }

    /// <summary>Entries kept now (for tests and figures).</summary>
    public int Count => _slots.Count(s => s is not null);

    private static int Hash(ReadOnlySpan<byte> utf8Json)
    {
        var hash = default(HashCode);
        hash.AddBytes(utf8Json);
        return hash.ToHashCode();
    }

    // The text is the caller's array, read from the row for this entry alone and never written afterwards.
    private sealed record Entry(int Hash, byte[] Json, T Value);
}
