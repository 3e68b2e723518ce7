namespace KnowledgeGraph.Seed;

/// <summary>One thing wrong with a seed: the file, the entry (its key or position) and what is wrong.</summary>
public sealed record SeedProblem(string File, string Entry, string Problem)
{
    public override string ToString() => $"{File}, {Entry}: {Problem}";
}

/// <summary>A seed that cannot be loaded. Nothing of it has been applied to any store.</summary>
public sealed class SeedValidationException : Exception
{
    public SeedValidationException(IReadOnlyList<SeedProblem> problems)
        : base(Describe(problems)) => Problems = problems;

    public SeedValidationException()
        : this([])
    {
    }

    public SeedValidationException(string message)
        : base(message) => Problems = [];

    public SeedValidationException(string message, Exception innerException)
        : base(message, innerException) => Problems = [];

    public IReadOnlyList<SeedProblem> Problems { get; }

    private static string Describe(IReadOnlyList<SeedProblem> problems) => problems.Count switch
    {
        0 => "The seed is invalid.",
        1 => $"The seed is invalid: {problems[0]}",
        _ => $"The seed is invalid ({problems.Count} problems):{Environment.NewLine}  "
             + string.Join(Environment.NewLine + "  ", problems),
    };
}
