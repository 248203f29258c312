using GraphQL.Types;

namespace GaugeNN.Api.Schema.Connections;

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Description = "Relay page info. Paging is forward: pass endCursor as after to get the next page.";
        Field(x => x.HasNextPage);
        Field(x => x.HasPreviousPage).Description("True when the page was asked for after a cursor.");
        Field(x => x.StartCursor, nullable: true);
        Field(x => x.EndCursor, nullable: true);
    }
}
