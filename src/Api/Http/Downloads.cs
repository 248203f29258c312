using System.Text.RegularExpressions;
using GaugeNN.Warehouse.Export;
using GaugeNN.Warehouse.Files;
using GaugeNN.Warehouse.Projections;
using GaugeNN.Warehouse.Read;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GaugeNN.Api.Http;

/// <summary>
/// <c>GET /download/TABLE.parquet</c> or <c>.arrow</c> (optionally <c>?snapshot=ID</c>): a warehouse table as one
/// file. The name must be a declared table (<see cref="WarehouseSchema.Tables"/>) — anything else, a path included,
/// is refused before a file is touched. The file is staged in the download folder (a name of our own, never the
/// caller's) and deleted as soon as it has been streamed; leftovers of a killed host are removed at start.
/// </summary>
public static partial class Downloads
{
    private const string Prefix = "download-";

    [GeneratedRegex("^(?<table>[a-z_]+)\\.(?<format>parquet|arrow)$")]
    private static partial Regex Name();

    public static void Map(RouteGroupBuilder data, ApiOptions options)
    {
        Directory.CreateDirectory(options.DownloadFolder);
        foreach (var stale in Directory.EnumerateFiles(options.DownloadFolder, Prefix + "*")) File.Delete(stale);
        data.MapGet("/download/{**name}", (HttpContext http, string name, string? snapshot) => Download(http, name, snapshot, options));
    }

    private static IResult Download(HttpContext http, string name, string? snapshot, ApiOptions options)
    {
        var match = Name().Match(name);
        var table = match.Success ? WarehouseSchema.Tables.FirstOrDefault(t => t.Name == match.Groups["table"].Value) : null;
        if (table is null)
            return Errors.Result(StatusCodes.Status404NotFound, "NOT_FOUND",
                $"no download is named '{Printable(name)}': ask for TABLE.parquet or TABLE.arrow, TABLE one of {string.Join(", ", WarehouseSchema.Tables.Select(t => t.Name))}");
        if (snapshot is not null && table.PartitionColumn is null)
            return Errors.Result(StatusCodes.Status400BadRequest, "BAD_REQUEST", $"{table.Name} is not kept per snapshot: download it without ?snapshot=");
        var format = match.Groups["format"].Value == "parquet" ? LakeFormat.Parquet : LakeFormat.Arrow;
        var files = new TableFiles(http.RequestServices.GetRequiredService<ReaderLease>());
        if (snapshot is not null && !files.HasSnapshot(snapshot))
            return Errors.Result(StatusCodes.Status404NotFound, "NOT_FOUND", $"unknown snapshot '{Printable(snapshot)}'");
        string staged = SafePath.Under(options.DownloadFolder, $"{Prefix}{Guid.NewGuid():N}.{match.Groups["format"].Value}");
        try
        {
            files.Write(table, snapshot, format, staged);
            var stream = new FileStream(staged, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024,
                FileOptions.DeleteOnClose | FileOptions.SequentialScan);
            string download = snapshot is null ? name : $"{table.Name}.{SafeFilePart(snapshot)}.{match.Groups["format"].Value}";
            return Results.Stream(stream, format == LakeFormat.Parquet ? "application/vnd.apache.parquet" : "application/vnd.apache.arrow.file",
                download);
        }
        catch
        {
            File.Delete(staged);
            throw;
        }
    }

    private static string Printable(string text) =>
        new(text.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static string SafeFilePart(string text) =>
        new(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
