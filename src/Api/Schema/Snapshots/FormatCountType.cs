using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Snapshots;

public sealed class FormatCountType : ObjectGraphType<FormatCount>
{
    public FormatCountType()
    {
        Name = "FormatCount";
        Field(x => x.Name).Description("Model format in lower case: tflite, onnx, ncnn, caffe, mnn, …");
        Field(x => x.ModelFiles).Description("Model files of that format (encrypted ones not included).");
    }
}
