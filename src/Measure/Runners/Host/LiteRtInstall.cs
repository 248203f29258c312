using System.Security.Cryptography;

namespace GaugeNN.Measure.Runners.Host;

/// <summary>LiteRT.js cannot run here: node or npm is missing, or npm could not install it. The message says what to do.</summary>
public sealed class LiteRtUnavailableException(string message) : Exception(message);

/// <summary>
/// tools/litert-runner (its script and its locked package files travel inside this assembly) installed once per lock
/// file under a folder of the data folder: <c>FOLDER/litert-&lt;lock digest&gt;/</c> with its node_modules from
/// <c>npm ci</c> (the npm registry, or npm's own cache). The install is built beside its final name
/// (<c>….&lt;pid&gt;.&lt;guid&gt;.tmp</c>, the data folder's naming for temporaries, whose dead writers' leftovers the next
/// start removes) and renamed into place, so a killed install leaves no half runner, and two processes installing at
/// once both end with one whole.
/// </summary>
public static class LiteRtInstall
{
    private static readonly string[] Files = ["runner.mjs", "package.json", "package-lock.json"];
    private const string Marker = "node_modules/@litertjs/core/package.json";

    /// <summary>How long <c>npm ci</c> may take (it downloads about 38 MB the first time).</summary>
    public static TimeSpan NpmLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The folder holding the installed runner, installing it first when needed (said through <paramref name="installing"/>).</summary>
    public static async Task<string> EnsureAsync(string folder, Action<string>? installing, CancellationToken cancellation)
    {
        if (Executables.OnPath("node") is null)
            throw new LiteRtUnavailableException("TFLite models are not benched on the host: node is not installed (apt-get install nodejs)");
        var files = Files.ToDictionary(f => f, Read);
        string digest = Convert.ToHexStringLower(SHA256.HashData(files["package-lock.json"].Concat(files["runner.mjs"]).ToArray()))[..12];
        string target = Path.Combine(folder, $"litert-{digest}");
        if (File.Exists(Path.Combine(target, Marker))) return target;
        string npm = Executables.OnPath("npm")
            ?? throw new LiteRtUnavailableException("TFLite models are not benched on the host: npm is not installed (apt-get install npm)");

        installing?.Invoke($"installing the host TFLite runner (LiteRT.js, `npm ci` of tools/litert-runner) into {target}; once per data folder");
        string building = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(building);
        try
        {
            foreach (var (name, bytes) in files) await File.WriteAllBytesAsync(Path.Combine(building, name), bytes, cancellation);
            ChildResult npmCi;
            try
            {
                npmCi = await ChildProcess.RunAsync(npm, ["ci", "--no-audit", "--no-fund", "--omit=dev"], building, ReadOnlyMemory<byte>.Empty, NpmLimit, cancellation);
            }
            catch (ChildTimeoutException e)
            {
                throw new LiteRtUnavailableException($"TFLite models are not benched on the host: npm could not install LiteRT.js ({e.Message})");
            }
            if (npmCi.ExitCode != 0)
                throw new LiteRtUnavailableException(
                    $"TFLite models are not benched on the host: `npm ci` of LiteRT.js failed ({LastLines(npmCi.Stderr + npmCi.Stdout)})");
            try
            {
                Directory.Move(building, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, Marker)))
            {
                // Another process installed the same lock meanwhile: its folder is as good as ours.
            }
            return target;
        }
        finally
        {
            if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
        }
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(LiteRtInstall).Assembly.GetManifestResourceStream($"GaugeNN.Measure.Runners.Host.litert-runner.{name}")
            ?? throw new InvalidOperationException($"litert-runner/{name} is not built into {typeof(LiteRtInstall).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string LastLines(string output) =>
        string.Join(" ", output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
}
