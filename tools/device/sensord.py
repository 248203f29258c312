#!/usr/bin/python3
"""The test device's live fuel gauge and thermal zones.

Every period_s it measures the CPU time used by the device's own processes (adbd and every process it started, from
/proc/PID/stat: utime+stime of the live ones plus cutime+cstime, which hold their reaped children), turns it into busy
cores, and rewrites, in the chroot's own /sys:
  class/power_supply/battery/current_now  µA, negative while discharging (Android's BatteryManager convention)
  class/power_supply/battery/voltage_now  µV: open-circuit voltage from the charge left, minus I x R sag
  class/power_supply/battery/capacity     percent, from the charge drawn so far
  class/power_supply/battery/temp         tenths of °C
  class/thermal/thermal_zone*/temp        millidegrees C, first-order lag towards ambient + rise x busy cores
So a busy window draws more charge than an idle one, and a hot device cools down over tau_cool_s.
The host's own load (other builds) is not the device's and does not count. Parameters: sensors.conf of the profile.
"""
import argparse
import math
import os
import time

SYS = "/sys"
BATTERY = os.path.join(SYS, "class/power_supply/battery")
THERMAL = os.path.join(SYS, "class/thermal")
SCREEN = "/data/gaugenn-device/screen"
TICKS = os.sysconf("SC_CLK_TCK")


def read_conf(path):
    conf = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, sep, value = line.partition("=")
            if not sep:
                raise SystemExit(f"{path}:{number}: expected 'key = value', got {line!r}")
            conf[key.strip()] = float(value)
    return conf


def proc_table():
    """pid -> (ppid, cpu ticks of the process and its reaped children)."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue  # exited meanwhile
        fields = stat[stat.rfind(")") + 2:].split()
        # fields[0] is state (field 3 of proc(5)); ppid is field 4, utime..cstime are fields 14..17.
        table[int(name)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))
    return table


def device_ticks(root_pid):
    table = proc_table()
    if root_pid not in table:
        return None
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += table[pid][1]
        stack.extend(children.get(pid, ()))
    return total


def write(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(f"{value}\n")
    os.replace(tmp, path)


def zones():
    found = []
    for name in sorted(os.listdir(THERMAL)):
        if name.startswith("thermal_zone"):
            with open(os.path.join(THERMAL, name, "type"), encoding="ascii") as f:
                found.append((os.path.join(THERMAL, name, "temp"), f.read().strip()))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adbd-pid", type=int, required=True)
    parser.add_argument("--conf", default="/data/gaugenn-device/sensors.conf")
    args = parser.parse_args()
    c = read_conf(args.conf)
    period, ambient = c["period_s"], c["ambient_c"]
    capacity_mah = c["capacity_mah"]
    charge_mah = capacity_mah * c["start_capacity_pct"] / 100.0
    thermal = [(path, kind, c.get(f"rise_c_per_busy_core.{kind}", 0.0)) for path, kind in zones()]
    temps = {path: ambient for path, _, _ in thermal}
    battery_rise = c.get("rise_c_per_busy_core.battery", 0.0)
    battery_temp = ambient

    last_ticks = device_ticks(args.adbd_pid)
    last = time.monotonic()
    while last_ticks is not None:
        time.sleep(period)
        now = time.monotonic()
        ticks = device_ticks(args.adbd_pid)
        if ticks is None:
            break  # adbd is gone: the device is off
        dt = now - last
        busy = max(0, ticks - last_ticks) / TICKS / dt if dt > 0 else 0.0
        last, last_ticks = now, ticks

        try:
            with open(SCREEN, encoding="ascii") as f:
                screen_on = f.read().strip() != "off"
        except OSError:
            screen_on = True
        current_ma = c["idle_ma"] + (c["screen_on_ma"] if screen_on else 0.0) + c["per_busy_core_ma"] * busy
        charge_mah = max(0.0, charge_mah - current_ma * dt / 3600.0)
        fraction = charge_mah / capacity_mah
        ocv = c["ocv_empty_uv"] + (c["ocv_full_uv"] - c["ocv_empty_uv"]) * fraction
        voltage_uv = ocv - current_ma * c["internal_resistance_mohm"]  # mA x mΩ = µV

        def lag(temp, rise):
            target = ambient + rise * busy
            tau = c["tau_heat_s"] if target > temp else c["tau_cool_s"]
            return temp + (target - temp) * (1.0 - math.exp(-dt / tau))

        for path, _, rise in thermal:
            temps[path] = lag(temps[path], rise)
            write(path, round(temps[path] * 1000))
        battery_temp = lag(battery_temp, battery_rise)
        write(os.path.join(BATTERY, "current_now"), -round(current_ma * 1000))
        write(os.path.join(BATTERY, "voltage_now"), round(voltage_uv))
        write(os.path.join(BATTERY, "capacity"), round(fraction * 100))
        write(os.path.join(BATTERY, "temp"), round(battery_temp * 10))


if __name__ == "__main__":
    main()
