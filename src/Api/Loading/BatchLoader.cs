using GraphQL.DataLoader;

namespace GaugeNN.Api.Loading;

/// <summary>
/// Batched loading for one request (the DataLoader pattern; GraphQL.NET's own package is not available here): every
/// key asked for while a level of the query executes is queued, and the first result awaited fetches all queued keys
/// with one call, so a page of N parents costs one SQL statement per edge, not N. GraphQL.NET's execution strategy
/// collects the pending <see cref="IDataLoaderResult"/>s of a level before awaiting any of them.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, IReadOnlyDictionary<TKey, TValue>> fetch, TValue missing)
    where TKey : notnull
{
    private readonly Lock _gate = new();
    private readonly List<TKey> _queued = [];
    private readonly Dictionary<TKey, Task<IReadOnlyDictionary<TKey, TValue>>> _inFlight = [];

    public IDataLoaderResult<TValue> Load(TKey key)
    {
        lock (_gate)
            if (!_inFlight.ContainsKey(key) && !_queued.Contains(key)) _queued.Add(key);
        return new Pending(this, key);
    }

    private async Task<TValue> ResultAsync(TKey key, CancellationToken ct)
    {
        Task<IReadOnlyDictionary<TKey, TValue>> batch;
        lock (_gate)
        {
            if (!_inFlight.TryGetValue(key, out batch!))
            {
                var keys = _queued.ToList();
                _queued.Clear();
                batch = Task.Run(() => fetch(keys), ct);
                foreach (var k in keys) _inFlight[k] = batch;
            }
        }
        var values = await batch;
        return values.TryGetValue(key, out var value) ? value : missing;
    }

    private sealed class Pending(BatchLoader<TKey, TValue> loader, TKey key) : IDataLoaderResult<TValue>
    {
        public Task<TValue> GetResultAsync(CancellationToken cancellationToken = default) => loader.ResultAsync(key, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}

/// <summary>The batch loaders of one request, by name (registered per request scope).</summary>
public sealed class RequestLoaders
{
    private readonly Dictionary<string, object> _loaders = [];
    private readonly Lock _gate = new();

    public BatchLoader<TKey, TValue> Get<TKey, TValue>(string name, Func<IReadOnlyCollection<TKey>, IReadOnlyDictionary<TKey, TValue>> fetch, TValue missing)
        where TKey : notnull
    {
        lock (_gate)
        {
            if (!_loaders.TryGetValue(name, out var loader)) _loaders[name] = loader = new BatchLoader<TKey, TValue>(fetch, missing);
            return (BatchLoader<TKey, TValue>)loader;
        }
    }
}
