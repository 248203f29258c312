using GaugeNN.Events;

namespace GaugeNN.Warehouse.Projections.Events;

/// <summary><see cref="ModelDissectionFailed"/>: a model the analyser could not read, and why.</summary>
public static class ModelDissectionFailedTable
{
    public static readonly EventTable<ModelDissectionFailed> Table = new("ev_model_dissection_failed",
        (e, changes) => changes.Models.Add(e.Sha256),
        Col<ModelDissectionFailed>.Text("sha256", e => e.Sha256),
        Col<ModelDissectionFailed>.Int32("analyser_version", e => e.AnalyserVersion),
        Col<ModelDissectionFailed>.Text("format", e => e.Format),
        Col<ModelDissectionFailed>.Text("reason", e => e.Reason),
        Col<ModelDissectionFailed>.Bool("looks_encrypted", e => e.LooksEncrypted));
}
