using GaugeNN.Warehouse;
using GaugeNN.Warehouse.EventStore;
using Marten;

namespace GaugeNN.Cli.Commands;

/// <summary>Opens what the commands share: the data folder and the event store.</summary>
public static class Services
{
    public static GaugeHome Home() => GaugeHome.FromEnvironment();

    public static DocumentStore EventStore(GaugeHome home)
    {
        string connection;
        try
        {
            connection = home.PostgresConnectionString();
        }
        catch (InvalidOperationException e)
        {
            throw new EnvironmentException(e.Message);
        }
        return GaugeStore.Create(connection);
    }
}
