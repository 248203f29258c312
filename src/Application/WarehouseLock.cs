using System.Text.Json;

namespace GaugeNN.Application;

/// <summary>Who holds the DuckDB warehouse: a process's id, what it is, since when, and, for a host, where it listens.</summary>
public sealed record WarehouseOwner(int Pid, string Command, DateTimeOffset Since, string? HostUrl = null, string? AdminToken = null)
{
    public bool IsHost => HostUrl is not null;

    public override string ToString() => $"PID {Pid} ({Command}, since {Since.ToLocalTime():HH:mm:ss})";
}

/// <summary>The warehouse is held by another process; the message says which and what to do.</summary>
public sealed class WarehouseBusyException(string message) : Exception(message);

/// <summary>
/// One process at a time owns the DuckDB file (DuckDB allows a single writing process). The owner holds an exclusive
/// lock on <c>warehouse.lock</c> for its lifetime (the OS releases it when the process dies, however it dies) and
/// describes itself in <c>warehouse.owner.json</c>, so that others can say who holds it, or talk to it when it is the
/// host. Nothing ever waits on it silently.
/// </summary>
public sealed class WarehouseLock : IDisposable
{
    private readonly FileStream _lock;
    private readonly string _ownerFile;

    private WarehouseLock(FileStream @lock, string ownerFile)
    {
        _lock = @lock;
        _ownerFile = ownerFile;
    }

    public static string LockFile(DataFolder folder) => Path.Combine(folder.Root, "warehouse.lock");
    public static string OwnerFile(DataFolder folder) => Path.Combine(folder.Root, "warehouse.owner.json");

    /// <summary>Takes the warehouse, or returns null (with its current owner) when another process holds it.</summary>
    public static WarehouseLock? TryAcquire(DataFolder folder, WarehouseOwner me, out WarehouseOwner? holder)
    {
        holder = null;
        Directory.CreateDirectory(folder.Root);
        FileStream stream;
        try
        {
            stream = new FileStream(LockFile(folder), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"the data folder {folder.Root} is not writable: gaugenn needs to write its warehouse there (set GAUGENN_HOME to a writable folder)");
        }
        catch (IOException)
        {
            holder = Owner(folder) ?? new WarehouseOwner(0, "another gaugenn process", DateTimeOffset.MinValue);
            return null;
        }
        var held = new WarehouseLock(stream, OwnerFile(folder));
        held.Describe(me);
        return held;
    }

    /// <summary>(Re)writes how the owner describes itself, e.g. once a host knows the port it listens on.</summary>
    public void Describe(WarehouseOwner me)
    {
        File.WriteAllText(_ownerFile + ".tmp", JsonSerializer.Serialize(me));
        if (!OperatingSystem.IsWindows()) // a host's admin token is in it
            File.SetUnixFileMode(_ownerFile + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(_ownerFile + ".tmp", _ownerFile, overwrite: true);
    }

    /// <summary>
    /// The current owner as it described itself, or null when the description is missing or its process is gone
    /// (a killed owner's lock is released by the OS; its stale description is ignored).
    /// </summary>
    public static WarehouseOwner? Owner(DataFolder folder)
    {
        try
        {
            var owner = JsonSerializer.Deserialize<WarehouseOwner>(File.ReadAllText(OwnerFile(folder)));
            return owner is not null && Directory.Exists($"/proc/{owner.Pid}") ? owner : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static WarehouseBusyException Busy(WarehouseOwner holder) =>
        new($"the warehouse is held by {holder}; wait for it to finish, or stop it");

    public void Dispose()
    {
        try
        {
            File.Delete(_ownerFile);
        }
        catch (IOException)
        {
        }
        _lock.Dispose();
    }
}
