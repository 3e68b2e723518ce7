namespace KnowledgeGraph.Writes;

/// <summary>One thing wrong with a write: where in the input (<c>entities[0].citations[1].excerpt</c>) and what.</summary>
public sealed record WriteProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>A write that was refused as a whole; nothing of it was applied.</summary>
public sealed class WriteValidationException : Exception
{
    public WriteValidationException(IReadOnlyList<WriteProblem> problems)
        : base(problems.Count == 1 ? $"The write was refused: {problems[0]}" : $"The write was refused ({problems.Count} problems): {string.Join("; ", problems)}") =>
        Problems = problems;

    public WriteValidationException()
        : this([])
    {
    }

    public WriteValidationException(string message)
        : base(message) => Problems = [];

    public WriteValidationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    public IReadOnlyList<WriteProblem> Problems { get; }
}
