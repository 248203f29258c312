namespace GaugeNN.Formats.Tflite;

internal enum FieldKind : byte
{
    Scalar,
    ScalarVector,
    String,
    StringVector,
    Table,
    TableVector,
    Union,
}

/// <summary>One vtable slot of a schema table: what it holds, its element width, and the table or union it names.</summary>
internal readonly record struct FieldLayout(FieldKind Kind, int Width, int Target, string Name);

/// <summary>
/// The TFLite schema (schemas/tflite/schema.fbs) as data: names and field layouts are generated into
/// TfliteSchema.Generated.cs; the slot numbers the dissector reads by name are kept here.
/// </summary>
internal static partial class TfliteSchema
{
    public const string FileIdentifier = "TFL3";

    /// <summary>Highest schema version the runtime understands (Model.version).</summary>
    public const uint MaxModelVersion = 3;

    public static class Model
    {
        public const int Version = 0, OperatorCodes = 1, Subgraphs = 2, Description = 3, Buffers = 4, Metadata = 6,
            SignatureDefs = 7;
    }

    public static class OperatorCode
    {
        public const int DeprecatedBuiltinCode = 0, CustomCode = 1, BuiltinCode = 3;
    }

    public static class SubGraph
    {
        public const int Tensors = 0, Inputs = 1, Outputs = 2, Operators = 3, Name = 4;
    }

    public static class Tensor
    {
        public const int Shape = 0, Type = 1, Buffer = 2, Name = 3, Quantization = 4, Sparsity = 6;
    }

    public static class Quantization
    {
        public const int Scale = 2, ZeroPoint = 3;
    }

    public static class Operator
    {
        public const int OpcodeIndex = 0, Inputs = 1, Outputs = 2, BuiltinOptionsType = 3, BuiltinOptions = 4,
            BuiltinOptions2Type = 11, BuiltinOptions2 = 12;
    }

    public static class Buffer
    {
        public const int Data = 0, Offset = 1, Size = 2;
    }

    public static class Metadata
    {
        public const int Name = 0, Buffer = 1;
    }

    public const int CustomOperator = 32;

    public static string OperatorName(int code) =>
        (uint)code < (uint)BuiltinOperatorNames.Length && BuiltinOperatorNames[code] is { } name ? name : $"BUILTIN_{code}";

    public static string TensorTypeName(int type) =>
        (uint)type < (uint)TensorTypeNames.Length && TensorTypeNames[type] is { } name ? name : $"TYPE_{type}";
}
