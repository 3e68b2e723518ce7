using System.ComponentModel.DataAnnotations;

namespace KnowledgeGraph.Api.Hosting;

/// <summary>The <c>Store</c> configuration section: which store holds the graph and where the seed is.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";
    public const string Sqlite = "Sqlite";
    public const string Neo4j = "Neo4j";

    /// <summary><c>Sqlite</c> (embedded, the default) or <c>Neo4j</c>.</summary>
    [Required]
    public string Provider { get; set; } = Sqlite;

    /// <summary>The seed folder applied at start-up; relative paths are resolved from the content root.</summary>
    [Required]
    public string SeedDirectory { get; set; } = "seed";

    /// <summary>Whether start-up applies the seed (idempotently by key).</summary>
    public bool SeedOnStart { get; set; } = true;
}
