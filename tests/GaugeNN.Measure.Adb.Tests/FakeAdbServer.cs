using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GaugeNN.Measure.Adb.Tests;

/// <summary>
/// A local socket server that speaks whatever each test scripts, byte for byte: truncated frames, garbage lengths,
/// silence. Each accepted connection runs the next script in turn (the last one repeats); it records every request.
/// </summary>
internal sealed class FakeAdbServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Func<Connection, Task>[] scripts;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int accepted;

    public FakeAdbServer(params Func<Connection, Task>[] scripts)
    {
        this.scripts = scripts;
        listener.Start();
        loop = AcceptAsync();
    }

    public List<string> Requests { get; } = [];

    public AdbClient Client(TimeSpan? reply = null) => new(new AdbClientOptions
    {
        Endpoint = AdbServerEndpoint.Parse($"tcp:127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"),
        Limits = AdbLimits.Default with { ReplyTimeout = reply ?? TimeSpan.FromSeconds(2), ShellSilenceTimeout = reply ?? TimeSpan.FromSeconds(2) },
        StartServer = false,
    });

    private async Task AcceptAsync()
    {
        var running = new List<Task>();
        try
        {
            while (true)
            {
                Socket socket = await listener.AcceptSocketAsync(stop.Token);
                Func<Connection, Task> script = scripts[Math.Min(accepted++, scripts.Length - 1)];
                running.Add(Task.Run(async () =>
                {
                    using (socket)
                    {
                        try { await script(new Connection(socket, this, stop.Token)); }
                        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException) { }
                    }
                }));
            }
        }
        catch (OperationCanceledException) { }
        await Task.WhenAll(running);
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        await loop;
    }

    internal sealed class Connection(Socket socket, FakeAdbServer server, CancellationToken ct)
    {
        public List<string> Requests => server.Requests;

        /// <summary>Reads one smart-socket request (4 hex digits of length, then the text) and records it.</summary>
        public async Task<string> RequestAsync()
        {
            byte[] length = await ReadAsync(4);
            byte[] text = await ReadAsync(Convert.ToInt32(Encoding.ASCII.GetString(length), 16));
            string request = Encoding.UTF8.GetString(text);
            lock (server.Requests) server.Requests.Add(request);
            return request;
        }

        public async Task<byte[]> ReadAsync(int count)
        {
            byte[] buffer = new byte[count];
            int got = 0;
            while (got < count)
            {
                int n = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, ct);
                if (n == 0) break;
                got += n;
            }
            return buffer;
        }

        public Task SendAsync(string ascii) => SendAsync(Encoding.ASCII.GetBytes(ascii));

        public async Task SendAsync(byte[] bytes) => await socket.SendAsync(bytes, SocketFlags.None, ct);

        /// <summary>OKAY and a length-prefixed string, as the server answers a host query.</summary>
        public Task AnswerAsync(string text) => SendAsync($"OKAY{Encoding.UTF8.GetByteCount(text):x4}{text}");

        public Task SilenceAsync() => Task.Delay(Timeout.Infinite, ct);
    }
}
