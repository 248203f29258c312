namespace GaugeNN.Api.Loading;

/// <summary>
/// The batch loaders of one request, by name (registered per request scope). A name carries everything the batch
/// shares besides its keys — the schema read, the page size, the cursor, the filter — so parents asking alike share
/// one statement, and parents asking differently never share a wrong one.
/// </summary>
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
