// Spec: TensorFlow Lite FlatBuffer schema, schemas/tflite/schema.fbs (tensorflow/compiler/mlir/lite/schema).
using System.Buffers.Binary;
using GaugeNN.Formats.FlatBuffers;

namespace GaugeNN.Formats.Tflite;

/// <summary>
/// Visits every object a TFLite Model can reach (every table, vector, string and union member the schema defines,
/// plus buffers stored past the FlatBuffer by offset) so that a model is proven whole and its true length is
/// known: <see cref="FlatBuffer.End"/> after the walk.
/// </summary>
internal static class TfliteWalker
{
    private const int MaxDepth = 16;

    /// <summary>Walks the model at the start of <paramref name="bytes"/>; returns the buffer walked (End = length).</summary>
    public static FlatBuffer Walk(ReadOnlyMemory<byte> bytes)
    {
        var buffer = new FlatBuffer(bytes, "tflite");
        if (FlatBuffer.Identifier(bytes.Span) != TfliteSchema.FileIdentifier)
            throw buffer.Fail(4, "file_identifier", "the TFL3 identifier is missing");
        var model = buffer.Root("Model");
        uint version = model.UInt32(TfliteSchema.Model.Version, "Model.version");
        if (version > TfliteSchema.MaxModelVersion)
            throw buffer.Fail(model.Position, "Model.version", $"schema version {version} is unknown");
        if (model.Vector(TfliteSchema.Model.Subgraphs, 4, "Model.subgraphs").Count == 0)
            throw buffer.Fail(model.Position, "Model.subgraphs", "a model needs at least one subgraph");
        WalkTable(buffer, model, TfliteSchema.ModelTable, 0);
        return buffer;
    }

    private static void WalkTable(FlatBuffer buffer, FlatTable table, int tableId, int depth)
    {
        if (depth > MaxDepth) throw buffer.Fail(table.Position, TfliteSchema.TableNames[tableId], "nesting is too deep");
        var fields = TfliteSchema.Tables[tableId];
        for (int slot = 0; slot < fields.Length; slot++)
        {
            var layout = fields[slot];
            string name = layout.Name;
            switch (layout.Kind)
            {
                case FieldKind.Scalar:
                    table.Scalar(slot, layout.Width, name);
                    break;
                case FieldKind.ScalarVector:
                    table.Vector(slot, layout.Width, name);
                    break;
                case FieldKind.String:
                    table.String(slot, name);
                    break;
                case FieldKind.StringVector:
                    var strings = table.Vector(slot, 4, name);
                    for (int i = 0; i < strings.Count; i++) strings.String(i);
                    break;
                case FieldKind.Table:
                    if (table.Table(slot, name) is { } child) WalkTable(buffer, child, layout.Target, depth + 1);
                    break;
                case FieldKind.TableVector:
                    var children = table.Vector(slot, 4, name);
                    for (int i = 0; i < children.Count; i++) WalkTable(buffer, children.Table(i), layout.Target, depth + 1);
                    break;
                case FieldKind.Union:
                    int type = table.Byte(slot - 1, name + "_type");
                    var members = TfliteSchema.UnionMembers[layout.Target];
                    if (type == 0)
                        break;
                    if (type > members.Length)
                        throw buffer.Fail(table.Position, name, $"union type {type} is not in the schema");
                    if (table.Table(slot, name) is { } member) WalkTable(buffer, member, members[type - 1], depth + 1);
                    break;
            }
        }
        if (tableId == TfliteSchema.BufferTable) TouchExternalData(buffer, table);
    }

    /// <summary>Models over 2 GB keep buffer data after the FlatBuffer, addressed by offset and size from byte 0.</summary>
    private static void TouchExternalData(FlatBuffer buffer, FlatTable table)
    {
        ulong offset = table.UInt64(TfliteSchema.Buffer.Offset, "Buffer.offset");
        ulong size = table.UInt64(TfliteSchema.Buffer.Size, "Buffer.size");
        // An offset of 0 or 1 is the converter's placeholder for "no external data".
        if (offset <= 1) return;
        if (offset > (ulong)buffer.Length || size > (ulong)buffer.Length - offset)
            throw buffer.Fail(table.Position, "Buffer.offset", $"external data {offset}+{size} lies outside the file");
        buffer.Touch((long)offset, (long)size, "Buffer.offset");
    }

    /// <summary>True when the identifier is present; cheap pre-check before a walk.</summary>
    public static bool HasIdentifier(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8 && bytes.Slice(4, 4).SequenceEqual("TFL3"u8) && BinaryPrimitives.ReadUInt32LittleEndian(bytes) >= 8;
}
