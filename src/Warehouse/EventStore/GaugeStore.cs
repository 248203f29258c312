using GaugeNN.Events;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>
/// The one place Marten is configured: string stream keys, event aliases and upcasters, the append guard, the ledgers
/// (with optimistic concurrency, so "already recorded" and the append are one atomic step).
/// </summary>
public static class GaugeStore
{
    public const string DefaultSchema = "gaugenn";

    // Any fixed number: serialises schema creation between processes sharing one PostgreSQL.
    private const long SchemaLockId = 0x6761_7567_656E_6E;

    /// <summary>
    /// Opens the store and makes sure its schema exists, under a PostgreSQL advisory lock so that concurrent first
    /// runs (N ingest workers) never race each other's DDL. Afterwards the store never changes the schema on its own.
    /// </summary>
    public static DocumentStore Create(string connectionString, string schema = DefaultSchema)
    {
        var migrating = DocumentStore.For(options => Configure(options, connectionString, schema, AutoCreate.CreateOrUpdate));
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({SchemaLockId})", connection))
                lockCommand.ExecuteNonQuery();
            migrating.Storage.ApplyAllConfiguredChangesToDatabaseAsync().GetAwaiter().GetResult();
            using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({SchemaLockId})", connection);
            unlock.ExecuteNonQuery();
        }
        finally
        {
            migrating.Dispose();
        }
        return DocumentStore.For(options => Configure(options, connectionString, schema, AutoCreate.None));
    }

    /// <summary>One upcaster per superseded alias: Marten reads old events through them, and so does the feed.</summary>
    public static readonly IReadOnlyList<Upcaster> Upcasters =
    [
        Upcaster.For<SnapshotOpenedV1, SnapshotOpened>(SnapshotOpened.From),
        Upcaster.For<ModelDissectedV1, ModelDissected>(ModelDissected.From),
    ];

    private static void Configure(StoreOptions options, string connectionString, string schema, AutoCreate autoCreate)
    {
        options.Connection(connectionString);
        options.DatabaseSchemaName = schema;
        options.AutoCreateSchemaObjects = autoCreate;
        ((SystemTextJsonSerializer)options.Serializer()).Configure(json => json.Converters.Add(new NulFreeStrings()));
        // Streams are keyed by snapshot id, package name, model sha256, device id, plan id and run id.
        options.Events.StreamIdentity = StreamIdentity.AsString;
        foreach (var (type, alias) in EventCatalogue.All)
            options.Events.MapEventType(type, alias);
        foreach (var upcaster in Upcasters)
            upcaster.Register(options);
        options.Listeners.Add(new CatalogueGuard());
        options.Schema.For<IngestLedgerEntry>().UseOptimisticConcurrency(true);
        options.Schema.For<ModelLedgerEntry>().UseOptimisticConcurrency(true).Index(x => x.AnalyserVersion);
        options.DisableNpgsqlLogging = true;
    }
}

/// <summary>How events stored under a superseded alias (<see cref="EventCatalogue.Superseded"/>) become the current type.</summary>
public sealed record Upcaster(string Alias, Type StoredType, Func<object, IGaugeEvent> Upcast, Action<StoreOptions> Register)
{
    public static Upcaster For<TOld, TNew>(Func<TOld, TNew> upcast) where TOld : class, IGaugeEvent where TNew : class, IGaugeEvent
    {
        string alias = EventCatalogue.Superseded.Single(e => e.Type == typeof(TOld)).Alias;
        return new Upcaster(alias, typeof(TOld), old => upcast((TOld)old), options => options.Events.Upcast(alias, upcast));
    }
}

/// <summary>A type that <see cref="EventCatalogue.All"/> does not list was about to be appended.</summary>
public sealed class UncataloguedEventException(Type type)
    : Exception($"event type {type.FullName} is not in EventCatalogue.All: add it with a stable alias and a golden JSON before appending it");

/// <summary>Refuses, before anything is written, a session that would append an event type the catalogue does not list.</summary>
internal sealed class CatalogueGuard : IDocumentSessionListener
{
    public Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        foreach (var stream in session.PendingChanges.Streams())
            foreach (var e in stream.Events)
                if (!EventCatalogue.IsAppendable(e.EventType))
                    throw new UncataloguedEventException(e.EventType);
        return Task.CompletedTask;
    }

    public Task AfterCommitAsync(IDocumentSession session, Marten.Services.IChangeSet commit, CancellationToken token) => Task.CompletedTask;

    public void DocumentLoaded(object id, object document)
    {
    }

    public void DocumentAddedForStorage(object id, object document)
    {
    }
}

/// <summary>
/// What has been appended for one app in one snapshot (id <c>snapshot/package</c>): kept in the same transaction
/// as the events, so deciding "already ingested" never needs a scan of the event table. Versioned: two writers that
/// both read it and both append are caught at commit, and the loser retries.
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
