// Spec: Qualcomm SNPE DLC container (snpe-dlc-info): DLC v2 is a zip holding "model" and "dlc.metadata" entries.
namespace GaugeNN.Formats.Snpe;

/// <summary>
/// SNPE .dlc, recognised conservatively: only the zip-based container whose entries are the ones SNPE writes, and only
/// under the .dlc extension (the newer binary container has no public description to check against).
/// </summary>
internal static class SnpeProbe
{
    public static bool LooksLike(string entryName, IReadOnlyList<string> names) =>
        entryName.EndsWith(".dlc", StringComparison.OrdinalIgnoreCase)
        && names.Contains("model") && (names.Contains("dlc.metadata") || names.Contains("model.params"));
}
