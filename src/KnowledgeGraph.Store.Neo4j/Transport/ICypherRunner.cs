namespace KnowledgeGraph.Store.Neo4j.Transport;

/// <summary>
/// Runs Cypher on Neo4j: the only thing the store knows about the wire. <see cref="QueryApiCypherRunner"/> speaks the
/// HTTP Query API; a Bolt driver could stand in its place without any statement changing.
/// </summary>
public interface ICypherRunner
{
    /// <summary>Runs one statement in its own (implicit, auto-committed) transaction, retrying transient failures.</summary>
    Task<CypherResult> RunAsync(CypherStatement statement, CancellationToken cancellationToken);

    /// <summary>Opens an explicit transaction; nothing run in it is visible until <see cref="ICypherTransaction.CommitAsync"/>.</summary>
    Task<ICypherTransaction> BeginTransactionAsync(CancellationToken cancellationToken);
}

/// <summary>An explicit transaction. Disposing it without committing rolls it back.</summary>
public interface ICypherTransaction : IAsyncDisposable
{
    /// <summary>Runs a statement inside the transaction; never retried, since the transaction's state is unknown after a failure.</summary>
    Task<CypherResult> RunAsync(CypherStatement statement, CancellationToken cancellationToken);

    Task CommitAsync(CancellationToken cancellationToken);

    Task RollbackAsync(CancellationToken cancellationToken);
}

/// <summary>A statement ready to send: its catalogue name (for logs and errors), its text and its parameter values.</summary>
public sealed record CypherStatement(string Name, string Text, IReadOnlyDictionary<string, object?> Parameters);

/// <summary>What a statement returned: the field names, one record per row, and the bookmarks of the committed state.</summary>
public sealed record CypherResult(IReadOnlyList<string> Fields, IReadOnlyList<CypherRecord> Records, IReadOnlyList<string> Bookmarks)
{
    public static readonly CypherResult Empty = new([], [], []);
}

/// <summary>One row, its values decoded to .NET values (see <see cref="CypherValues"/>).</summary>
public sealed class CypherRecord(IReadOnlyList<string> fields, IReadOnlyList<object?> values)
{
    public IReadOnlyList<string> Fields { get; } = fields;

    public IReadOnlyList<object?> Values { get; } = values;

    public object? this[string field]
    {
        get
        {
            for (var i = 0; i < Fields.Count; i++)
            {
                if (string.Equals(Fields[i], field, StringComparison.Ordinal))
                {
                    return Values[i];
                }
            }

            throw new KeyNotFoundException($"The record has no field '{field}' (fields: {string.Join(", ", Fields)}).");
        }
    }

    public T Get<T>(string field) => CypherValues.As<T>(this[field], field);
}
