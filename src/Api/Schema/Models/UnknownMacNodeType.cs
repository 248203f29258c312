using GaugeNN.Events;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class UnknownMacNodeType : ObjectGraphType<UnknownMacNode>
{
    public UnknownMacNodeType()
    {
        Name = "UnknownMacNode";
        Field(x => x.Node);
        Field(x => x.Op);
        Field(x => x.Reason);
    }
}
