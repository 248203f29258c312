using GaugeNN.Api.Limits;
using GaugeNN.Events;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class TensorType : ObjectGraphType<TensorSpec>
{
    public TensorType()
    {
        Name = "Tensor";
        Field(x => x.Name);
        Field<NonNullGraphType<ListGraphType<LongGraphType>>>("shape").Description("Declared shape; null = unknown dimension.")
            .Sized(4).Resolve(c => c.Source.Shape);
        Field<NonNullGraphType<ListGraphType<StringGraphType>>>("dimNames")
            .Description("Per dimension, the symbol the file names it by (e.g. batch, sequence), or null.")
            .Sized(4).Resolve(c => c.Source.DimNames);
        Field(x => x.Dtype);
    }
}
