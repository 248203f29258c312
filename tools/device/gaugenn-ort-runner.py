#!/usr/bin/python3
"""gaugeNN's ONNX Runtime runner: load a model, synthesise inputs from its declared I/O, warm up, time N runs.

Debian's onnxruntime-tools ships only `onnxruntime_test`, which prints one average over all iterations (no load time,
no first run, no per-run times, no warm-up split), so gaugeNN ships this script instead. Output, one record a line,
fields separated by one space, times in milliseconds with exactly three decimals (whole microseconds from
time.perf_counter_ns, printed without floating point):

  gaugenn-ort-runner 2                      format version
  onnxruntime VERSION                       onnxruntime.__version__
  providers NAME[,NAME...]                  the session's execution providers, in priority order
  threads N                                 intra-op threads asked for (0 = ONNX Runtime's default)
  input NAME DTYPE D0xD1x...                one line per input fed (scalar: "-")
  init_ms T                                 InferenceSession construction (load + optimise)
  first_ms T                                the first run
  warmup_ms I T                             warm-up run I (1-based), after the first run
  timed_begin                               flushed just before the timed loop starts
  timed_end                                 flushed just after it ends (the host times a power window by these two)
  run_ms I T                                timed run I (1-based), printed after timed_end
  peak_rss_mb M                             VmHWM of this process, MB = 2^20 bytes, two decimals
  done RUNS                                 printed last, only when every run succeeded
Errors go to stderr and the exit code is non-zero; no "done" line is printed then.
"""
import argparse
import contextlib
import os
import sys
import time

import numpy as np
import onnxruntime as ort

DTYPES = {
    "tensor(float)": np.float32, "tensor(float16)": np.float16, "tensor(double)": np.float64,
    "tensor(int8)": np.int8, "tensor(int16)": np.int16, "tensor(int32)": np.int32, "tensor(int64)": np.int64,
    "tensor(uint8)": np.uint8, "tensor(uint16)": np.uint16, "tensor(uint32)": np.uint32,
    "tensor(uint64)": np.uint64, "tensor(bool)": np.bool_,
}


@contextlib.contextmanager
def quiet_stderr():
    """Debian's onnxruntime registers every ONNX schema twice and prints a "Schema error" line for each on its first
    session (harmless, about 2,000 lines). Silenced there only; a failure still raises and is printed afterwards."""
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def ms(ns):
    us = ns // 1000
    return f"{us // 1000}.{us % 1000:03d}"


def pairs(option, values, parse):
    parsed = {}
    for pair in values:
        name, sep, value = pair.partition("=")
        try:
            if not sep or not name:
                raise ValueError
            parsed[name] = parse(value)
        except ValueError:
            raise SystemExit(f"{option} expects NAME=VALUE, got {pair!r}") from None
    return parsed


def natural(text):
    if not text.isdigit():
        raise ValueError
    return int(text)


def shape_of(text):
    return [] if text == "-" else [natural(d) for d in text.split("x")]


def synthesise(meta, dims, shapes, fills, rng):
    if meta.type not in DTYPES:
        raise SystemExit(f"input {meta.name}: cannot synthesise {meta.type}")
    if meta.name in shapes:
        shape = shapes[meta.name]
    else:
        # A named free dimension takes its --dim value; any other free dimension is 1 (a batch of one).
        shape = [d if isinstance(d, int) and d >= 0 else dims.get(d, 1) if isinstance(d, str) else 1
                 for d in meta.shape]
    dtype = DTYPES[meta.type]
    if meta.name in fills:
        data = np.full(shape, fills[meta.name]).astype(dtype)
    elif dtype is np.bool_:
        data = rng.integers(0, 2, size=shape).astype(np.bool_)
    elif np.issubdtype(dtype, np.integer):
        data = rng.integers(0, 16, size=shape).astype(dtype)  # small values stay valid as indices and lengths
    else:
        data = rng.standard_normal(size=shape).astype(dtype)
    return data


def peak_rss_mb():
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                kb = int(line.split()[1])
                return f"{kb * 100 // 1024 // 100}.{kb * 100 // 1024 % 100:02d}"
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--warmup", type=int, default=1, help="warm-up runs after the first run")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--providers", default="CPUExecutionProvider",
                   help="comma-separated, e.g. XnnpackExecutionProvider,CPUExecutionProvider")
    p.add_argument("--optimization", choices=["disable", "basic", "extended", "all"], default="all")
    p.add_argument("--dim", action="append", default=[], help="SYMBOL=N: the size of a named free dimension")
    p.add_argument("--shape", action="append", default=[], help="INPUT=D0xD1x...: an input's whole shape (- = scalar)")
    p.add_argument("--fill", action="append", default=[], help="INPUT=NUMBER: fill an input with one value")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    if a.runs < 1 or a.warmup < 0 or a.threads < 0:
        raise SystemExit("--runs must be >= 1, --warmup and --threads >= 0")

    options = ort.SessionOptions()
    options.intra_op_num_threads = a.threads
    options.graph_optimization_level = {
        "disable": ort.GraphOptimizationLevel.ORT_DISABLE_ALL, "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED, "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL,
    }[a.optimization]
    dims = pairs("--dim", a.dim, natural)
    shapes = pairs("--shape", a.shape, shape_of)
    fills = pairs("--fill", a.fill, float)
    print("gaugenn-ort-runner 2")
    print(f"onnxruntime {ort.__version__}")
    sys.stdout.flush()
    with quiet_stderr():
        t0 = time.perf_counter_ns()
        session = ort.InferenceSession(a.model, sess_options=options, providers=a.providers.split(","))
        t1 = time.perf_counter_ns()
    print(f"providers {','.join(session.get_providers())}")
    print(f"threads {a.threads}")
    rng = np.random.default_rng(a.seed)
    feed = {}
    for meta in session.get_inputs():
        feed[meta.name] = synthesise(meta, dims, shapes, fills, rng)
        shape = "x".join(str(d) for d in feed[meta.name].shape) or "-"
        print(f"input {meta.name} {meta.type[7:-1]} {shape}")
    print(f"init_ms {ms(t1 - t0)}")
    sys.stdout.flush()

    def run():
        start = time.perf_counter_ns()
        session.run(None, feed)
        return time.perf_counter_ns() - start

    print(f"first_ms {ms(run())}")
    for i in range(1, a.warmup + 1):
        print(f"warmup_ms {i} {ms(run())}")
    print("timed_begin", flush=True)
    timed = [run() for _ in range(a.runs)]
    print("timed_end", flush=True)
    for i, t in enumerate(timed, start=1):
        print(f"run_ms {i} {ms(t)}")
    rss = peak_rss_mb()
    if rss is not None:
        print(f"peak_rss_mb {rss}")
    print(f"done {a.runs}")


if __name__ == "__main__":
    main()
