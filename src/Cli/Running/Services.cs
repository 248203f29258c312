using GaugeNN.Application;
using GaugeNN.Application.Measuring;
using GaugeNN.Measure.Adb;
using GaugeNN.Measure.Runners.Device;

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

    /// <summary>
    /// The devices this machine can run a plan's runs on now: the host (saying once through <paramref name="note"/> when its
    /// TFLite runner cannot run), and every phone the adb server lists in state
    /// <c>device</c> (each registered from its properties as it is attached). Without adb, or with its server not
    /// starting, only the host — said through <paramref name="note"/> when phones were asked for.
    /// </summary>
    public static async Task<IReadOnlyList<IBenchmarkTarget>> AttachedTargetsAsync(Gauge gauge, DeviceToolsFolder tools, bool phonesWanted,
        Action<string> note, CancellationToken ct)
    {
        var targets = new List<IBenchmarkTarget> { new HostTarget(gauge, note) };
        try
        {
            var adb = new AdbClient();
            foreach (var device in (await adb.GetDevicesAsync(ct)).Where(d => d.State == AdbDeviceState.Device))
            {
                var phone = await AdbTarget.ConnectAsync(gauge, adb, device.Serial, tools, ct);
                // The same phone can be listed on two transports (e.g. TCP and its emulator twin): it is one device.
                if (targets.All(t => t.DeviceId != phone.DeviceId)) targets.Add(phone);
            }
        }
        catch (AdbException e) when (e.Kind == AdbErrorKind.ServerUnavailable)
        {
            if (phonesWanted) note($"no phone can be reached: {e.Message}");
        }
        return targets;
    }
}
