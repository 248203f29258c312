using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using GaugeNN.Api;
using GaugeNN.Warehouse.EventStore;
using GaugeNN.Warehouse.Read;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GaugeNN.Application.Hosting;

/// <summary>Where and how the host listens.</summary>
public sealed record WarehouseHostOptions(int Port, string Address = "127.0.0.1")
{
    /// <summary>How often the follower looks for new events when it has caught up.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>A port that cannot be listened on; said before any work starts.</summary>
public sealed class PortUnavailableException(string message) : Exception(message);

/// <summary>
/// The warehouse host (<c>gaugenn serve</c>): one long-lived process that owns the DuckDB file, follows the event
/// store (every event committed by any process appears in the tables within a poll interval plus one projection
/// step), and serves GraphQL from the same DuckDB instance. Other commands that need the file (project, export) talk
/// to it over its loopback admin endpoints instead of waiting for the file.
/// </summary>
public sealed class WarehouseHost : IAsyncDisposable
{
    private readonly OpenWarehouse _warehouse;
    private readonly ReaderPool _readers;
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _following;
    private readonly EventFeed _feed;

    private WarehouseHost(OpenWarehouse warehouse, ReaderPool readers, WebApplication app, WarehouseHostOptions options, Gauge gauge)
    {
        _feed = new EventFeed(gauge.Store, new PostgresGapProbe(gauge.Store));
        _warehouse = warehouse;
        _readers = readers;
        _app = app;
        Projection = new ProjectionLoop(warehouse, options.Poll);
        _following = Projection.RunAsync(_stop.Token);
    }

    /// <summary>How long a stop waits for in-flight requests.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(3);

    public string Url => _app.Urls.First();
    public ReaderPool Readers => _readers;
    public ProjectionLoop Projection { get; }

    public static async Task<WarehouseHost> StartAsync(Gauge gauge, WarehouseHostOptions options, CancellationToken ct)
    {
        var address = IPAddress.Parse(options.Address);
        EnsurePortFree(address, options.Port);
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // The URL is known only once bound (port 0 picks one): the owner record is rewritten then.
        var warehouse = OpenWarehouse.Open(gauge, OpenWarehouse.Me("gaugenn serve"));
        ReaderPool? readers = null;
        try
        {
            warehouse.Projector.EnsureSchema();
            readers = new ReaderPool(gauge.Folder.DuckDbFile);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // A stop (SIGTERM, Ctrl-C) lets in-flight requests finish, within a bound that service managers accept.
            builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = ShutdownGrace);
            builder.WebHost.UseUrls($"http://{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address)}:{options.Port}");
            builder.Services.AddGaugeApi(readers);
            var app = builder.Build();
            app.MapGaugeApi();
            var host = new WarehouseHost(warehouse, readers, app, options, gauge);
            AdminEndpoints.Map(app, host, token);
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                await host.DisposeAsync();
                throw new PortUnavailableException($"cannot listen on {options.Address}:{options.Port}: {e.Message}");
            }
            warehouse.Describe(OpenWarehouse.Me("gaugenn serve") with { HostUrl = host.Url, AdminToken = token });
            return host;
        }
        catch
        {
            readers?.Dispose();
            warehouse.Dispose();
            throw;
        }
    }

    /// <summary>Waits until every event committed before the call is in the tables.</summary>
    public async Task CaughtUpAsync(CancellationToken ct) => await Projection.WaitForAsync(await _feed.HeadAsync(ct), ct);

    private static void EnsurePortFree(IPAddress address, int port)
    {
        if (port == 0) return;
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new PortUnavailableException($"cannot listen on {address}:{port}: {e.Message} (choose another with --port)");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _following;
        }
        catch (OperationCanceledException)
        {
        }
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _readers.Dispose();
        _warehouse.Dispose();
        _stop.Dispose();
    }
}
