using GaugeNN.Api.Schema.Common;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class ModelFilterType : InputObjectGraphType<ModelFilter>
{
    public ModelFilterType()
    {
        Name = "ModelFilter";
        Description = "Conditions on models; missing ones do not filter, ranges are inclusive.";
        Field(x => x.Format, nullable: true).Description("tflite, onnx, ncnn, caffe, mnn, … (any case).");
        Field(x => x.Task, nullable: true).Description("Inferred task, e.g. face-detection.");
        Field(x => x.Quantized, nullable: true);
        Field(x => x.Encrypted, nullable: true);
        Field(x => x.ArchFingerprint, nullable: true).Description("Models of one architecture (fine-tuned variants).");
        Field(x => x.Params, type: typeof(LongRangeType));
        Field(x => x.Macs, type: typeof(LongRangeType));
        Field(x => x.Bytes, type: typeof(LongRangeType));
        Field(x => x.AppCount, type: typeof(LongRangeType)).Description("Distinct apps shipping it, over all snapshots.");
        Field(x => x.Op, nullable: true).Description("Uses this operator, as the format names it (any case), e.g. CONV_2D or Conv.");
        Field(x => x.Snapshot, nullable: true).Description("Ships in this snapshot.");
    }
}
