using System.Globalization;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>
/// The process's peak resident set (VmHWM of /proc/self/status). Writing 5 to /proc/self/clear_refs (Linux ≥ 4.0)
/// resets the peak to the current RSS, so a peak read after a model's runs is the most this process held while the
/// model was loaded and run — the runtime's own baseline included, as a phone's RSS would include the app's.
/// </summary>
internal static class PeakMemory
{
    /// <summary>Resets the peak; false where the kernel does not allow it (then peaks are not reported).</summary>
    public static bool Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>VmHWM in MB (2^20 bytes), or null where /proc is unavailable.</summary>
    public static double? PeakMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var parts = line["VmHWM:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries); // tab, then spaces
                if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                    return kb / 1024.0;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }
}
