// Spec: MNN model schema, alibaba/MNN schema/default/MNN.fbs (table Net, table Op); no file identifier.
using System.Globalization;
using GaugeNN.Events;
using GaugeNN.Formats.Dissection;
using GaugeNN.Formats.FlatBuffers;

namespace GaugeNN.Formats.Mnn;

/// <summary>
/// Reads the parts of an MNN Net that need no op-parameter schema: the op list (each op's name, type and tensor
/// indexes), the tensor names and the dims of Input ops. Other op parameters are checked to be tables but not walked,
/// so params and MACs are not reported for MNN.
/// </summary>
internal static class MnnNet
{
    private static class Net
    {
        public const int OpLists = 3, OutputName = 4, TensorName = 7;
    }

    private static class Op
    {
        public const int InputIndexes = 0, MainType = 1, Main = 2, Name = 3, OutputIndexes = 4, Type = 5;
    }

    /// <summary>OpParameter union value of the Input table, whose slot 0 is dims:[int].</summary>
    private const int InputParameter = 21;

    public static ModelFacts Dissect(ReadOnlyMemory<byte> bytes)
    {
        var facts = new ModelFacts("mnn");
        var buffer = new FlatBuffer(bytes, "mnn");
        var net = buffer.Root("Net");
        var tensorNames = net.Vector(Net.TensorName, 4, "Net.tensorName");
        var names = new string[tensorNames.Count];
        for (int i = 0; i < names.Length; i++) names[i] = tensorNames.String(i);
        var ops = net.Vector(Net.OpLists, 4, "Net.oplists");
        if (ops.Count == 0) throw buffer.Fail(net.Position, "Net.oplists", "an MNN net needs at least one op");
        for (int i = 0; i < ops.Count; i++)
        {
            var op = ops.Table(i);
            string type = MnnOpTypes.Name(op.Int32(Op.Type, "Op.type"));
            facts.Layers++;
            facts.Ops.Add(type);
            facts.Structure.Add(type);
            var inputs = op.Vector(Op.InputIndexes, 4, "Op.inputIndexes");
            var outputs = op.Vector(Op.OutputIndexes, 4, "Op.outputIndexes");
            facts.Structure.Add(inputs.Bytes);
            facts.Structure.Add(outputs.Bytes);
            if (op.String(Op.Name, "Op.name") is { } name) facts.Names.Add(name);
            int parameter = op.Byte(Op.MainType, "Op.main_type");
            var main = parameter == 0 ? null : op.Table(Op.Main, "Op.main");
            if (type != "Input" || outputs.Count == 0) continue;
            int tensor = outputs.Int32(0);
            var dims = new List<long?>();
            if (parameter == InputParameter && main is { } input)
            {
                var declared = input.Vector(0, 4, "Input.dims");
                for (int d = 0; d < declared.Count; d++) dims.Add(declared.Int32(d) is > 0 and var v ? v : null);
            }
            facts.Inputs.Add(TensorSpec.Of((uint)tensor < (uint)names.Length ? names[tensor] : $"tensor{tensor}", dims, "FLOAT32"));
        }
        var outputNames = net.Vector(Net.OutputName, 4, "Net.outputName");
        for (int i = 0; i < outputNames.Count; i++) facts.Outputs.Add(TensorSpec.Of(outputNames.String(i), [], "FLOAT32"));
        facts.Metadata["bytes"] = bytes.Length.ToString(CultureInfo.InvariantCulture);
        facts.Metadata["tensors"] = names.Length.ToString(CultureInfo.InvariantCulture);
        return facts;
    }

    public static bool Looks(ReadOnlySpan<byte> bytes, string entryName)
    {
        if (!entryName.EndsWith(".mnn", StringComparison.OrdinalIgnoreCase) || bytes.Length < 8) return false;
        try
        {
            return PinnedSpanMemory.Read(bytes, memory => Dissect(memory).Layers > 0);
        }
        catch (MalformedModelException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
