using GraphQL.DataLoader;
using KnowledgeGraph.Api.GraphQL.Loading;

namespace KnowledgeGraph.IntegrationTests.Execution;

/// <summary>
/// A level's keys are fetched in one batch; a key fetched already is answered at once, as a value rather than a pending
/// result, so GraphQL.NET has nothing to complete later for it, and the fetch is not asked again.
/// </summary>
public sealed class BatchLoaderTests
{
    private readonly List<string[]> _batches = [];

    [Fact]
    public async Task A_level_is_one_batch_and_what_it_fetched_is_answered_at_once_after()
    {
        using var loader = NewLoader();
        var pending = new[] { loader.Load("a"), loader.Load("b") };
        var third = Assert.IsAssignableFrom<IDataLoaderResult>(loader.LoadOrGet("c"));

        Assert.Equal("A", await pending[0].GetResultAsync());
        Assert.Equal(["a", "b", "c"], Assert.Single(_batches).Order(StringComparer.Ordinal));
        Assert.Equal("C", await third.GetResultAsync());
        Assert.Equal("B", await pending[1].GetResultAsync());

        // Fetched: the value itself, mapped or not; a key the fetch did not find is null, not asked again.
        Assert.Equal("A", loader.LoadOrGet("a"));
        Assert.Equal(1, loader.LoadOrGet("b", value => value!.Length));
        Assert.Null(loader.LoadOrGet("missing") is IDataLoaderResult missing ? await missing.GetResultAsync() : "not pending");
        Assert.Null(loader.LoadOrGet("missing"));
        Assert.Equal(2, _batches.Count);

        // Not fetched yet: pending, mapped when its batch comes.
        var mapped = Assert.IsAssignableFrom<IDataLoaderResult>(loader.LoadOrGet("d", value => value + "!"));
        Assert.Equal("D!", await mapped.GetResultAsync());
        Assert.Equal(["d"], _batches[^1]);
    }

    private BatchLoader<string, string> NewLoader() => new((keys, _) =>
    {
        _batches.Add([.. keys]);
        IReadOnlyDictionary<string, string> found = keys.Where(k => k != "missing").ToDictionary(k => k, k => k.ToUpperInvariant());
        return Task.FromResult(found);
    });
}
