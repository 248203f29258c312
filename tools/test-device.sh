#!/usr/bin/env bash
# A test "phone" for gaugeNN: Android's real device daemon (Debian trixie's `adbd`) in a debootstrap'd Debian trixie
# chroot, dressed in a device profile (getprop, dumpsys, input, a live fuel gauge and thermal zones in its own /sys).
#
#   tools/test-device.sh up       build the chroot once (cached), install the profile, start adbd and the sensor
#                                 daemon, `adb connect`, wait for state `device`; the LAST line printed is the serial
#   tools/test-device.sh down     stop adbd and the sensor daemon, `adb disconnect`, unmount
#   tools/test-device.sh status   say what runs; exit 0 when the device answers over adb, 3 when it is down
#
# Environment (all optional):
#   GAUGENN_TEST_DEVICE_DIR      cache folder, outside the repository   (default /var/cache/gaugenn/test-device)
#   GAUGENN_TEST_DEVICE_PORT     adbd's TCP port                         (default 5555)
#   GAUGENN_TEST_DEVICE_PROFILE  a folder name under tools/device/profiles (default galaxy-s21-exynos)
#   GAUGENN_DEBIAN_MIRROR        Debian mirror for debootstrap and apt   (default http://deb.debian.org/debian)
# Needs root (debootstrap, chroot, mounts), as CI has. What adbd needs and what it advertises: tools/device/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
device_src="$here/device"
cache="${GAUGENN_TEST_DEVICE_DIR:-/var/cache/gaugenn/test-device}"
port="${GAUGENN_TEST_DEVICE_PORT:-5555}"
profile="${GAUGENN_TEST_DEVICE_PROFILE:-galaxy-s21-exynos}"
mirror="${GAUGENN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
root="$(realpath -m "$cache")/root"
run="$cache/run"
serial="127.0.0.1:$port"
# Raise when the package list or the chroot layout changes, so a cached chroot is rebuilt rather than reused.
recipe="1 trixie minbase adbd python3-onnxruntime procps"
packages=(adbd python3-onnxruntime procps)
# adbd's children inherit this PATH; /system/bin first, as on a phone, so getprop and dumpsys are found there.
device_path="/system/bin:/usr/sbin:/usr/bin:/sbin:/bin"

say() { echo "test-device: $*" >&2; }
die() { say "$*"; exit 1; }

need_root() {
  [[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot and mounts); run as root, as CI does"
}

# Host tools; installed from Debian when missing, since CI starts from a bare machine.
need_host_tools() {
  local missing=()
  command -v adb >/dev/null 2>&1 || missing+=(adb)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if ((${#missing[@]})); then
    command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
    say "installing ${missing[*]} (apt-get install ${missing[*]})"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

is_mounted() { mountpoint -q "$1" 2>/dev/null; }

mount_device_fs() {
  local r="$1"
  is_mounted "$r/proc" || mount -t proc proc "$r/proc"
  mkdir -p "$r/dev/pts"
  # A private devpts instance, so the device's ptys are its own; /dev/ptmx must point into it.
  is_mounted "$r/dev/pts" || mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$r/dev/pts"
  [[ -e "$r/dev/ptmx" ]] || touch "$r/dev/ptmx"
  is_mounted "$r/dev/ptmx" || mount --bind "$r/dev/pts/ptmx" "$r/dev/ptmx"
}

unmount_device_fs() {
  local r="$1" m
  for m in "$r/dev/ptmx" "$r/dev/pts" "$r/proc"; do
    if is_mounted "$m"; then umount "$m" || umount -l "$m"; fi
  done
}

build_chroot() {
  if [[ -f "$root/.gaugenn-recipe" && "$(cat "$root/.gaugenn-recipe")" == "$recipe" ]]; then return; fi
  local fresh="$cache/root.building"
  say "building the device chroot in $root (debootstrap --variant=minbase trixie; once, then cached)"
  unmount_device_fs "$fresh"
  rm -rf "$fresh"
  mkdir -p "$cache"
  debootstrap --variant=minbase trixie "$fresh" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    die "debootstrap failed; see $cache/debootstrap.log: $(tail -n 3 "$cache/debootstrap.log" | tr '\n' ' ')"
  mount -t proc proc "$fresh/proc"
  if ! { chroot "$fresh" apt-get update -qq &&
         chroot "$fresh" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" &&
         chroot "$fresh" apt-get clean; } >"$cache/packages.log" 2>&1; then
    umount "$fresh/proc"
    die "installing ${packages[*]} in the chroot failed; see $cache/packages.log"
  fi
  umount "$fresh/proc"
  echo "$recipe" >"$fresh/.gaugenn-recipe"
  if [[ -d "$root" ]]; then
    stop_device
    unmount_device_fs "$root"
    rm -rf "$root"
  fi
  mv "$fresh" "$root"
}

# The profile is reinstalled whenever `up` starts adbd (cheap), so editing tools/device needs no chroot rebuild.
install_profile() {
  local p="$device_src/profiles/$profile"
  [[ -d "$p" ]] || die "no device profile '$profile' in $device_src/profiles"
  # The device's /sys is a plain folder of the chroot (never the host's sysfs): refuse to empty a mount.
  is_mounted "$root/sys" && die "$root/sys is a mount point; unmount it first (the profile owns that folder)"
  rm -rf "$root/sys" "$root/system" "$root/data/gaugenn-device"
  mkdir -p "$root/sys" "$root/system/bin" "$root/data/local/tmp" "$root/data/gaugenn-device"
  chmod 1777 "$root/data/local/tmp"
  cp -a "$p/sys/." "$root/sys/"
  cp "$p/build.prop" "$root/system/build.prop"
  cp "$p/sensors.conf" "$root/data/gaugenn-device/sensors.conf"
  echo on >"$root/data/gaugenn-device/screen"
  install -m 0755 "$device_src/getprop" "$device_src/dumpsys" "$device_src/input" "$root/system/bin/"
  install -m 0755 "$device_src/sensord.py" "$root/system/bin/gaugenn-sensord"
  install -m 0755 "$device_src/gaugenn-ort-runner.py" "$root/system/bin/gaugenn-ort-runner"
}

pid_alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

# The pid in a pid file when that process still runs the named program inside this chroot, else nothing.
our_pid() {
  local file="$run/$1.pid" comm="$2" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if pid_alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm"* ]] &&
     [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]]; then
    echo "$pid"
  fi
}

# Every process whose root is this chroot (a stale adbd whose pid file was lost, its shells, the sensor daemon).
chroot_pids() {
  local d
  for d in /proc/[0-9]*; do
    [[ "$(readlink "$d/root" 2>/dev/null)" == "$root" ]] && echo "${d#/proc/}"
  done
  return 0
}

stop_device() {
  local pids
  pids="$(chroot_pids | tr '\n' ' ')"
  if [[ -n "${pids// /}" ]]; then
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
    for _ in $(seq 50); do
      pids="$(for p in $pids; do if pid_alive "$p"; then echo "$p"; fi; done | tr '\n' ' ')"
      [[ -z "${pids// /}" ]] && break
      sleep 0.1
    done
    # shellcheck disable=SC2086
    [[ -z "${pids// /}" ]] || kill -9 $pids 2>/dev/null || true
  fi
  rm -f "$run/adbd.pid" "$run/sensord.pid"
}

port_in_use() { grep -qiE "^ *[0-9]+: [0-9A-F]+:$(printf '%04X' "$port") [0-9A-F]+:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }

start_device() {
  mkdir -p "$run"
  local adbd sensord
  adbd="$(our_pid adbd adbd)"
  sensord="$(our_pid sensord python3)"
  if [[ -n "$adbd" && -n "$sensord" ]]; then return; fi
  # Anything half up (adbd without its sensors, a stale adbd from a lost pid file) is stopped and started afresh.
  stop_device
  mount_device_fs "$root"
  if port_in_use; then die "tcp port $port is already in use by another program; set GAUGENN_TEST_DEVICE_PORT"; fi
  setsid chroot "$root" env -i PATH="$device_path" HOME=/root ADBD_PORT="$port" /usr/sbin/adbd \
    </dev/null >"$run/adbd.log" 2>&1 9>&- &
  echo $! >"$run/adbd.pid"
  setsid chroot "$root" env -i PATH="$device_path" /usr/bin/python3 /system/bin/gaugenn-sensord \
    --adbd-pid "$(cat "$run/adbd.pid")" </dev/null >"$run/sensord.log" 2>&1 9>&- &
  echo $! >"$run/sensord.pid"
  for _ in $(seq 100); do
    port_in_use && break
    pid_alive "$(cat "$run/adbd.pid")" || die "adbd exited at start: $(tail -n 5 "$run/adbd.log" | tr '\n' ' ')"
    sleep 0.1
  done
  port_in_use || die "adbd did not listen on tcp:$port within 10 s; see $run/adbd.log"
}

# Before adbd starts: a server started while something listens on 5555 also attaches it as the emulator
# "emulator-5554" (its emulator scan of ports 5555-5585), a twin of the same device.
start_adb_server() {
  adb start-server </dev/null >/dev/null 2>&1 9>&- || die "adb start-server failed"
}

connect_device() {
  local state="" out
  for _ in $(seq 60); do
    state="$(adb -s "$serial" get-state 2>/dev/null 9>&- || true)"
    # A transport can say `device` for a moment before it drops; a command that runs is the proof.
    [[ "$state" == device ]] && adb -s "$serial" shell true </dev/null >/dev/null 2>&1 9>&- && return
    out="$(adb connect "$serial" 2>&1 9>&- || true)"
    sleep 0.5
  done
  die "device $serial did not reach state 'device' within 30 s (state '${state:-absent}'; adb connect said: ${out:-nothing})"
}

cmd_up() {
  need_root
  need_host_tools
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  build_chroot
  start_adb_server
  if [[ -z "$(our_pid adbd adbd)" ]]; then install_profile; fi
  start_device
  connect_device
  say "up: adbd pid $(cat "$run/adbd.pid") on tcp:$port, profile $profile, chroot $root"
  echo "$serial"
}

cmd_down() {
  need_root
  mkdir -p "$cache"
  exec 9>"$cache/.lock"
  flock 9
  if command -v adb >/dev/null 2>&1; then adb disconnect "$serial" </dev/null >/dev/null 2>&1 9>&- || true; fi
  stop_device
  [[ -d "$root" ]] && unmount_device_fs "$root"
  say "down"
}

cmd_status() {
  local adbd sensord state=""
  adbd="$(our_pid adbd adbd)"
  sensord="$(our_pid sensord python3)"
  if [[ -f "$root/.gaugenn-recipe" ]]; then echo "chroot: built ($root)"; else echo "chroot: not built ($root)"; fi
  if [[ -n "$adbd" ]]; then echo "adbd: running, pid $adbd, tcp:$port"; else echo "adbd: not running"; fi
  if [[ -n "$sensord" ]]; then echo "sensors: running, pid $sensord"; else echo "sensors: not running"; fi
  if command -v adb >/dev/null 2>&1; then state="$(adb -s "$serial" get-state 2>/dev/null 9>&- || true)"; fi
  echo "adb: $serial ${state:-not attached}"
  if [[ -n "$adbd" && -n "$sensord" && "$state" == device ]]; then return 0; fi
  return 3
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
