using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="ModelFileFound"/>: a model file of one scan of an app.</summary>
public static class ModelFileFoundTable
{
    public static readonly EventTable<ModelFileFound> Table = new("ev_model_file_found",
        (e, changes) => changes.Apps.Add((e.Snapshot, e.Package)),
        Col<ModelFileFound>.Text("snapshot", e => e.Snapshot),
        Col<ModelFileFound>.Text("package", e => e.Package),
        Col<ModelFileFound>.Text("scan_key", e => e.ScanKey),
        Col<ModelFileFound>.Text("path", e => e.Path),
        Col<ModelFileFound>.Text("sha256", e => e.Sha256),
        Col<ModelFileFound>.Int64("bytes", e => e.Bytes),
        Col<ModelFileFound>.Text("format", e => e.Format),
        Col<ModelFileFound>.Texts("evidence", e => e.Evidence),
        Col<ModelFileFound>.Bool("encrypted", e => e.Encrypted),
        Col<ModelFileFound>.Double("entropy", e => e.Entropy),
        Col<ModelFileFound>.Text("storage", e => e.Storage));
}
