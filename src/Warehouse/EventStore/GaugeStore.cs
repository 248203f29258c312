using GaugeNN.Events;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>The one place Marten is configured: string stream keys, event aliases, the ingest ledger.</summary>
public static class GaugeStore
{
    public const string DefaultSchema = "gaugenn";

    public static DocumentStore Create(string connectionString, string schema = DefaultSchema) =>
        DocumentStore.For(options => Configure(options, connectionString, schema));

    public static void Configure(StoreOptions options, string connectionString, string schema)
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        // Streams are keyed by snapshot id, package name and model sha256.
        options.Events.StreamIdentity = StreamIdentity.AsString;
        foreach (var (type, alias) in EventCatalogue.All)
            options.Events.MapEventType(type, alias);
        options.Schema.For<IngestLedgerEntry>();
        options.Schema.For<ModelLedgerEntry>().Index(x => x.AnalyserVersion);
        options.DisableNpgsqlLogging = true;
    }
}

/// <summary>
/// What has been appended for one app in one snapshot (id <c>snapshot/package</c>): kept in the same transaction
/// as the events, so deciding "already ingested" never needs a scan of the event table.
/// </summary>
public sealed class IngestLedgerEntry
{
    public string Id { get; set; } = "";
    public string? ListingDigest { get; set; }
    public List<string> ScanKeys { get; set; } = [];

    public static string IdOf(string snapshot, string package) => $"{snapshot}/{package}";
}

/// <summary>
/// Every identified model (id = sha256) with the analyser version of its latest dissection (0 = never dissected):
/// what <c>reanalyse</c> and the end of an ingest work from, without reading the event table.
/// </summary>
public sealed class ModelLedgerEntry
{
    public string Id { get; set; } = "";
    public string Format { get; set; } = "";
    public int AnalyserVersion { get; set; }
}
