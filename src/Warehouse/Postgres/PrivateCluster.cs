using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GaugeNN.Warehouse.Postgres;

/// <summary>The state of the private cluster, as PostgreSQL itself reports it.</summary>
public enum ClusterState
{
    NotInstalled,
    NotCreated,
    Stopped,
    Running,
}

public sealed record ClusterStatus(ClusterState State, int? Port, string DataDirectory, string? Binaries, string Detail)
{
    public string? ConnectionString => Port is { } port ? PrivateCluster.ConnectionString(port) : null;

    public override string ToString() => State switch
    {
        ClusterState.Running => $"running on 127.0.0.1:{Port} (data {DataDirectory}, binaries {Binaries})\n{ConnectionString}",
        ClusterState.Stopped => $"stopped (data {DataDirectory})",
        ClusterState.NotCreated => $"not created (would live in {DataDirectory})",
        _ => Detail,
    };
}

/// <summary>
/// The PostgreSQL cluster gaugeNN owns when <c>GAUGENN_PG</c> is not set: <c>initdb</c>/<c>pg_ctl</c>, a data directory
/// under the data folder, loopback only on a free port. PostgreSQL refuses to run as root, so when we are root every
/// server command runs as the <c>postgres</c> user, which then owns the cluster's directory. Whether it runs, and on
/// which port, is asked of PostgreSQL itself (<c>pg_ctl status</c>, the port in <c>postmaster.pid</c>, and a
/// connection probe), so a start killed half-way, a stale pid file or a reused PID recover by themselves.
/// </summary>
public sealed class PrivateCluster(string home)
{
    public const string BinariesVariable = "GAUGENN_PG_BIN";
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);

    public string Root { get; } = Path.Combine(Path.GetFullPath(home), "pg");
    private string DataDirectory => Path.Combine(Root, "data");
    private string SocketDirectory => Path.Combine(Root, "run");
    private string PortFile => Path.Combine(Root, "port");
    private string LogFile => Path.Combine(Root, "server.log");
    private string PidFile => Path.Combine(DataDirectory, "postmaster.pid");
    private string LockPath => Path.Combine(Path.GetDirectoryName(Root)!, "pg.lock");

    /// <summary>Starts the cluster if needed (creating it on first use) and returns its connection string.</summary>
    public string EnsureRunning()
    {
        var bin = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.NotFoundMessage());
        using var _ = Lock();
        RemoveAbandonedInitialisations();
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            Initialise(bin);
        if (RunningPort(bin) is { } port)
            return ConnectionString(port);
        RemoveStalePidFile();
        return ConnectionString(Start(bin));
    }

    public ClusterStatus Status()
    {
        var bin = PostgresBinaries.Find();
        if (bin is null) return new ClusterStatus(ClusterState.NotInstalled, null, DataDirectory, null, PostgresBinaries.NotFoundMessage());
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            return new ClusterStatus(ClusterState.NotCreated, null, DataDirectory, bin, "");
        return RunningPort(bin) is { } port
            ? new ClusterStatus(ClusterState.Running, port, DataDirectory, bin, "")
            : new ClusterStatus(ClusterState.Stopped, null, DataDirectory, bin, "");
    }

    /// <summary>Stops the cluster; false when it was not running.</summary>
    public bool Stop()
    {
        var bin = PostgresBinaries.Find() ?? throw new InvalidOperationException(PostgresBinaries.NotFoundMessage());
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION"))) return false;
        var (code, _) = Run(bin, "pg_ctl", ["status", "-D", DataDirectory], throwOnError: false);
        if (code != 0 || !PostmasterIsOurs()) return false;
        Run(bin, "pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w"]);
        return true;
    }

    public static string ConnectionString(int port) =>
        $"Host=127.0.0.1;Port={port};Username={ServiceUser};Database=postgres;Pooling=true;Timeout=15;Command Timeout=120";

    /// <summary>
    /// Creates the cluster in a folder of its own and renames it into place once complete. initdb writes PG_VERSION
    /// first: a gaugenn killed during initdb would otherwise leave a half-made cluster that passes for a created one,
    /// and its orphaned initdb would keep writing (and, on failure, delete) the folder the next command starts a
    /// server on.
    /// </summary>
    private void Initialise(string bin)
    {
        string staging = $"{DataDirectory}{StagingInfix}{Environment.ProcessId}";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        Directory.CreateDirectory(SocketDirectory);
        HandToServiceUser();
        Run(bin, "initdb", ["-D", staging, "-U", ServiceUser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
        // A data folder without PG_VERSION holds no cluster (an interrupted earlier layout): nothing to keep.
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
        Directory.Move(staging, DataDirectory);
    }

    private const string StagingInfix = ".initdb-";

    /// <summary>
    /// Staging folders of initdb runs whose gaugenn is gone (killed during the first start), removed at the next
    /// start: their initdb, if still running, is an orphan whose result nobody will use.
    /// </summary>
    private void RemoveAbandonedInitialisations()
    {
        foreach (var folder in Directory.EnumerateDirectories(Root, Path.GetFileName(DataDirectory) + StagingInfix + "*"))
        {
            if (int.TryParse(folder[(folder.LastIndexOf('-') + 1)..], out int owner) && owner != Environment.ProcessId && Directory.Exists($"/proc/{owner}"))
                continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // The orphaned initdb is still writing there; it fails without its folder, and the next start retries.
            }
        }
    }

    /// <summary>
    /// The port of a server that runs on this data directory and answers, or null. The port comes from the server's
    /// own <c>postmaster.pid</c> (the recorded port file may be missing after a killed start); it is recorded again.
    /// </summary>
    private int? RunningPort(string bin)
    {
        var (code, _) = Run(bin, "pg_ctl", ["status", "-D", DataDirectory], throwOnError: false);
        if (code != 0 || !PostmasterIsOurs()) return null;
        int? port = PortInPidFile() ?? PreviousPort();
        if (port is null) return null;
        // A server still starting up answers within pg_ctl's own start timeout.
        var (ready, _) = Run(bin, "pg_isready", ["-h", "127.0.0.1", "-p", port.Value.ToString(), "-t", "30"], throwOnError: false);
        if (ready != 0) return null;
        if (PreviousPort() != port) File.WriteAllText(PortFile, port.Value.ToString());
        return port;
    }

    /// <summary>The process named in <c>postmaster.pid</c> is a PostgreSQL server (not a process that reused its PID).</summary>
    private bool PostmasterIsOurs()
    {
        if (PidInPidFile() is not { } pid) return false;
        try
        {
            string command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return command.Contains("postgres", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true; // another user's process we cannot inspect: assume it is the server
        }
    }

    /// <summary>A <c>postmaster.pid</c> whose process is gone or is something else: PostgreSQL would refuse to start.</summary>
    private void RemoveStalePidFile()
    {
        if (File.Exists(PidFile) && !PostmasterIsOurs()) File.Delete(PidFile);
    }

    private string[]? PidFileLines()
    {
        try
        {
            return File.Exists(PidFile) ? File.ReadAllLines(PidFile) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private int? PidInPidFile() => PidFileLines() is [var pid, ..] && int.TryParse(pid.Trim(), out int value) ? value : null;

    // postmaster.pid: line 1 PID, 2 data directory, 3 start time, 4 port.
    private int? PortInPidFile() => PidFileLines() is [_, _, _, var port, ..] && int.TryParse(port.Trim(), out int value) ? value : null;

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
        return IsRoot ? Exec(PostgresBinaries.AsServiceUser(ServiceUser, exe, args), throwOnError) : Exec(exe, args, throwOnError);
    }

    private static (int Code, string Output) Exec((string File, IReadOnlyList<string> Args) command, bool throwOnError) =>
        Exec(command.File, command.Args, throwOnError);

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

    /// <summary>
    /// Serialises start/stop between gaugeNN processes sharing a data folder. The OS releases the lock when its holder
    /// dies; a live holder is waited for (at most a minute, saying who), a folder we cannot write fails at once.
    /// </summary>
    private FileStream Lock()
    {
        string owner = LockPath + ".owner";
        try
        {
            Directory.CreateDirectory(Root);
        }
        catch (UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"the data folder {Path.GetDirectoryName(Root)} is not writable: set GAUGENN_HOME to a writable folder");
        }
        var waited = Stopwatch.StartNew();
        bool told = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                File.WriteAllText(owner, Environment.ProcessId.ToString());
                return stream;
            }
            catch (UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"the data folder {Path.GetDirectoryName(Root)} is not writable: set GAUGENN_HOME to a writable folder");
            }
            catch (IOException) when (waited.Elapsed < LockWait)
            {
                if (!told)
                {
                    string holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "?";
                    Console.Error.WriteLine($"waiting for PID {holder}, which is starting or stopping the private PostgreSQL cluster in {Root}");
                    told = true;
                }
                Thread.Sleep(100);
            }
            catch (IOException)
            {
                throw new InvalidOperationException($"another process has held {LockPath} for {LockWait.TotalSeconds:0} s; if no gaugenn runs, delete that file");
            }
        }
    }
}
