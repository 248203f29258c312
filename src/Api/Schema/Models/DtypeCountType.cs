using GaugeNN.Events;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Models;

public sealed class DtypeCountType : ObjectGraphType<NameCount>
{
    public DtypeCountType()
    {
        Name = "DtypeCount";
        Field<NonNullGraphType<StringGraphType>>("dtype").Resolve(c => c.Source.Name);
        Field(x => x.Count).Description("Elements of constant tensors of that dtype.");
    }
}
