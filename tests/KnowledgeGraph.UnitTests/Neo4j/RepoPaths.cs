namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>Paths in the source tree: fixtures and snapshots are read and approved where they are committed.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "KnowledgeGraph.UnitTests", "Neo4j", "Fixtures");

    public static string Snapshots => Path.Combine(Root, "tests", "KnowledgeGraph.UnitTests", "Neo4j", "Snapshots");

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(Fixtures, name));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KnowledgeGraph.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No KnowledgeGraph.sln above {AppContext.BaseDirectory}.");
    }
}
