namespace GaugeNN.Ingest;

/// <summary>
/// Model bytes kept content-addressed (<c>ab/abcdef….bin</c>), so a newer analyser re-reads them without the APKs.
/// Writes go to a temporary file renamed into place, so a crash never leaves a partial blob under a sha256 name.
/// </summary>
public sealed class ModelBlobStore(string root)
{
    public string Root { get; } = root;

    public string PathOf(string sha256) => Path.Combine(Root, sha256[..2], sha256 + ".bin");

    public bool Contains(string sha256) => File.Exists(PathOf(sha256));

    public void Put(string sha256, ReadOnlySpan<byte> bytes)
    {
        string path = PathOf(sha256);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            file.Write(bytes);
        File.Move(temporary, path, overwrite: true);
    }

    public byte[] Get(string sha256) => File.ReadAllBytes(PathOf(sha256));
}
