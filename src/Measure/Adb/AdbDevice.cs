// Device lists of host:devices, host:devices-l and host:track-devices[-l], per AOSP packages/modules/adb SERVICES.TXT and
// the server's format (adb.cpp, transport.cpp): one line per device, "SERIAL<TAB>STATE" in the short form,
// "SERIAL<spaces>STATE [usb-path] [product:P model:M device:D] [transport_id:N]" in the long form.
using System.Globalization;

namespace GaugeNN.Measure.Adb;

/// <summary>A device's connection state as the adb server names it.</summary>
public enum AdbDeviceState
{
    Unknown, Device, Offline, Unauthorized, Authorizing, Connecting, Bootloader, Recovery, Sideload, Rescue, Host,
    NoPermissions, Detached,
}

/// <summary>
/// One device attached to the adb server. <see cref="StateText"/> is the state as the server wrote it (e.g. the whole
/// "no permissions (…)" explanation); the long-form fields are null when the server did not give them (short form,
/// or a device connected over TCP that reports no product).
/// </summary>
public sealed record AdbDevice(
    string Serial, AdbDeviceState State, string StateText, string? UsbPath, string? Product, string? Model, string? DeviceName,
    long? TransportId);

/// <summary>How the device list changed: a device arrived, left, or changed state (<see cref="Previous"/> is the old one).</summary>
public enum AdbDeviceChangeKind { Arrived, Left, StateChanged }

public sealed record AdbDeviceChange(AdbDeviceChangeKind Kind, AdbDevice Device, AdbDeviceState? Previous);

public static class AdbDeviceList
{
    private static readonly Dictionary<string, AdbDeviceState> States = new(StringComparer.Ordinal)
    {
        ["device"] = AdbDeviceState.Device, ["offline"] = AdbDeviceState.Offline,
        ["unauthorized"] = AdbDeviceState.Unauthorized, ["authorizing"] = AdbDeviceState.Authorizing,
        ["connecting"] = AdbDeviceState.Connecting, ["bootloader"] = AdbDeviceState.Bootloader,
        ["recovery"] = AdbDeviceState.Recovery, ["sideload"] = AdbDeviceState.Sideload, ["rescue"] = AdbDeviceState.Rescue,
        ["host"] = AdbDeviceState.Host, ["unknown"] = AdbDeviceState.Unknown, ["detached"] = AdbDeviceState.Detached,
    };

    /// <summary>Parses a device list; a line that is not one refuses the list with its line number.</summary>
    public static IReadOnlyList<AdbDevice> Parse(string text, string request = "host:devices-l")
    {
        var devices = new List<AdbDevice>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            devices.Add(ParseLine(line, i + 1, request));
        }
        return devices;
    }

    /// <summary>The changes that turn <paramref name="before"/> into <paramref name="after"/>, keyed by serial.</summary>
    public static IReadOnlyList<AdbDeviceChange> Diff(IReadOnlyList<AdbDevice> before, IReadOnlyList<AdbDevice> after)
    {
        var old = before.ToDictionary(d => d.Serial, StringComparer.Ordinal);
        var changes = new List<AdbDeviceChange>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (AdbDevice device in after)
        {
            seen.Add(device.Serial);
            if (!old.TryGetValue(device.Serial, out AdbDevice? was)) changes.Add(new(AdbDeviceChangeKind.Arrived, device, null));
            else if (was.StateText != device.StateText) changes.Add(new(AdbDeviceChangeKind.StateChanged, device, was.State));
        }
        foreach (AdbDevice device in before)
            if (!seen.Contains(device.Serial)) changes.Add(new(AdbDeviceChangeKind.Left, device, device.State));
        return changes;
    }

    private static AdbDevice ParseLine(string line, int number, string request)
    {
        AdbException Bad(string what) => new(AdbErrorKind.Protocol, request,
            "device lines \"SERIAL STATE [usb-path] [key:value...]\"", $"line {number} \"{line}\": {what}");

        int tab = line.IndexOf('\t');
        if (tab >= 0)
        {
            // Short form: the serial may hold spaces ("(no serial number)"), the tab separates.
            string serial = line[..tab], state = line[(tab + 1)..];
            if (serial.Length == 0 || state.Length == 0) throw Bad("an empty serial or state");
            return new(serial, StateOf(state), state, null, null, null, null, null);
        }
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int at = Array.FindIndex(words, 1, w => States.ContainsKey(w) || w == "no");
        if (at < 1) throw Bad("no known state after the serial");
        string serialText = string.Join(' ', words[..at]);
        int next = at + 1;
        string stateText = words[at];
        if (words[at] == "no")
        {
            // "no permissions (reason); see [url]": everything up to the first key:value field is the state.
            while (next < words.Length && !IsField(words[next])) next++;
            stateText = string.Join(' ', words[at..next]);
            if (!stateText.StartsWith("no permissions", StringComparison.Ordinal)) throw Bad($"unknown state \"{stateText}\"");
        }
        string? usb = null, product = null, model = null, deviceName = null;
        long? transport = null;
        for (; next < words.Length; next++)
        {
            string word = words[next];
            int colon = word.IndexOf(':');
            if (colon <= 0) throw Bad($"\"{word}\" is not key:value");
            string key = word[..colon], value = word[(colon + 1)..];
            switch (key)
            {
                case "usb": usb = value; break;
                case "product": product = value; break;
                case "model": model = value; break;
                case "device": deviceName = value; break;
                case "transport_id":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long id)) throw Bad($"transport_id \"{value}\"");
                    transport = id;
                    break;
                default:
                    break; // a field newer than this client: kept out, not refused
            }
        }
        return new(serialText, StateOf(stateText), stateText, usb, product, model, deviceName, transport);
    }

    private static bool IsField(string word) => word.IndexOf(':') > 0 && !word.StartsWith("[", StringComparison.Ordinal)
                                                && !word.StartsWith("(", StringComparison.Ordinal) && !word.Contains("://", StringComparison.Ordinal);

    private static AdbDeviceState StateOf(string text) =>
        text.StartsWith("no permissions", StringComparison.Ordinal) ? AdbDeviceState.NoPermissions
        : States.GetValueOrDefault(text, AdbDeviceState.Unknown);
}
