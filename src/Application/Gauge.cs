using GaugeNN.Warehouse.EventStore;
using Marten;

namespace GaugeNN.Application;

/// <summary>
/// One data folder with its event store: what every use case works on. The CLI, the warehouse host, Measure's
/// runners and the tests open it the same way; hosts only compose use cases over it.
/// </summary>
public sealed class Gauge : IDisposable
{
    private Gauge(DataFolder folder, DocumentStore store, TimeProvider time)
    {
        Folder = folder;
        Store = store;
        Time = time;
        Blobs = new ModelBlobStore(folder.ModelBlobs);
    }

    public DataFolder Folder { get; }
    public DocumentStore Store { get; }
    public TimeProvider Time { get; }
    public ModelBlobStore Blobs { get; }

    /// <summary>Opens the folder's store (<c>GAUGENN_PG</c>, or the private cluster started on demand).</summary>
    public static Gauge Open(DataFolder folder, TimeProvider? time = null) =>
        Open(folder, folder.PostgresConnectionString(), GaugeStore.DefaultSchema, time);

    /// <summary>Opens a store in <paramref name="schema"/> of the given server (tests use a schema each).</summary>
    public static Gauge Open(DataFolder folder, string connectionString, string schema, TimeProvider? time = null)
    {
        Directory.CreateDirectory(folder.Root);
        var gauge = new Gauge(folder, GaugeStore.Create(connectionString, schema), time ?? TimeProvider.System);
        Leftovers.Remove(folder.ModelBlobs, SearchOption.AllDirectories);
        Leftovers.Remove(folder.Runners, SearchOption.TopDirectoryOnly);
        return gauge;
    }

    public void Dispose() => Store.Dispose();
}
