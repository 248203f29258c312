using System.Net.Http.Json;
using System.Text.Json;
using GaugeNN.Warehouse.Projections;

namespace GaugeNN.Application.Hosting;

/// <summary>The host answered an admin request with an error; its message is the host's.</summary>
public sealed class HostRequestException(string message) : Exception(message);

/// <summary>Asks a running host (found through the data folder's owner record) to catch up or to export.</summary>
public static class HostClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static Task<CatchUpReport> CatchUpAsync(WarehouseOwner host, bool rebuild, CancellationToken ct) =>
        PostAsync<CatchUpReport>(host, $"/admin/catch-up?rebuild={(rebuild ? "true" : "false")}", null, ct);

    public static Task<HostExport> ExportAsync(WarehouseOwner host, ExportRequest request, CancellationToken ct) =>
        PostAsync<HostExport>(host, "/admin/export", request, ct);

    private static async Task<T> PostAsync<T>(WarehouseOwner host, string path, object? body, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.HostUrl!), Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(AdminEndpoints.TokenHeader, host.AdminToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new HostRequestException($"the warehouse host {host} at {host.HostUrl} did not answer: {e.Message}");
        }
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                string message = TryError(text) ?? $"HTTP {(int)response.StatusCode}";
                throw new HostRequestException($"the warehouse host {host} refused: {message}");
            }
            return JsonSerializer.Deserialize<T>(text, JsonSerializerOptions.Web)!;
        }
    }

    private static string? TryError(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
