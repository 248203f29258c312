using System.Text;

namespace GaugeNN.Measure.Adb;

/// <summary>
/// The services of one device, by serial: features, shell (v2, or <c>shell:</c> on daemons without it), sync (push,
/// pull, stat, list) and properties. Each call opens its own connection through the server.
/// </summary>
public sealed class AdbDeviceClient
{
    private readonly AdbClient client;
    private IReadOnlySet<string>? features;

    internal AdbDeviceClient(AdbClient client, string serial)
    {
        this.client = client;
        Serial = serial;
    }

    public string Serial { get; }

    /// <summary>One argument for the device's shell: single-quoted, with any single quote spelled '\''.</summary>
    public static string Quote(string argument) => $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary>What the device's adbd advertises (<c>host-serial:SERIAL:features</c>), e.g. shell_v2, stat_v2, cmd.
    /// Asked once per <see cref="AdbDeviceClient"/>.</summary>
    public async Task<IReadOnlySet<string>> GetFeaturesAsync(CancellationToken ct = default)
    {
        if (features is not null) return features;
        string text = await client.QueryAsync($"host-serial:{Serial}:features", ct).ConfigureAwait(false);
        features = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return features;
    }

    /// <summary>The protocol <paramref name="mode"/> comes to on this device.</summary>
    public async Task<AdbShellProtocol> ShellProtocolAsync(AdbShellMode mode = AdbShellMode.Auto, CancellationToken ct = default) =>
        mode switch
        {
            AdbShellMode.V2 => AdbShellProtocol.V2,
            AdbShellMode.Legacy => AdbShellProtocol.Legacy,
            _ => (await GetFeaturesAsync(ct).ConfigureAwait(false)).Contains("shell_v2") ? AdbShellProtocol.V2 : AdbShellProtocol.Legacy,
        };

    /// <summary>Starts <paramref name="command"/> (run by the device's shell) and streams it.</summary>
    public async Task<AdbShellSession> OpenShellAsync(string command, AdbShellMode mode = AdbShellMode.Auto, CancellationToken ct = default) =>
        await AdbShellSession.OpenAsync(client, Serial, command, await ShellProtocolAsync(mode, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>Runs <paramref name="command"/> to its end: stdout, stderr and the exit code.</summary>
    public async Task<AdbShellResult> ShellAsync(string command, AdbShellMode mode = AdbShellMode.Auto, CancellationToken ct = default)
    {
        await using AdbShellSession session = await OpenShellAsync(command, mode, ct).ConfigureAwait(false);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        long cap = client.Limits.MaxCollectedOutputBytes;
        while (await session.ReadAsync(ct).ConfigureAwait(false) is { } output)
        {
            if (stdout.Length + stderr.Length + output.Data.Length > cap)
                throw new AdbException(AdbErrorKind.Protocol, $"shell:{command}", $"at most {cap} bytes of output to collect",
                    "more; stream it with OpenShellAsync");
            (output.Stream == AdbShellStream.Stderr ? stderr : stdout).Write(output.Data.Span);
        }
        return new AdbShellResult(session.ExitCode!.Value, stdout.ToArray(), stderr.ToArray(), session.Protocol);
    }

    /// <summary>A sync connection for several file operations in a row.</summary>
    public Task<AdbSyncSession> OpenSyncAsync(CancellationToken ct = default) => AdbSyncSession.OpenAsync(client, Serial, ct);

    /// <summary>Pushes a local file, keeping its permissions and mtime; returns the bytes sent.</summary>
    public async Task<long> PushAsync(string localPath, string remotePath, CancellationToken ct = default)
    {
        await using var file = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        await using AdbSyncSession sync = await OpenSyncAsync(ct).ConfigureAwait(false);
        UnixFileMode permissions = OperatingSystem.IsWindows() ? (UnixFileMode)0x1A4 /* 0644 */ : File.GetUnixFileMode(localPath);
        return await sync.PushAsync(file, remotePath, permissions, File.GetLastWriteTimeUtc(localPath), ct).ConfigureAwait(false);
    }

    /// <summary>Pulls a device file to a local path (written to a temporary name first, so a failure leaves no part file).</summary>
    public async Task<long> PullAsync(string remotePath, string localPath, CancellationToken ct = default)
    {
        string part = $"{localPath}.{Guid.NewGuid():N}.part";
        try
        {
            long length;
            await using (var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1))
            await using (AdbSyncSession sync = await OpenSyncAsync(ct).ConfigureAwait(false))
                length = await sync.PullAsync(remotePath, file, ct).ConfigureAwait(false);
            File.Move(part, localPath, overwrite: true);
            return length;
        }
        finally
        {
            File.Delete(part);
        }
    }

    public async Task<AdbFileInfo?> StatAsync(string remotePath, CancellationToken ct = default)
    {
        await using AdbSyncSession sync = await OpenSyncAsync(ct).ConfigureAwait(false);
        return await sync.StatAsync(remotePath, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AdbFileInfo>> ListAsync(string remotePath, CancellationToken ct = default)
    {
        await using AdbSyncSession sync = await OpenSyncAsync(ct).ConfigureAwait(false);
        return await sync.ListAsync(remotePath, ct).ConfigureAwait(false);
    }

    /// <summary>Every system property (<c>getprop</c>, parsed from its "[key]: [value]" lines).</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetPropertiesAsync(CancellationToken ct = default)
    {
        AdbShellResult result = await ShellAsync("getprop", AdbShellMode.Auto, ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new AdbException(AdbErrorKind.Failed, "shell:getprop", "exit code 0", $"exit code {result.ExitCode}: {result.StderrText.Trim()}");
        return GetpropOutput.Parse(result.StdoutText);
    }

    /// <summary>A file's text content (e.g. a sysfs value), without the trailing newline; null when the file does not exist.</summary>
    public async Task<string?> ReadTextAsync(string remotePath, CancellationToken ct = default)
    {
        await using AdbSyncSession sync = await OpenSyncAsync(ct).ConfigureAwait(false);
        if (await sync.StatAsync(remotePath, ct).ConfigureAwait(false) is null) return null;
        using var content = new MemoryStream();
        await sync.PullAsync(remotePath, content, ct).ConfigureAwait(false);
        return Encoding.UTF8.GetString(content.ToArray()).TrimEnd('\n');
    }
}
