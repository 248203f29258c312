using GaugeNN.Api.Limits;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Apps;

public sealed class FrameworkUseType : ObjectGraphType<FrameworkUse>
{
    public FrameworkUseType()
    {
        Name = "FrameworkUse";
        Field(x => x.Name);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("evidence")
            .Description("Kinds of evidence: model, native-lib, dex.").Sized(3).Resolve(c => c.Source.Evidence);
    }
}
