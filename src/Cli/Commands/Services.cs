using GaugeNN.Application;

namespace GaugeNN.Cli.Commands;

/// <summary>Opens what the commands share: the data folder and its event store.</summary>
public static class Services
{
    public static DataFolder Home() => DataFolder.FromEnvironment();

    public static Gauge Open(DataFolder folder)
    {
        try
        {
            return Gauge.Open(folder);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("PostgreSQL"))
        {
            throw new EnvironmentException(e.Message);
        }
    }
}
