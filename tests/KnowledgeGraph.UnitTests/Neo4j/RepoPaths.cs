using KnowledgeGraph.Testing;

namespace KnowledgeGraph.UnitTests.Neo4j;

/// <summary>Fixtures and snapshots of the Neo4j tests, read and approved where they are committed.</summary>
internal static class RepoPaths
{
    public static string Root => RepositoryPaths.Root;

    public static string Fixtures => Path.Combine(Root, "tests", "KnowledgeGraph.UnitTests", "Neo4j", "Fixtures");

    public static string Snapshots => Path.Combine(Root, "tests", "KnowledgeGraph.UnitTests", "Neo4j", "Snapshots");

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(Fixtures, name));
}
