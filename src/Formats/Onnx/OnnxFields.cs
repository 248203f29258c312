namespace GaugeNN.Formats.Onnx;

/// <summary>Field numbers from schemas/onnx/onnx.proto.</summary>
internal static class OnnxFields
{
    public static class Model
    {
        public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, Domain = 4, ModelVersion = 5,
            DocString = 6, Graph = 7, OpsetImport = 8, MetadataProps = 14, TrainingInfo = 20, Functions = 25;
    }

    public static class OperatorSet
    {
        public const int Domain = 1, Version = 2;
    }

    public static class Graph
    {
        public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12, ValueInfo = 13,
            SparseInitializer = 15;
    }

    public static class Node
    {
        public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5, Domain = 7;
    }

    public static class Attribute
    {
        public const int Name = 1, F = 2, I = 3, S = 4, T = 5, G = 6, Floats = 7, Ints = 8, Strings = 9, Graphs = 11,
            SparseTensor = 22;
    }

    public static class Tensor
    {
        public const int Dims = 1, DataType = 2, FloatData = 4, Int32Data = 5, Int64Data = 7, Name = 8, RawData = 9,
            ExternalData = 13, DataLocation = 14;

        /// <summary>TensorProto.DataLocation EXTERNAL.</summary>
        public const ulong External = 1;
    }

    public static class Entry
    {
        public const int Key = 1, Value = 2;
    }

    public static class Function
    {
        public const int Name = 1, Node = 7, Domain = 10;
    }

    public static class SparseTensor
    {
        public const int Values = 1, Dims = 3;
    }

    public static class ValueInfo
    {
        public const int Name = 1, Type = 2;
    }

    public static class TypeProto
    {
        public const int TensorType = 1;
    }

    public static class TensorTypeProto
    {
        public const int ElemType = 1, Shape = 2;
    }

    public static class TensorShape
    {
        public const int Dim = 1;
    }

    public static class Dimension
    {
        public const int DimValue = 1, DimParam = 2;
    }
}
