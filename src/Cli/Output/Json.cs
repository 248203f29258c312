using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GaugeNN.Cli.Output;

/// <summary>
/// <c>--json</c>: one document on stdout, the verb's report record with camelCase names (enums as camelCase strings,
/// dates ISO 8601). Field names follow the records in the application layer; README lists them.
/// </summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // for terminals and jq, not for HTML: ' and + stay themselves
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write<T>(TextWriter to, T report) => to.WriteLine(JsonSerializer.Serialize(report, Options));
}
