using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace GaugeNN.Api.Http;

/// <summary>Refusals made before GraphQL runs (HTTP, limits, downloads), in the GraphQL error format all the same.</summary>
public static class Errors
{
    public static IResult Result(int status, string code, string message) =>
        Results.Json(Body(code, message), statusCode: status);

    public static object Body(string code, string message) =>
        new { errors = new[] { new { message, extensions = new { code } } } };

    public static Task WriteAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(JsonSerializer.Serialize(Body(code, message)), http.RequestAborted);
    }
}
