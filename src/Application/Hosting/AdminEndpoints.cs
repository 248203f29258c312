using System.Security.Cryptography;
using System.Text;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Projections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GaugeNN.Application.Hosting;

/// <summary>An export the host is asked to write (the directory is absolute: the caller's working folder is not the host's).</summary>
public sealed record ExportRequest(string Directory, LakeFormat Format, bool Incremental);

/// <summary>
/// What the CLI asks of a running host: catch up (or rebuild) and export, because the host owns the DuckDB file.
/// Loopback only, and only with the admin token the host wrote into the data folder (readable by its owner alone).
/// <c>GET /healthz</c> is public: the projection's state.
/// </summary>
internal static class AdminEndpoints
{
    public const string TokenHeader = "X-Gaugenn-Admin";

    public static void Map(WebApplication app, WarehouseHost host, string token)
    {
        app.MapGet("/healthz", () =>
        {
            var state = host.Projection.State;
            string status = state.LastError is not null ? "failing" : state.WaitingOn is not null ? "waiting" : "ok";
            return Results.Json(new { status, state.Checkpoint, state.Head, state.WaitingOn, state.LastError, state.LastStep });
        });
        var admin = app.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            bool loopback = http.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip);
            string given = http.Request.Headers[TokenHeader].ToString();
            if (!loopback || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token)))
                return Results.Json(new { error = "admin endpoints take the local admin token" }, statusCode: StatusCodes.Status403Forbidden);
            try
            {
                return await next(context);
            }
            catch (GapStillOpenException e)
            {
                return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status409Conflict);
            }
        });
        admin.MapPost("/catch-up", async (bool rebuild, CancellationToken ct) =>
            Results.Json(await host.Projection.ExclusiveAsync(async warehouse =>
            {
                if (rebuild)
                {
                    warehouse.Projector.DropAll();
                    warehouse.Projector.EnsureSchema();
                }
                return await warehouse.Follower.CatchUpAsync(OpenWarehouse.GapWait, null, ct);
            }, ct)));
        admin.MapPost("/export", async (ExportRequest request, CancellationToken ct) =>
        {
            var caughtUp = await host.Projection.ExclusiveAsync(w => w.Follower.CatchUpAsync(OpenWarehouse.GapWait, null, ct), ct);
            var export = await host.Projection.ExclusiveAsync(w =>
                Task.FromResult(new LakeExporter(w.Db).Export(request.Directory, request.Format, caughtUp.Checkpoint, request.Incremental, ct)), ct);
            return Results.Json(new HostExport(caughtUp, export));
        });
    }
}

/// <summary>The answer to an export request: the catch-up it did first, then the export.</summary>
public sealed record HostExport(CatchUpReport CatchUp, ExportReport Export);
