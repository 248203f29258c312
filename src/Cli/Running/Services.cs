using GaugeNN.Application;
using GaugeNN.Application.Measuring;

namespace GaugeNN.Cli.Running;

/// <summary>What the verbs share: the data folder, its event store, and the devices a bench can run on.</summary>
public static class Services
{
    /// <summary>
    /// The data folder, checked writable first: every verb but <c>db status</c> writes there (the cluster's lock, the
    /// warehouse, model blobs), and a read-only folder must fail at once, not in a lock wait.
    /// </summary>
    public static DataFolder Home()
    {
        var home = DataFolder.FromEnvironment();
        string probe = Path.Combine(home.Root, $".write-probe-{Environment.ProcessId}");
        try
        {
            Directory.CreateDirectory(home.Root);
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException(
                $"the data folder {home.Root} is not writable ({e.Message}): set {DataFolder.HomeVariable} to a writable folder");
        }
        return home;
    }

    /// <summary>The folder's event store: <c>GAUGENN_PG</c>, or the private cluster, started when needed.</summary>
    public static Gauge Open(DataFolder folder)
    {
        try
        {
            return Gauge.Open(folder);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // PrivateCluster's failures: PostgreSQL not installed (the message names every place looked and the
            // install command), a server that does not start, no runuser/setpriv for root.
            throw new EnvironmentException(e.Message);
        }
    }

    /// <summary>The devices this machine can run a plan's runs on now: the host (phones over ADB join here).</summary>
    public static IReadOnlyList<IBenchmarkTarget> AttachedTargets(Gauge gauge) => [new HostTarget(gauge.Time)];
}
