using GaugeNN.Events;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class OpCountType : ObjectGraphType<NameCount>
{
    public OpCountType()
    {
        Name = "OpCount";
        Field(x => x.Name).Description("The operator as the format names it (CONV_2D, Conv, Convolution, …).");
        Field(x => x.Count);
    }
}
