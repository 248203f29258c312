using System.Data.Common;
using GaugeNN.Events;
using Marten;

namespace GaugeNN.Warehouse.EventStore;

/// <summary>
/// Turns stored event rows into current event records as Marten does: the stored alias picks the type, Marten's own
/// serializer reads the JSON, and a superseded alias goes through the upcaster Marten is configured with
/// (<see cref="GaugeStore.Upcasters"/>). The feed reads rows this way because Marten's event query spent about
/// three times as long per event as the database and the JSON together (docs/benchmarks.md, "Warehouse").
/// </summary>
public sealed class StoredEvents(ISerializer serializer)
{
    /// <summary>The alias of the events Marten writes into the sequence numbers of a rolled-back append.</summary>
    public const string TombstoneAlias = "tombstone";

    private static readonly Dictionary<string, (Type Stored, Func<object, IGaugeEvent> ToCurrent)> ByAlias = Build();

    /// <summary>The event stored under <paramref name="alias"/> in the JSON column, upcast; null for a tombstone.</summary>
    public IGaugeEvent? Read(string alias, DbDataReader row, int column)
    {
        if (alias == TombstoneAlias) return null;
        if (!ByAlias.TryGetValue(alias, out var type))
            throw new InvalidOperationException($"the event store holds an event of alias '{alias}', which EventCatalogue does not know: " +
                                                "it was written by a newer gaugenn, or its type was removed without an upcaster");
        return type.ToCurrent(serializer.FromJson(type.Stored, row, column));
    }

    private static Dictionary<string, (Type, Func<object, IGaugeEvent>)> Build()
    {
        var byAlias = EventCatalogue.All.ToDictionary(e => e.Alias, e => (e.Type, (Func<object, IGaugeEvent>)(data => (IGaugeEvent)data)));
        foreach (var (type, alias, _) in EventCatalogue.Superseded)
        {
            var upcaster = GaugeStore.Upcasters.SingleOrDefault(u => u.Alias == alias)
                           ?? throw new InvalidOperationException($"superseded alias {alias} ({type.Name}) has no upcaster in GaugeStore.Upcasters");
            byAlias.Add(alias, (type, upcaster.Upcast));
        }
        return byAlias;
    }
}
