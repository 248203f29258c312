using System.Runtime.InteropServices;

namespace GaugeNN.Tests.Shared;

/// <summary>POSIX signals to processes the tests started, and what /proc says about them.</summary>
public static class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; false when the process is already gone.</summary>
    public static bool Send(int pid, int signal) => kill(pid, signal) == 0;

    public static bool IsAlive(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}") && State(pid) is not ('Z' or 'X' or null);

    /// <summary>The resident set size (<c>VmRSS</c>) of a live process, in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }

    /// <summary>Every live process below <paramref name="pid"/> (children, theirs, …), as /proc shows them now.</summary>
    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out int child) && Stat(child) is { } stat)
                parents[child] = stat.Parent;
        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out int parent))
            foreach (var (child, p) in parents)
                if (p == parent && !found.Contains(child))
                {
                    found.Add(child);
                    frontier.Enqueue(child);
                }
        return found;
    }

    /// <summary>The command name (<c>comm</c>) of a live process, or null.</summary>
    public static string? CommandName(int pid) => Stat(pid)?.Name;

    private static char? State(int pid) => Stat(pid)?.State;

    // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split at the last ')'.
    private static (string Name, char State, int Parent)? Stat(int pid)
    {
        try
        {
            string text = File.ReadAllText($"/proc/{pid}/stat");
            int open = text.IndexOf('('), close = text.LastIndexOf(')');
            var rest = text[(close + 2)..].Split(' ');
            return (text[(open + 1)..close], rest[0][0], int.Parse(rest[1]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
