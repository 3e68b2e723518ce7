using KnowledgeGraph.Domain;
using KnowledgeGraph.Storage;

namespace KnowledgeGraph.Store.Neo4j;

// Partners' writes on Neo4j: being written (see the Neo4j issue); until then the Neo4j store refuses writes clearly.
public sealed partial class Neo4jGraphStore
{
    private const string WritesNotYetSupported = "Writes are not yet supported on the Neo4j store; use the embedded store for partner writes.";

    public Task<WriteReceipt> WriteAsync(GraphWrite write, WriteActor actor, CancellationToken cancellationToken) =>
        throw new StoreUnavailableException(WritesNotYetSupported);

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(RecordType type, string key, CancellationToken cancellationToken) =>
        throw new StoreUnavailableException(WritesNotYetSupported);

    public Task<long> GetRevisionAsync(CancellationToken cancellationToken) =>
        throw new StoreUnavailableException(WritesNotYetSupported);
}
