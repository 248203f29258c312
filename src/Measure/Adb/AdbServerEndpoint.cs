using System.Net;
using System.Net.Sockets;

namespace GaugeNN.Measure.Adb;

/// <summary>
/// Where the adb server listens, as adb itself decides it: <c>ADB_SERVER_SOCKET</c> (<c>tcp:PORT</c>,
/// <c>tcp:HOST:PORT</c>, <c>localfilesystem:PATH</c>, <c>localabstract:NAME</c>), else <c>ANDROID_ADB_SERVER_ADDRESS</c>
/// and <c>ANDROID_ADB_SERVER_PORT</c>, else 127.0.0.1:5037. <see cref="Spec"/> is the same place in adb's socket-spec
/// syntax; <see cref="StartSpec"/> is what <c>adb start-server</c> is given to listen there (adb listens on a port, not on
/// a host name), or null for a server on another machine, which this client cannot start.
/// </summary>
public sealed record AdbServerEndpoint(EndPoint Address, string Spec, string? StartSpec)
{
    public const int DefaultPort = 5037;

    public static AdbServerEndpoint Default { get; } = Tcp("127.0.0.1", DefaultPort);

    public static AdbServerEndpoint FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    public static AdbServerEndpoint FromEnvironment(Func<string, string?> env)
    {
        string? socket = env("ADB_SERVER_SOCKET");
        if (!string.IsNullOrEmpty(socket)) return Parse(socket, "ADB_SERVER_SOCKET");
        string? host = env("ANDROID_ADB_SERVER_ADDRESS");
        string? port = env("ANDROID_ADB_SERVER_PORT");
        int portNumber = DefaultPort;
        if (!string.IsNullOrEmpty(port) && !TryPort(port, out portNumber))
            throw new ArgumentException($"ANDROID_ADB_SERVER_PORT must be a port number 1-65535, not '{port}'");
        return Tcp(string.IsNullOrEmpty(host) ? "127.0.0.1" : host, portNumber);
    }

    /// <summary>Parses adb's socket-spec syntax; <paramref name="source"/> names where it came from, for the message.</summary>
    public static AdbServerEndpoint Parse(string spec, string source = "socket spec")
    {
        if (spec.StartsWith("localfilesystem:", StringComparison.Ordinal) && spec.Length > 16)
            return new(new UnixDomainSocketEndPoint(spec[16..]), spec, spec);
        if (spec.StartsWith("localabstract:", StringComparison.Ordinal) && spec.Length > 14)
            return new(new UnixDomainSocketEndPoint("\0" + spec[14..]), spec, spec);
        if (spec.StartsWith("tcp:", StringComparison.Ordinal))
        {
            string rest = spec[4..];
            int colon = rest.LastIndexOf(':');
            string host = colon < 0 ? "127.0.0.1" : rest[..colon].Trim('[', ']');
            if (host.Length > 0 && TryPort(colon < 0 ? rest : rest[(colon + 1)..], out int port)) return Tcp(host, port);
        }
        throw new ArgumentException(
            $"{source} '{spec}' is not tcp:PORT, tcp:HOST:PORT, localfilesystem:PATH or localabstract:NAME");
    }

    private static AdbServerEndpoint Tcp(string host, int port)
    {
        EndPoint address = IPAddress.TryParse(host, out IPAddress? ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
        bool local = ip is not null ? IPAddress.IsLoopback(ip) : host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
        return new(address, $"tcp:{(ip?.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host)}:{port}",
            local ? $"tcp:{port}" : null);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port)
        && port is > 0 and <= 65535;

    public override string ToString() => Spec;
}
