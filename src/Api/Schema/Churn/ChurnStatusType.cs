using GraphQL.Types;

namespace GaugeNN.Api.Schema.Churn;

public enum ChurnStatus
{
    New,
    Delisted,
    Continuing,
}

public sealed class ChurnStatusType : EnumerationGraphType<ChurnStatus>
{
    public ChurnStatusType()
    {
        Name = "ChurnStatus";
        Description = "An app between two snapshots: new (only in the second), delisted (only in the first), or continuing.";
    }
}
