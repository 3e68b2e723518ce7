using GraphQL.DataLoader;

namespace KnowledgeGraph.Api.GraphQL.Loading;

/// <summary>
/// Collects the keys a resolver level asks for and fetches them in one call. GraphQL.NET runs every resolver of a
/// level (each returning a pending <see cref="IDataLoaderResult"/>) before it asks any for its value, so the first
/// value asked for fetches the whole level at once. Values are cached for the rest of the request: a resolver that
/// asks for one already fetched gets it at once through <see cref="LoadOrGet"/>, with no pending result for GraphQL.NET
/// to complete later.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(
    Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
    : IDisposable
    where TKey : notnull
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<TKey, TValue?> _loaded = [];
    private HashSet<TKey> _pending = [];

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        IsFetched(key, out _);
        return new Pending(this, key);
    }

    /// <summary>
    /// The value, if this request has fetched it already; otherwise, as <see cref="Load"/>, a pending result fetched
    /// with the rest of the level. For resolvers, which may return either.
    /// </summary>
    public object? LoadOrGet(TKey key) => IsFetched(key, out var value) ? value : new Pending(this, key);

    /// <summary>As <see cref="LoadOrGet"/>, with the value mapped, now or when it is fetched.</summary>
    public object? LoadOrGet<TResult>(TKey key, Func<TValue?, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return IsFetched(key, out var value) ? map(value) : new Pending(this, key).Select(map);
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Whether the key's value has been fetched (then <paramref name="value"/>); if not, the key joins the next batch.</summary>
    private bool IsFetched(TKey key, out TValue? value)
    {
        lock (_loaded)
        {
            if (_loaded.TryGetValue(key, out value))
            {
                return true;
            }

            _pending.Add(key);
            return false;
        }
    }

    private Task<TValue?> GetAsync(TKey key, CancellationToken cancellationToken)
    {
        lock (_loaded)
        {
            if (_loaded.TryGetValue(key, out var cached))
            {
                return Task.FromResult(cached);
            }
        }

        return FetchAsync(key, cancellationToken);
    }

    private async Task<TValue?> FetchAsync(TKey key, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            HashSet<TKey> batch;
            lock (_loaded)
            {
                if (_loaded.TryGetValue(key, out var cached))
                {
                    return cached;
                }

                batch = _pending;
                batch.Add(key);
                _pending = [];
            }

            var values = await fetch(batch, cancellationToken);
            lock (_loaded)
            {
                foreach (var k in batch)
                {
                    _loaded[k] = values.TryGetValue(k, out var value) ? value : default;
                }

                return _loaded[key];
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Pending(BatchLoader<TKey, TValue> loader, TKey key) : IDataLoaderResult<TValue?>
    {
        public Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) => loader.GetAsync(key, cancellationToken);

        Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken)
        {
            var result = GetResultAsync(cancellationToken);
            return result.IsCompletedSuccessfully ? Task.FromResult<object?>(result.Result) : Boxed(result);
        }

        private static async Task<object?> Boxed(Task<TValue?> result) => await result;
    }
}

/// <summary>Composes pending results, so that one resolver can wait on a batch and then queue another.</summary>
public static class DataLoaderResult
{
    /// <summary>A result that is already known.</summary>
    public static IDataLoaderResult<T> FromValue<T>(T value) => new Known<T>(value);

    /// <summary>
    /// When the first result is in, runs <paramref name="next"/>, which may queue further loads; GraphQL.NET sees a
    /// pending result again and completes it with the next level's batch.
    /// </summary>
    public static IDataLoaderResult Then<T>(this IDataLoaderResult<T> first, Func<T, IDataLoaderResult> next) => new Chained<T>(first, next);

    /// <summary>When the first result is in, maps it to a value.</summary>
    public static IDataLoaderResult<TResult> Select<T, TResult>(this IDataLoaderResult<T> first, Func<T, TResult> map) => new Mapped<T, TResult>(first, map);

    /// <summary>Waits for all the results (each queued in its own loader) and returns their values in order.</summary>
    public static IDataLoaderResult<IReadOnlyList<T>> All<T>(IReadOnlyList<IDataLoaderResult<T>> results) => new Joined<T>(results);

    private sealed class Known<T>(T value) : IDataLoaderResult<T>
    {
        public Task<T> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(value);

        Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => Task.FromResult<object?>(value);
    }

    private sealed class Chained<T>(IDataLoaderResult<T> first, Func<T, IDataLoaderResult> next) : IDataLoaderResult
    {
        public async Task<object?> GetResultAsync(CancellationToken cancellationToken = default) =>
            next(await first.GetResultAsync(cancellationToken));
    }

    private sealed class Mapped<T, TResult>(IDataLoaderResult<T> first, Func<T, TResult> map) : IDataLoaderResult<TResult>
    {
        public async Task<TResult> GetResultAsync(CancellationToken cancellationToken = default) => map(await first.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }

    private sealed class Joined<T>(IReadOnlyList<IDataLoaderResult<T>> results) : IDataLoaderResult<IReadOnlyList<T>>
    {
        public async Task<IReadOnlyList<T>> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var values = new List<T>(results.Count);
            foreach (var result in results)
            {
                values.Add(await result.GetResultAsync(cancellationToken));
            }

            return values;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
