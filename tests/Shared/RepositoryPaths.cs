namespace KnowledgeGraph.Testing;

/// <summary>Finds files of the repository the tests run from.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Seed => Path.Combine(Root, "seed");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KnowledgeGraph.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests must run inside the repository (no KnowledgeGraph.sln above them).");
    }
}
