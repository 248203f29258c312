namespace GaugeNN.Faults.Tests.Infrastructure;

/// <summary>One trial: an empty database of the test server and a folder for its data folders and lakes.</summary>
public sealed class Scenario : IAsyncDisposable
{
    private static int _count;

    private Scenario(Reference reference, string folder, string postgres)
    {
        Reference = reference;
        Folder = folder;
        Postgres = postgres;
    }

    public Reference Reference { get; }
    public string Folder { get; }
    public string Postgres { get; }

    /// <summary>The main data folder of the trial.</summary>
    public CliEnvironment Environment => At("home");

    public static async Task<Scenario> CreateAsync(Reference reference, string name)
    {
        string folder = Path.Combine(reference.Root, $"{name}-{Interlocked.Increment(ref _count)}");
        Directory.CreateDirectory(folder);
        return new Scenario(reference, folder, await TestPostgres.CreateDatabaseAsync(name));
    }

    /// <summary>Another data folder on the same database (its own DuckDB file, the same events).</summary>
    public CliEnvironment At(string home) => new(Path.Combine(Folder, home), Postgres);

    /// <summary>Starts <c>ingest</c> of the reference snapshot.</summary>
    public Gaugenn StartIngest(params string[] more) =>
        Gaugenn.Start(Environment, ["ingest", "--snapshot", Reference.Snapshot, .. more, Reference.SnapshotFolder]);

    /// <summary>
    /// Starts an ingest of the reference snapshot and SIGKILLs it inside an append transaction (its events inserted,
    /// not committed) once PostgreSQL holds at least <paramref name="apps"/> of its apps: the sequence numbers that
    /// transaction took are left as a gap. Returns the apps committed when it died.
    /// </summary>
    public async Task<long> KillIngestInsideAnAppendAsync(long apps)
    {
        using var ingest = StartIngest();
        while (!ingest.HasExited && await EventStoreState.CommittedAppsAsync(Postgres, Reference.Snapshot) < apps)
            await Task.Delay(20);
        await EventStoreState.WaitForOpenAppendAsync(Postgres, () => ingest.HasExited);
        ingest.Kill();
        await ingest.ExitAsync();
        return await EventStoreState.CommittedAppsAsync(Postgres, Reference.Snapshot);
    }

    public async Task<CliExit> IngestAsync(params string[] more)
    {
        using var ingest = StartIngest(more);
        return await ingest.ExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await TestPostgres.DropDatabaseAsync(Postgres);
        Directory.Delete(Folder, recursive: true);
    }
}
