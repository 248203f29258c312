using GaugeNN.Ingest;
using GaugeNN.Warehouse.Files;

namespace GaugeNN.Application;

/// <summary>
/// Model bytes kept content-addressed (<c>ab/abcdef….bin</c>), so a newer analyser or a benchmark reads them without
/// the APKs. Writes go to a temporary file renamed into place, so a crash never leaves a partial blob under a sha256
/// name; the temporary files of killed writers are removed by <see cref="Leftovers"/>.
/// </summary>
public sealed class ModelBlobStore(string root) : IModelSink
{
    public string Root { get; } = root;

    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"'{sha256}' is not a lowercase sha256", nameof(sha256));
        return SafePath.Under(Root, sha256[..2], sha256 + ".bin");
    }

    public bool Contains(string sha256) => File.Exists(PathOf(sha256));

    public void Keep(string sha256, ReadOnlySpan<byte> bytes)
    {
        string path = PathOf(sha256);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = Leftovers.TemporaryFor(path);
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            file.Write(bytes);
        File.Move(temporary, path, overwrite: true);
    }

    public byte[] Get(string sha256) => File.ReadAllBytes(PathOf(sha256));
}
