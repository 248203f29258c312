using System.Reflection;
using System.Security.Cryptography;
using GaugeNN.Warehouse.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace GaugeNN.Api.Http;

/// <summary>
/// The front-end, served from resources embedded at build time (no CDN, works offline): <c>GET /</c> is
/// <c>dist/index.html</c> (the dashboard), <c>GET /graphiql</c> is <c>dist/graphiql.html</c>, <c>GET /assets/*</c> is
/// <c>dist/assets/*</c> (src/Api/Web/dist, embedded under the logical names <c>dist/…</c>). Without a built front-end
/// the small explorer page answers at <c>/</c> and <c>/graphiql</c>. Hashed assets are cached for good, pages revalidated.
/// </summary>
public static class StaticSite
{
    private static readonly Assembly Assets = typeof(StaticSite).Assembly;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static bool Built => Exists("dist/index.html");

    public static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext http) => Page(http, "dist/index.html"));
        app.MapGet("/graphiql", (HttpContext http) => Page(http, "dist/graphiql.html"));
        app.MapGet("/assets/{**path}", (HttpContext http, string path) =>
            path.Split('/').All(SafePath.IsPlainName) && Exists($"dist/assets/{path}")
                ? Serve(http, $"dist/assets/{path}", immutable: true)
                : Errors.Result(StatusCodes.Status404NotFound, "NOT_FOUND", $"no asset is named '{path}'"));
    }

    private static IResult Page(HttpContext http, string resource) =>
        Exists(resource) ? Serve(http, resource, immutable: false) : Results.Content(ExplorerPage.Html, "text/html; charset=utf-8");

    private static bool Exists(string resource) => Assets.GetManifestResourceInfo(resource) is not null;

    private static IResult Serve(HttpContext http, string resource, bool immutable)
    {
        using var stream = Assets.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        byte[] bytes = copy.ToArray();
        string etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
        if (http.Request.Headers.IfNoneMatch.ToString() == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        string type = ContentTypes.TryGetContentType(resource, out var known) ? known : "application/octet-stream";
        if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "application/json") type += "; charset=utf-8";
        return Results.Bytes(bytes, type);
    }
}
