using System.Security.Cryptography;
using System.Text;

namespace GaugeNN.Application.Measuring;

/// <summary>
/// Stream keys of Measure's facts, prefixed so they never meet the keys of snapshots, packages or models: a device
/// (<c>device:ID</c>), a plan (<c>plan:ID</c>) and a run (<c>run:ID</c>). Run ids are derived from what they measure, so
/// the same plan run twice, or the same file imported twice, finds its own runs again.
/// </summary>
public static class StreamKeys
{
    public static string Device(string deviceId) => $"device:{deviceId}";
    public static string Plan(string planId) => $"plan:{planId}";
    public static string Run(string runId) => $"run:{runId}";

    /// <summary>A plan's run: its model on its device with its config (by position in the plan).</summary>
    public static string PlanRunId(string planId, string modelSha256, string deviceId, int configIndex) =>
        $"{planId}/{modelSha256[..16]}/{deviceId}/{configIndex}";

    /// <summary>An imported run: the file's sha256, the run's position in it, and the device and model it was imported for.</summary>
    public static string ImportRunId(string fileSha256, int index, string deviceId, string modelSha256) =>
        "import-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{fileSha256}\n{index}\n{deviceId}\n{modelSha256}")))[..24];
}
