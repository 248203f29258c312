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
    private readonly HashSet<TKey> _queuedSet = [];
    private readonly Dictionary<TKey, Task<IReadOnlyDictionary<TKey, TValue>>> _inFlight = [];

    public IDataLoaderResult<TValue> Load(TKey key)
    {
        lock (_gate)
            if (!_inFlight.ContainsKey(key) && _queuedSet.Add(key)) _queued.Add(key);
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
                _queuedSet.Clear();
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
