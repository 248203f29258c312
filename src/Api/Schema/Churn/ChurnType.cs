using GaugeNN.Api.Schema.Connections;
using GaugeNN.Warehouse.Read;
using GraphQL;
using GraphQL.Types;

namespace GaugeNN.Api.Schema.Churn;

/// <summary>The pair of snapshots a churn query asked about, and the schemas its rows and apps are read from.</summary>
public sealed record ChurnPair(string From, string To, ChurnSummary Summary, string ChurnSchema, string AppSchema);

public sealed class ChurnType : ObjectGraphType<ChurnPair>
{
    public ChurnType()
    {
        Name = "Churn";
        Description = "What changed between two snapshots (any two: the same definitions as consecutive ones).";
        Field(x => x.From);
        Field(x => x.To);
        Field<NonNullGraphType<ChurnSummaryType>>("summary").Resolve(c => c.Source.Summary);
        Field<NonNullGraphType<ConnectionType<AppChurnType, AppChurn>>>("apps")
            .Description("Apps in package order, each with its model changes.")
            .Argument<ChurnStatusType>("status", a => a.Description = "Only the apps of this status.")
            .PageArguments(100)
            .Resolve(c =>
            {
                var (first, after) = Paging.Args(c);
                string? status = c.GetArgument<ChurnStatus?>("status")?.ToString().ToLowerInvariant();
                var (from, to) = (c.Source.From, c.Source.To);
                var reader = c.Reader<ChurnReader>().At(c.Source.ChurnSchema, c.Source.AppSchema);
                return new Connection<AppChurn>(reader.Apps(from, to, status, first, after), _ => reader.Count(from, to, status));
            });
    }
}
