using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace GaugeNN.Api.Http;

/// <summary>
/// When the API has a key, a data request must carry it (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>).
/// Digests of both are compared in constant time, so neither the key's content nor its length leaks through timing.
/// </summary>
public sealed class ApiKeyCheck(string? key) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    private readonly byte[]? _digest = key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_digest is null || Carries(context.HttpContext.Request)) return await next(context);
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Errors.Result(StatusCodes.Status401Unauthorized, "UNAUTHENTICATED",
            $"this server asks for its API key: send it as 'Authorization: Bearer KEY' or '{Header}: KEY'");
    }

    private bool Carries(HttpRequest request)
    {
        string given = request.Headers[Header].ToString();
        if (given.Length == 0 && request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            given = authorization["Bearer ".Length..].Trim();
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), _digest);
    }
}
