using KnowledgeGraph.Domain;
using KnowledgeGraph.Exchange;

namespace KnowledgeGraph.Api.Exchange;

/// <summary>What an import did to one row.</summary>
public enum ImportRowOutcome
{
    Created,
    Updated,
    Unchanged,
    /// <summary>The row's batch was refused; nothing of the batch was written.</summary>
    Rejected,
}

/// <summary>One row of an import: where it is, what it is, what happened to it and, when rejected, why.</summary>
public sealed record ImportRowReport(int Row, string Location, RecordType Type, string? Key, int Batch, ImportRowOutcome Outcome, IReadOnlyList<ImportProblem> Problems);

/// <summary>One batch: written all at once (with the revision it made) or refused whole.</summary>
public sealed record ImportBatchReport(int Number, int Rows, bool Written, long? Revision);

/// <summary>Which rows an import's report lists: every one, or (for files too large to list) the rejected ones.</summary>
public enum ImportRowDetail
{
    Every,
    Rejected,
}

/// <summary>
/// What an import did: how many rows had each outcome, every batch, and the rows listed (every row, or the rejected
/// ones, as the import was asked).
/// </summary>
public sealed record ImportReport(IReadOnlyList<ImportRowReport> Rows, IReadOnlyList<ImportBatchReport> Batches, IReadOnlyDictionary<ImportRowOutcome, int> Counts)
{
    public int Count(ImportRowOutcome outcome) => Counts.GetValueOrDefault(outcome);

    public bool AllWritten => Count(ImportRowOutcome.Rejected) == 0;
}
