namespace GaugeNN.Formats.Caffe;

/// <summary>Field numbers from BVLC caffe.proto (NetParameter, LayerParameter, V1LayerParameter).</summary>
internal static class CaffeFields
{
    public static class Net
    {
        public const int Name = 1, LegacyLayers = 2, Input = 3, InputDim = 4, ForceBackward = 5, State = 6,
            DebugInfo = 7, InputShape = 8, Layer = 100;

        public static bool IsKnown(int field) => field is >= Name and <= InputShape or Layer;
    }

    public static class Layer
    {
        public const int Name = 1, Type = 2, Bottom = 3, Top = 4, Blobs = 7;
    }

    public static class LegacyLayer
    {
        public const int Bottom = 2, Top = 3, Name = 4, Type = 5, Blobs = 6;
    }

    public static class Blob
    {
        public const int Num = 1, Channels = 2, Height = 3, Width = 4, Data = 5, Shape = 7, DoubleData = 8;
    }

    public static class BlobShape
    {
        public const int Dim = 1;
    }
}
