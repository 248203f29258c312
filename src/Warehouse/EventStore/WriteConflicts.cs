using JasperFx;
using Marten.Exceptions;
using Npgsql;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>
/// Another writer committed first: a versioned ledger changed since it was read, a stream that was to be started
/// exists, a unique key was taken. The whole transaction was rolled back, so the work can be decided again.
/// </summary>
public static class WriteConflicts
{
    private const string UniqueViolation = "23505";
    private const string SerializationFailure = "40001";
    private const string DeadlockDetected = "40P01";

    public static bool IsConflict(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case ConcurrencyException or DocumentAlreadyExistsException or ConcurrentUpdateException or ExistingStreamIdCollisionException
                    or JasperFx.Events.EventStreamUnexpectedMaxEventIdException:
                case PostgresException { SqlState: UniqueViolation or SerializationFailure or DeadlockDetected }:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsConflict):
                    return true;
            }
        }
        return false;
    }

    /// <summary>Runs <paramref name="attempt"/> again while it loses to a concurrent writer (each time from a fresh read).</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, CancellationToken ct, int maxAttempts = 20)
    {
        for (int i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (IsConflict(e) && i < maxAttempts)
            {
                // Back off a little, with jitter, so that N writers on the same keys spread out.
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(i, 10)), ct);
            }
        }
    }
}
