using GaugeNN.Api.Limits;
using GaugeNN.Api.Loading;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class ModelFileType : ObjectGraphType<ModelFileNode>
{
    public ModelFileType()
    {
        Name = "ModelFile";
        Description = "A model file inside an app, located with the corpus path syntax (`split.apk!/assets/x.tflite`, `blob@OFFSET`).";
        Field<NonNullGraphType<StringGraphType>>("snapshot").Resolve(c => c.Source.File.Snapshot);
        Field<NonNullGraphType<StringGraphType>>("package").Resolve(c => c.Source.File.Package);
        Field<NonNullGraphType<StringGraphType>>("path").Resolve(c => c.Source.File.Path);
        Field<NonNullGraphType<StringGraphType>>("sha256").Resolve(c => c.Source.File.Sha256);
        Field<NonNullGraphType<StringGraphType>>("format").Resolve(c => c.Source.File.Format);
        Field<NonNullGraphType<LongGraphType>>("bytes").Resolve(c => c.Source.File.Bytes);
        Field<NonNullGraphType<BooleanGraphType>>("encrypted").Description("Named like a model, matches no format, high entropy.").Resolve(c => c.Source.File.Encrypted);
        Field<NonNullGraphType<FloatGraphType>>("entropy").Description("Shannon entropy, bits per byte.").Resolve(c => c.Source.File.Entropy);
        Field<NonNullGraphType<StringGraphType>>("storage").Description("How it is stored: file, embedded or nested.").Resolve(c => c.Source.File.Storage);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("evidence")
            .Description("What identified it: extension, magic, structure, weights:<path>.").Sized(3).Resolve(c => c.Source.File.Evidence);
        Field<NonNullGraphType<ModelType>>("model")
            .Description("The unique model these bytes are.")
            .Resolve(c =>
            {
                var file = c.Source.File;
                return ModelLoaders.BySha256(c, file.Sha256, c.Source.Schema)
                    .Then(m => m ?? throw new InvalidOperationException($"model {file.Sha256} of {file.Package} is missing from dim_model"));
            });
    }
}
