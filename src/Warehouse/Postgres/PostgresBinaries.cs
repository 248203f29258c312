using System.Diagnostics;

namespace GaugeNN.Warehouse.Postgres;

/// <summary>
/// Where PostgreSQL's server binaries are, in this order: <c>GAUGENN_PG_BIN</c>, <c>pg_config --bindir</c>,
/// <c>initdb</c> and <c>pg_ctl</c> on PATH, then the usual install folders (Debian/Ubuntu, RHEL, Homebrew, Postgres.app),
/// newest version first. A folder counts when it holds both <c>initdb</c> and <c>pg_ctl</c>.
/// </summary>
public static class PostgresBinaries
{
    private static readonly string[] VersionedRoots = ["/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/opt/homebrew/opt/postgresql@*/bin",
        "/usr/local/opt/postgresql@*/bin", "/Applications/Postgres.app/Contents/Versions/*/bin"];

    private static readonly string[] FixedFolders = ["/opt/homebrew/opt/postgresql/bin", "/usr/local/opt/postgresql/bin", "/usr/local/pgsql/bin"];

    public static string? Find() => Candidates().FirstOrDefault(IsServerFolder);

    /// <summary>Every place looked, and how to install PostgreSQL, for the message when none has it.</summary>
    public static string NotFoundMessage() =>
        "PostgreSQL's server binaries (initdb, pg_ctl) were not found. Looked in: " +
        $"${PrivateCluster.BinariesVariable}, `pg_config --bindir`, PATH, {string.Join(", ", VersionedRoots.Concat(FixedFolders))}. " +
        "Install them (Debian/Ubuntu: `apt-get install -y postgresql`; RHEL: `dnf install postgresql-server`; macOS: `brew install postgresql`), " +
        $"point ${PrivateCluster.BinariesVariable} at their folder, or set GAUGENN_PG to the connection string of a server you run.";

    private static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable(PrivateCluster.BinariesVariable) is { Length: > 0 } given) yield return given;
        if (OnPath("pg_config") is { } pgConfig && BinDirOf(pgConfig) is { } bindir) yield return bindir;
        if (OnPath("initdb") is { } initdb) yield return Path.GetDirectoryName(initdb)!;
        foreach (var pattern in VersionedRoots)
        {
            string root = pattern[..pattern.IndexOf('*')];
            string parent = Path.GetDirectoryName(root.TrimEnd('/'))!;
            string prefix = Path.GetFileName(root.TrimEnd('/'));
            string suffix = pattern[(pattern.IndexOf('*') + 1)..];
            if (!Directory.Exists(parent)) continue;
            foreach (var folder in Directory.EnumerateDirectories(parent, prefix + "*")
                         .Select(d => (Dir: d, Version: VersionOf(Path.GetFileName(d)[prefix.Length..])))
                         .Where(d => d.Version is not null)
                         .OrderByDescending(d => d.Version))
                yield return folder.Dir + suffix;
        }
        foreach (var folder in FixedFolders) yield return folder;
    }

    private static Version? VersionOf(string text) =>
        Version.TryParse(text.Contains('.') ? text : text + ".0", out var version) ? version : null;

    private static bool IsServerFolder(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

    private static string? OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static string? BinDirOf(string pgConfig)
    {
        try
        {
            var start = new ProcessStartInfo(pgConfig, "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(10_000) && process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// How root runs a server command as the service user: <c>runuser</c>, else <c>setpriv</c>, found by absolute path
    /// (root's PATH may lack /usr/sbin).
    /// </summary>
    public static (string File, IReadOnlyList<string> Args) AsServiceUser(string user, string exe, IReadOnlyList<string> args)
    {
        string? runuser = new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists);
        if (runuser is not null) return (runuser, ["-u", user, "--", exe, .. args]);
        string? setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);
        if (setpriv is not null) return (setpriv, ["--reuid", user, "--regid", user, "--init-groups", "--", exe, .. args]);
        throw new InvalidOperationException(
            $"gaugenn runs as root, and PostgreSQL must run as '{user}', but neither runuser nor setpriv was found (install util-linux), or run gaugenn as another user");
    }
}
