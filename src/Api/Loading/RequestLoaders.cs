namespace GaugeNN.Api.Loading;

/// <summary>
/// The batch loaders of one request, by name (registered per request scope). A name carries everything the batch
/// shares besides its keys — the schema read, the page size, the cursor, the filter — so parents asking alike share
/// one statement, and parents asking differently never share a wrong one.
/// </summary>
public sealed class RequestLoaders
{
    private readonly Dictionary<string, object> _loaders = [];
    private readonly Dictionary<string, Lazy<object>> _memos = [];
    private readonly Lock _gate = new();

    /// <summary>A value computed once per request (e.g. the snapshot ids every unknown-id check compares against).</summary>
    public T Memo<T>(string name, Func<T> compute) where T : notnull
    {
        Lazy<object> memo;
        lock (_gate)
            if (!_memos.TryGetValue(name, out memo!)) _memos[name] = memo = new Lazy<object>(() => compute());
        return (T)memo.Value;
    }

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
