namespace KnowledgeGraph.Api.Caching;

/// <summary>
/// An in-process cache keyed by what clients send, held within a byte budget: what it holds and its budget are
/// published as the gauges <c>kg.cache.memory</c> and <c>kg.cache.memory.limit</c>, by <c>kg.cache</c>.
/// </summary>
public interface IBoundedCache
{
    /// <summary>The cache's name in the gauges' <c>kg.cache</c> tag.</summary>
    string CacheName { get; }

    /// <summary>The bytes it holds now, as its entries' sizes estimate them; never above <see cref="BudgetBytes"/>.</summary>
    long MemoryBytes { get; }

    /// <summary>Its configured budget in bytes.</summary>
    long BudgetBytes { get; }
}
