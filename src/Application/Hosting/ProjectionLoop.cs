using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Application.Hosting;

/// <summary>What the host's projection is doing: its checkpoint, the store's head, a gap it waits on, its last error.</summary>
public sealed record ProjectionState(long Checkpoint, long Head, string? WaitingOn, string? LastError, DateTimeOffset? LastStep);

/// <summary>
/// The host's follower: polls the event store and applies each new step as it commits. Admin work that rewrites the
/// warehouse (catch-up on demand, rebuild) takes the same gate, so one thing writes at a time. A failing step is
/// reported in the state and retried after a pause; the loop itself never dies of it.
/// </summary>
public sealed class ProjectionLoop(OpenWarehouse warehouse, TimeSpan poll)
{
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(2);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile ProjectionState _state = new(0, 0, null, null, null);
    private long _version;

    public ProjectionState State => _state;

    /// <summary>Moves after every change to the tables (a step applied, admin work done): readers' caches key on it.</summary>
    public long Version => Interlocked.Read(ref _version);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            bool applied = false;
            await _gate.WaitAsync(ct);
            try
            {
                applied = await StepAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _state = _state with { LastError = $"{DateTimeOffset.Now:HH:mm:ss} {e.GetType().Name}: {e.Message}" };
                _gate.Release();
                await Task.Delay(ErrorPause, ct);
                continue;
            }
            _gate.Release();
            if (!applied) await Task.Delay(poll, ct);
        }
    }

    private async Task<bool> StepAsync(CancellationToken ct)
    {
        var (step, gap) = await warehouse.Follower.StepAsync(ct);
        if (step is not null) Interlocked.Increment(ref _version);
        long head = step is null && gap is null ? warehouse.Projector.Checkpoint : _state.Head;
        _state = new ProjectionState(warehouse.Projector.Checkpoint, Math.Max(head, warehouse.Projector.Checkpoint),
            gap?.ToString(), null, step is null ? _state.LastStep : DateTimeOffset.Now);
        return step is not null;
    }

    /// <summary>Runs <paramref name="work"/> with the projection paused (nothing else writes the warehouse meanwhile).</summary>
    public async Task<T> ExclusiveAsync<T>(Func<OpenWarehouse, Task<T>> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var result = await work(warehouse);
            _state = _state with { Checkpoint = warehouse.Projector.Checkpoint, LastError = null };
            return result;
        }
        finally
        {
            Interlocked.Increment(ref _version);
            _gate.Release();
        }
    }

    /// <summary>Waits until the checkpoint reaches <paramref name="sequence"/>.</summary>
    public async Task WaitForAsync(long sequence, CancellationToken ct)
    {
        while (_state.Checkpoint < sequence) await Task.Delay(50, ct);
    }
}
