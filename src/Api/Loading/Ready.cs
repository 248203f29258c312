using GraphQL.DataLoader;

namespace GaugeNN.Api.Loading;

/// <summary>A result known without loading (an edge with nothing to fetch), in the same shape as a pending one.</summary>
public sealed class Ready<T>(T value) : IDataLoaderResult<T>
{
    public Task<T> GetResultAsync(CancellationToken cancellationToken = default) => Task.FromResult(value);

    Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => Task.FromResult<object?>(value);
}
