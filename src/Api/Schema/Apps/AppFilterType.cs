using GaugeNN.Api.Schema.Common;
using GaugeNN.Warehouse.Read;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Apps;

public sealed class AppFilterType : InputObjectGraphType<AppFilter>
{
    public AppFilterType()
    {
        Name = "AppFilter";
        Description = "Conditions on apps; missing ones do not filter.";
        Field(x => x.Category, nullable: true).Description("Store category as listed, e.g. PHOTOGRAPHY.");
        Field(x => x.Installs, type: typeof(LongRangeType)).Description("On the install bucket's lower bound (minInstalls).");
        Field(x => x.Dl, nullable: true).Description("Ships at least one model file, encrypted ones included (true), or none (false).");
    }
}
