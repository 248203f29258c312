using System.Collections.Concurrent;
using GraphQLParser.AST;

namespace GaugeNN.Api.Http;

/// <summary>
/// Documents that parsed and passed validation once, by their text: a dashboard asks the same queries again and again,
/// and for those the parse and the schema-only validation rules (which cannot change while the schema does not) are
/// skipped. The budget still prices every request (its price depends on arguments and on the warehouse). Bounded: small
/// texts only, and emptied when full.
/// </summary>
public sealed class DocumentCache
{
    public const int MaxEntries = 512;
    public const int MaxQueryChars = 8 * 1024;
    private readonly ConcurrentDictionary<string, GraphQLDocument> _validated = new(StringComparer.Ordinal);

    public GraphQLDocument? Find(string query) => _validated.GetValueOrDefault(query);

    public void Remember(string query, GraphQLDocument document)
    {
        if (query.Length > MaxQueryChars) return;
        if (_validated.Count >= MaxEntries) _validated.Clear();
        _validated[query] = document;
    }
}
