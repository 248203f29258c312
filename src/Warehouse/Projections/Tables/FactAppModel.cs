using GaugeNN.Warehouse.Projections.Events;

namespace GaugeNN.Warehouse.Projections.Tables;

public static class FactAppModel
{
    public static readonly DerivedTable Table = new("fact_app_model",
        "A model file of an app in a snapshot (from the app's latest scan there).", Scope.App,
        [
            new("snapshot", "VARCHAR", "snapshot id"),
            new("package", "VARCHAR", "app package name"),
            new("path", "VARCHAR", "corpus path syntax: split.apk!/assets/x.tflite steps into a nested archive, blob.data@OFFSET is embedded"),
            new("sha256", "VARCHAR", "sha256 of the model bytes"),
            new("format", "VARCHAR", "tflite, onnx, ncnn, caffe, mnn, tf, pytorch, snpe, paddle"),
            new("bytes", "BIGINT", "model size in bytes"),
            new("storage", "VARCHAR", "stored or deflated: the compression of the innermost zip entry"),
            new("encrypted", "BOOLEAN", "named like a model, matches no format, high entropy"),
            new("entropy", "DOUBLE", "Shannon entropy of the bytes, bits per byte"),
            new("evidence", "VARCHAR[]", "what identified it: extension, magic, structure, weights:<path>"),
        ],
        ctx => $"""
            SELECT f.snapshot, f.package, f.path, f.sha256, f.format, f.bytes, f.storage, f.encrypted, f.entropy, f.evidence
            FROM {ctx.Events(ModelFileFoundTable.Table)} f
            JOIN ({AppSql.LatestScans(ctx)}) s ON s.snapshot = f.snapshot AND s.package = f.package AND s.scan_key = f.scan_key
            WHERE {ctx.In(Scope.App, "f.snapshot", "f.package")}
            """,
        PartitionColumn: "snapshot");
}
