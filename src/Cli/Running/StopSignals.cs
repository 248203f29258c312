using System.Runtime.InteropServices;

namespace GaugeNN.Cli.Running;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM ask the running verb to stop: the token is cancelled and the verb ends with what it
/// committed (a server stops serving and exits 0). A second signal is left to its default action, which ends the
/// process at once.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public StopSignals()
    {
        _registrations = [Register(PosixSignal.SIGINT), Register(PosixSignal.SIGTERM)];
    }

    public CancellationToken Token => _stop.Token;

    private PosixSignalRegistration Register(PosixSignal signal) => PosixSignalRegistration.Create(signal, context =>
    {
        if (Interlocked.Exchange(ref _received, 1) == 1) return;
        context.Cancel = true;
        _stop.Cancel();
    });

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}
