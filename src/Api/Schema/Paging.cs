using GraphQL;

namespace GaugeNN.Api.Schema;

/// <summary>The one page-size rule of every paged field: <c>first</c> between 1 and <see cref="MaxPage"/>.</summary>
internal static class Paging
{
    public const int MaxPage = 1000;

    public static int First(IResolveFieldContext context)
    {
        int first = context.GetArgument<int>("first");
        return first is >= 1 and <= MaxPage ? first : throw new ExecutionError($"first must be between 1 and {MaxPage}");
    }
}
