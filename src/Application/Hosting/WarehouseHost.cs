using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using GaugeNN.Api;
using GaugeNN.Api.Limits;
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

    /// <summary>
    /// A file holding the API key (its first line); required to bind anywhere but loopback, and when given, asked of
    /// every data request (<c>/graphql</c>, <c>/download</c>) wherever the host listens.
    /// </summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>Origins a browser may call the API from (CORS); empty: none besides the host's own pages.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>The API's caps (depth, answer size, page size, time, bytes).</summary>
    public ApiLimits Limits { get; init; } = new();
}

/// <summary>A port that cannot be listened on; said before any work starts.</summary>
public sealed class PortUnavailableException(string message) : Exception(message);

/// <summary>The host's options cannot be served safely or at all (no API key off loopback, an unreadable key file).</summary>
public sealed class HostOptionsException(string message) : Exception(message);

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

    private WarehouseHost(OpenWarehouse warehouse, ReaderPool readers, WebApplication app, ProjectionLoop projection, Gauge gauge)
    {
        _feed = new EventFeed(gauge.Store, new PostgresGapProbe(gauge.Store));
        _warehouse = warehouse;
        _readers = readers;
        _app = app;
        Projection = projection;
        _following = Projection.RunAsync(_stop.Token);
    }

    /// <summary>How long a stop waits for in-flight requests.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(3);

    public string Url => _app.Urls.First();
    public ReaderPool Readers => _readers;
    public ProjectionLoop Projection { get; }

    public static async Task<WarehouseHost> StartAsync(Gauge gauge, WarehouseHostOptions options, CancellationToken ct)
    {
        if (!IPAddress.TryParse(options.Address, out var address))
            throw new HostOptionsException($"'{options.Address}' is not an IP address to listen on (e.g. 127.0.0.1, ::1, 0.0.0.0)");
        string? apiKey = ApiKey(options);
        if (apiKey is null && !IPAddress.IsLoopback(address))
            throw new HostOptionsException($"listening on {options.Address} (not loopback) needs an API key: give --api-key-file FILE (a key of at least {MinKeyLength} characters)");
        EnsurePortFree(address, options.Port);
        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        // The URL is known only once bound (port 0 picks one): the owner record is rewritten then.
        var warehouse = OpenWarehouse.Open(gauge, OpenWarehouse.Me("gaugenn serve"));
        ReaderPool? readers = null;
        try
        {
            warehouse.Projector.EnsureSchema();
            readers = new ReaderPool(gauge.Folder.DuckDbFile);
            var projection = new ProjectionLoop(warehouse, options.Poll);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // A stop (SIGTERM, Ctrl-C) lets in-flight requests finish, within a bound that service managers accept.
            builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = ShutdownGrace);
            builder.WebHost.UseUrls($"http://{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address)}:{options.Port}");
            builder.Services.AddGaugeApi(readers, new ApiOptions
            {
                Limits = options.Limits,
                CorsOrigins = options.CorsOrigins,
                ApiKey = apiKey,
                DownloadFolder = Path.Combine(gauge.Folder.Root, "downloads"),
                Version = () => projection.Version,
            });
            var app = builder.Build();
            app.MapGaugeApi();
            var host = new WarehouseHost(warehouse, readers, app, projection, gauge);
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

    private const int MinKeyLength = 16;

    /// <summary>The key of <see cref="WarehouseHostOptions.ApiKeyFile"/> (its first line, trimmed), checked for length.</summary>
    private static string? ApiKey(WarehouseHostOptions options)
    {
        if (options.ApiKeyFile is not { } file) return null;
        string key;
        try
        {
            key = File.ReadLines(file).FirstOrDefault()?.Trim() ?? "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostOptionsException($"cannot read the API key file {file}: {e.Message}");
        }
        return key.Length >= MinKeyLength ? key
            : throw new HostOptionsException($"the API key in {file} is {key.Length} characters; use at least {MinKeyLength} (e.g. openssl rand -hex 32 > {file})");
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
