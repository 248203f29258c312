// Spec: TFLite Metadata, tensorflow/tflite-support tensorflow_lite_support/metadata/metadata_schema.fbs (schema 1.5.0,
// file identifier "M001"); associated files are packed as a zip appended to the model (metadata_populator.py).
using System.Globalization;
using GaugeNN.Formats.Archives;
using GaugeNN.Formats.FlatBuffers;

namespace GaugeNN.Formats.Tflite;

/// <summary>
/// Records a model's TFLITE_METADATA as metadata keys: name, description, version, author, licence, min parser
/// version; every associated file (model, subgraph and tensor level, tokenizer vocabularies) with its type, locale,
/// owner and, when packed in the zip appended to the model, its size; and each input tensor's normalization options.
/// A metadata buffer that does not parse sets <c>metadata.error</c>; the model's own facts stand.
/// </summary>
internal static class TfliteMetadata
{
    private const string Identifier = "M001";

    private static class ModelMetadata
    {
        public const int Name = 0, Description = 1, Version = 2, SubgraphMetadata = 3, Author = 4, License = 5,
            AssociatedFiles = 6, MinParserVersion = 7;
    }

    private static class SubGraphMetadata
    {
        public const int InputTensors = 2, OutputTensors = 3, AssociatedFiles = 4, InputProcessUnits = 5, OutputProcessUnits = 6;
    }

    private static class TensorMetadata
    {
        public const int Name = 0, ProcessUnits = 4, AssociatedFiles = 6;
    }

    private static class ProcessUnit
    {
        public const int OptionsType = 0, Options = 1;
        public const int Normalization = 1, BertTokenizer = 4, SentencePieceTokenizer = 5, RegexTokenizer = 6;
    }

    private static class AssociatedFile
    {
        public const int Name = 0, Type = 2, Locale = 3;
    }

    private static readonly string[] FileTypes =
        ["UNKNOWN", "DESCRIPTIONS", "TENSOR_AXIS_LABELS", "TENSOR_VALUE_LABELS", "TENSOR_AXIS_SCORE_CALIBRATION", "VOCABULARY"];

    private sealed record File(string Name, string Type, string Locale, string Owner);

    public static void Read(ReadOnlySpan<byte> data, ReadOnlyMemory<byte> model, SortedDictionary<string, string> meta)
    {
        if (FlatBuffer.Identifier(data) != Identifier) return;
        var files = new List<File>();
        try
        {
            var root = new FlatBuffer(data.ToArray(), "tflite-metadata").Root("ModelMetadata");
            foreach (var (slot, key) in new[]
                     {
                         (ModelMetadata.Name, "name"), (ModelMetadata.Description, "description"), (ModelMetadata.Version, "version"),
                         (ModelMetadata.Author, "author"), (ModelMetadata.License, "license"), (ModelMetadata.MinParserVersion, "min_parser_version"),
                     })
                if (root.String(slot, "ModelMetadata." + key) is { } value) meta["metadata." + key] = value;
            Files(root.Vector(ModelMetadata.AssociatedFiles, 4, "ModelMetadata.associated_files"), "model", files);
            var subgraphs = root.Vector(ModelMetadata.SubgraphMetadata, 4, "ModelMetadata.subgraph_metadata");
            for (int g = 0; g < subgraphs.Count; g++)
            {
                var subgraph = subgraphs.Table(g);
                string owner = $"subgraph {g}";
                Files(subgraph.Vector(SubGraphMetadata.AssociatedFiles, 4, "SubGraphMetadata.associated_files"), owner, files);
                ProcessUnits(subgraph.Vector(SubGraphMetadata.InputProcessUnits, 4, "SubGraphMetadata.input_process_units"), owner, null, files, meta);
                ProcessUnits(subgraph.Vector(SubGraphMetadata.OutputProcessUnits, 4, "SubGraphMetadata.output_process_units"), owner, null, files, meta);
                Tensors(subgraph.Vector(SubGraphMetadata.InputTensors, 4, "SubGraphMetadata.input_tensor_metadata"), "input", g, files, meta);
                Tensors(subgraph.Vector(SubGraphMetadata.OutputTensors, 4, "SubGraphMetadata.output_tensor_metadata"), "output", g, files, meta);
            }
        }
        catch (MalformedModelException)
        {
            meta["metadata.error"] = "TFLITE_METADATA does not parse";
            return;
        }
        if (files.Count == 0) return;
        var packed = PackedSizes(model, meta);
        meta["metadata.associated_files"] = string.Join(',', files.Select(f => f.Name));
        foreach (var file in files)
        {
            string key = $"metadata.associated_file.{file.Name}";
            meta[key + ".type"] = file.Type;
            meta[key + ".owner"] = file.Owner;
            if (file.Locale.Length > 0) meta[key + ".locale"] = file.Locale;
            if (packed.TryGetValue(file.Name, out long bytes)) meta[key + ".bytes"] = bytes.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static void Tensors(FlatVector tensors, string direction, int subgraph, List<File> files, SortedDictionary<string, string> meta)
    {
        for (int t = 0; t < tensors.Count; t++)
        {
            var tensor = tensors.Table(t);
            string name = tensor.String(TensorMetadata.Name, "TensorMetadata.name") is { Length: > 0 } n ? n : $"{direction} {t}";
            string owner = subgraph == 0 ? $"{direction}:{name}" : $"subgraph {subgraph} {direction}:{name}";
            Files(tensor.Vector(TensorMetadata.AssociatedFiles, 4, "TensorMetadata.associated_files"), owner, files);
            ProcessUnits(tensor.Vector(TensorMetadata.ProcessUnits, 4, "TensorMetadata.process_units"), owner, $"metadata.{owner}", files, meta);
        }
    }

    /// <summary>Normalization mean/std under <paramref name="prefix"/>; tokenizer vocabularies as associated files.</summary>
    private static void ProcessUnits(FlatVector units, string owner, string? prefix, List<File> files, SortedDictionary<string, string> meta)
    {
        for (int u = 0; u < units.Count; u++)
        {
            var unit = units.Table(u);
            int type = unit.Byte(ProcessUnit.OptionsType, "ProcessUnit.options_type");
            if (type == 0 || unit.Table(ProcessUnit.Options, "ProcessUnit.options") is not { } options) continue;
            switch (type)
            {
                case ProcessUnit.Normalization when prefix is not null:
                    meta[prefix + ".normalization.mean"] = Floats(options.Vector(0, 4, "NormalizationOptions.mean"));
                    meta[prefix + ".normalization.std"] = Floats(options.Vector(1, 4, "NormalizationOptions.std"));
                    break;
                case ProcessUnit.BertTokenizer:
                    Files(options.Vector(0, 4, "BertTokenizerOptions.vocab_file"), owner, files);
                    break;
                case ProcessUnit.SentencePieceTokenizer:
                    Files(options.Vector(0, 4, "SentencePieceTokenizerOptions.sentencePiece_model"), owner, files);
                    Files(options.Vector(1, 4, "SentencePieceTokenizerOptions.vocab_file"), owner, files);
                    break;
                case ProcessUnit.RegexTokenizer:
                    Files(options.Vector(1, 4, "RegexTokenizerOptions.vocab_file"), owner, files);
                    break;
            }
        }
    }

    private static string Floats(FlatVector vector) =>
        string.Join(',', Enumerable.Range(0, vector.Count).Select(i => vector.Float(i).ToString(CultureInfo.InvariantCulture)));

    private static void Files(FlatVector list, string owner, List<File> files)
    {
        for (int i = 0; i < list.Count; i++)
        {
            var file = list.Table(i);
            int type = file.SByte(AssociatedFile.Type, "AssociatedFile.type");
            files.Add(new File(file.String(AssociatedFile.Name, "AssociatedFile.name") ?? "",
                (uint)type < (uint)FileTypes.Length ? FileTypes[type] : $"TYPE_{type}",
                file.String(AssociatedFile.Locale, "AssociatedFile.locale") ?? "", owner));
        }
    }

    /// <summary>Uncompressed sizes of the files packed in the zip the metadata populator appends to the model.</summary>
    private static Dictionary<string, long> PackedSizes(ReadOnlyMemory<byte> model, SortedDictionary<string, string> meta)
    {
        try
        {
            var entries = ZipReader.Open(ByteSource.FromMemory(model), ZipLimits.ModelContainer).Entries;
            meta["metadata.packed_files"] = entries.Count.ToString(CultureInfo.InvariantCulture);
            return entries.GroupBy(e => e.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().UncompressedSize, StringComparer.Ordinal);
        }
        catch (ArchiveException e)
        {
            meta["metadata.packed_files"] = "0";
            meta["metadata.packed_files_error"] = e.Message;
            return [];
        }
    }
}
