using System.Text.Json;
using System.Text.Json.Serialization;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>
/// Writes U+0000 as U+FFFD in every string of a stored event or document. PostgreSQL's jsonb refuses U+0000, and an
/// APK's string pools, DEX strings and model metadata can hold it: without this, one such app would fail the append
/// of its whole batch. The replacement character is what decoders put for what text cannot carry.
/// </summary>
internal sealed class NulFreeStrings : JsonConverter<string>
{
    public const char Replacement = '\uFFFD';

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(Clean(value));

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString()!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(Clean(value));

    private static string Clean(string value) => value.Contains('\0') ? value.Replace('\0', Replacement) : value;
}
