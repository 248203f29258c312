using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GaugeNN.Warehouse.Postgres;

/// <summary>
/// The PostgreSQL cluster gaugeNN owns when <c>GAUGENN_PG</c> is not set: Debian's <c>initdb</c>/<c>pg_ctl</c>, a data
/// directory under the data folder, loopback only on a free port. PostgreSQL refuses to run as root, so when we are
/// root every server command runs as the <c>postgres</c> user, which then owns the cluster's directory.
/// </summary>
public sealed class PrivateCluster(string home)
{
    private const string ServiceUser = "postgres";
    private const string InstallHint = "PostgreSQL is not installed: run `apt-get install -y postgresql` (or set GAUGENN_PG to a connection string).";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    public string Root { get; } = Path.Combine(Path.GetFullPath(home), "pg");
    private string DataDirectory => Path.Combine(Root, "data");
    private string SocketDirectory => Path.Combine(Root, "run");
    private string PortFile => Path.Combine(Root, "port");
    private string LogFile => Path.Combine(Root, "server.log");

    /// <summary>Starts the cluster if needed (creating it on first use) and returns its connection string.</summary>
    public string EnsureRunning()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(InstallHint);
        Directory.CreateDirectory(Root);
        using var _ = LockFile();
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            Initialise(bin);
        if (RunningPort(bin) is { } port)
            return ConnectionString(port);
        return ConnectionString(Start(bin));
    }

    public string Status()
    {
        var bin = FindBinaries();
        if (bin is null) return InstallHint;
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) return $"not created (would live in {DataDirectory})";
        return RunningPort(bin) is { } port
            ? $"running on 127.0.0.1:{port} (data {DataDirectory}, PostgreSQL {Path.GetFileName(Path.GetDirectoryName(bin))})\n{ConnectionString(port)}"
            : $"stopped (data {DataDirectory})";
    }

    public bool Stop()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(InstallHint);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")) || RunningPort(bin) is null) return false;
        Run(bin, "pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w"]);
        return true;
    }

    public static string ConnectionString(int port) =>
        $"Host=127.0.0.1;Port={port};Username={ServiceUser};Database=postgres;Pooling=true;Timeout=15;Command Timeout=120";

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> that has initdb and pg_ctl.</summary>
    public static string? FindBinaries()
    {
        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot)) return null;
        return Directory.EnumerateDirectories(debianRoot)
            .Select(d => (Version: int.TryParse(Path.GetFileName(d), out int v) ? v : -1, Bin: Path.Combine(d, "bin")))
            .Where(x => x.Version > 0 && File.Exists(Path.Combine(x.Bin, "initdb")) && File.Exists(Path.Combine(x.Bin, "pg_ctl")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Bin)
            .FirstOrDefault();
    }

    private void Initialise(string bin)
    {
        Directory.CreateDirectory(DataDirectory);
        Directory.CreateDirectory(SocketDirectory);
        HandToServiceUser();
        Run(bin, "initdb", ["-D", DataDirectory, "-U", ServiceUser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
    }

    private int? RunningPort(string bin)
    {
        var (code, _) = Run(bin, "pg_ctl", ["status", "-D", DataDirectory], throwOnError: false);
        return code == 0 ? PreviousPort() : null;
    }

    private int Start(string bin)
    {
        Directory.CreateDirectory(SocketDirectory);
        HandToServiceUser();
        string? lastError = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            // The port of the last run first, so connection strings held by running clients stay valid across a restart.
            int port = attempt == 0 && PreviousPort() is { } previous && IsFree(previous) ? previous : FreeLoopbackPort();
            var (code, output) = Run(bin, "pg_ctl",
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60",
                 "-o", $"-p {port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c max_connections=200"],
                throwOnError: false);
            if (code == 0)
            {
                File.WriteAllText(PortFile, port.ToString());
                return port;
            }
            lastError = output + TailOfLog();
        }
        throw new InvalidOperationException($"PostgreSQL did not start: {lastError}");
    }

    private string TailOfLog()
    {
        try
        {
            return File.Exists(LogFile) ? "\n" + string.Join('\n', File.ReadLines(LogFile).TakeLast(10)) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private int? PreviousPort() =>
        File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), out int port) ? port : null;

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>As root, the cluster's files belong to the postgres user, and it must be able to reach them.</summary>
    private void HandToServiceUser()
    {
        if (!IsRoot || OperatingSystem.IsWindows()) return;
        Exec("chown", ["-R", $"{ServiceUser}:", Root]);
        // Every directory above the cluster must be traversable by the service user (mktemp makes 0700 folders).
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var mode = File.GetUnixFileMode(dir.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
                File.SetUnixFileMode(dir.FullName, mode | UnixFileMode.OtherExecute);
        }
    }

    private (int Code, string Output) Run(string bin, string tool, IReadOnlyList<string> args, bool throwOnError = true)
    {
        string exe = Path.Combine(bin, tool);
        return IsRoot
            ? Exec("runuser", ["-u", ServiceUser, "--", exe, .. args], throwOnError)
            : Exec(exe, args, throwOnError);
    }

    private static (int Code, string Output) Exec(string file, IReadOnlyList<string> args, bool throwOnError = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {CommandTimeout.TotalSeconds} s");
        }
        string output = (stdout.Result + stderr.Result).Trim();
        if (throwOnError && process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        return (process.ExitCode, output);
    }

    /// <summary>Serialises start/stop between gaugeNN processes sharing a data folder.</summary>
    private FileStream LockFile()
    {
        string path = Path.Combine(Path.GetDirectoryName(Root)!, "pg.lock");
        for (int i = 0; ; i++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (i < 600)
            {
                Thread.Sleep(100);
            }
        }
    }
}
