namespace KnowledgeGraph.Storage;

/// <summary>
/// The store cannot answer now (down, unreachable, refusing credentials, timed out). The API reports it as a GraphQL
/// error with the code <c>STORE_UNAVAILABLE</c>; the message is safe to show to clients.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
        : base("The graph store is unavailable.")
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
