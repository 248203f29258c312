using GraphQL.Types;

namespace GaugeNN.Api.Schema.Common;

public sealed class ConditionType : ObjectGraphType<KeyValuePair<string, string>>
{
    public ConditionType()
    {
        Name = "Condition";
        Description = "A key and its value: a measurement's conditions (governor, screen, battery, pinning, cool-down, tool figures) or a model's metadata.";
        Field<NonNullGraphType<StringGraphType>>("key").Resolve(c => c.Source.Key);
        Field<NonNullGraphType<StringGraphType>>("value").Resolve(c => c.Source.Value);
    }
}
