"""Speed and memory of every float32 initializer against NumPy's own generator.

For each scheme in the registry this fills a fresh 4096 x 4096 float32 weight and
compares, in the same process and interleaved run by run, with the floor: NumPy's
generator filling an existing array of that size (``rng.standard_normal(out=a,
dtype=float32)`` for the normal family, ``rng.random(out=a, dtype=float32)`` for
the uniform family). Times are best-of-N; memory is the tracemalloc peak of one
call, after a first call on an 8 x 8 weight, as a multiple of the array's size.

Then ``orthogonal`` against ``torch.nn.init.orthogonal_`` on the same float32 weights
(square, tall and wide). tracemalloc cannot see torch's allocations, nor LAPACK's, so
both are measured alike: each call runs in a fresh Python process, one thread, after a
warm-up call on an 8 x 8 weight; the process's peak resident memory is reset
(``/proc/self/clear_refs``), the call is made, and the peak's rise over the resident
memory before the call (``VmHWM - VmRSS``) is the call's memory, the new weight
included. The median of three processes is printed.

Run with ``make bench`` or ``python tests/benchmarks/bench_init.py [--size N]
[--repeat R] [--only NAME ...] [--strict]``; ``--strict`` exits 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc

import numpy as np

import weightinit as wi

#: Time goals, as a ratio to the floor; every initializer also has the memory goal.
TIME_GOALS = {"he_normal": 1.15, "glorot_uniform": 1.15, "variance_scaling(truncated_normal)": 2.0}
MEMORY_GOAL = 1.25
#: Except for orthogonal: its QR overwrites the draw, and the result is a C-ordered copy of it.
MEMORY_GOALS = {"orthogonal": 2.1}
#: Side of the orthogonal comparison: weights n x n, 4n x n and n x 4n.
ORTHOGONAL_SIDE = 2048
#: Slower than this (seconds) and a case is repeated only three times...
SLOW = 0.5
#: ...and slower than this, it is timed once, in the same call that measures its memory.
VERY_SLOW = 5.0


def cases():
    """(label, family, call) for each registered scheme plus variance_scaling's other distributions."""
    for name, s in wi.SCHEMES.items():
        yield name, s.distribution, s.function, {}
        if name == "variance_scaling":
            for dist in ("truncated_normal", "uniform"):
                yield f"variance_scaling({dist})", dist, s.function, {"distribution": dist}


def best_of(repeat: int, *calls):
    """Best time of each call over ``repeat`` interleaved rounds (load on the machine hits both alike)."""
    best = [float("inf")] * len(calls)
    for _ in range(repeat):
        for k, call in enumerate(calls):
            gc.collect()
            start = time.perf_counter()
            call()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def peak_memory(call) -> tuple[int, float]:
    """Peak traced bytes of one call, and its time (tracemalloc slows small allocations only)."""
    gc.collect()
    tracemalloc.start()
    try:
        start = time.perf_counter()
        call()
        elapsed = time.perf_counter() - start
        return tracemalloc.get_traced_memory()[1], elapsed
    finally:
        tracemalloc.stop()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=4096, help="side of the square float32 weight")
    parser.add_argument("--repeat", type=int, default=21, help="rounds for best-of timing")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a goal is missed")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="benchmark only these initializers")
    args = parser.parse_args(argv)

    shape = (args.size, args.size)
    rng = np.random.default_rng(0)
    a = np.empty(shape, np.float32)
    floors = {
        "normal": ("standard_normal", lambda: rng.standard_normal(out=a, dtype=np.float32)),
        "uniform": ("random", lambda: rng.random(out=a, dtype=np.float32)),
    }
    floors["normal"][1]()  # fault the floor's pages in before timing

    print(f"float32 {shape[0]} x {shape[1]} ({a.nbytes / 2**20:.0f} MiB), numpy {np.__version__}, best of {args.repeat}")
    header = f"{'initializer':36s} {'floor':>15s} {'ms':>8s} {'floor ms':>8s} {'ratio':>6s} {'goal':>5s}   {'memory':>6s} {'goal':>5s}   ok"
    print(header)
    print("-" * len(header))
    missed = []
    for label, family, function, params in cases():
        if args.only and label not in args.only:
            continue
        floor_name, floor = floors["uniform" if family == "uniform" else "normal"]

        def call(function=function, params=params):
            return function(shape, **params, rng=rng, dtype=np.float32)

        # A first call on a tiny weight does one-time work (orthogonal imports SciPy's LAPACK).
        function((8, 8), **params, rng=rng, dtype=np.float32)
        peak, first = peak_memory(call)
        memory = peak / a.nbytes
        if first > VERY_SLOW:
            t, (t_floor,) = first, best_of(args.repeat, floor)
        else:
            t, t_floor = best_of(3 if first > SLOW else args.repeat, call, floor)
        ratio = t / t_floor
        goal = TIME_GOALS.get(label)
        memory_goal = MEMORY_GOALS.get(label, MEMORY_GOAL)
        ok = (goal is None or ratio <= goal) and memory <= memory_goal
        if not ok:
            missed.append(label)
        print(
            f"{label:36s} {floor_name:>15s} {t * 1e3:8.1f} {t_floor * 1e3:8.1f} {ratio:5.2f}x "
            f"{(f'{goal:.2f}' if goal else '-'):>5s}   {memory:5.2f}x {memory_goal:5.2f}   {'yes' if ok else 'NO'}"
        )
    print()
    print("Constant and identity draw nothing: their floor column is only a yardstick.")
    print(f"Cases slower than {VERY_SLOW:.0f} s are timed once. orthogonal: LAPACK's QR dominates its time.")
    print()
    missed += compare_orthogonal(ORTHOGONAL_SIDE)
    if missed:
        print(f"missed: {', '.join(missed)}")
    return 1 if args.strict and missed else 0


#: Run in a fresh process: warm up on 8 x 8, reset the peak, make one call, print
#: the peak's rise in bytes and the call's time.
CHILD = """
import sys, time
{setup}
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(key)
call(8, 8)
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
before = status("VmRSS")
start = time.perf_counter()
w = call({rows}, {cols})
elapsed = time.perf_counter() - start
print(status("VmHWM") - before, elapsed)
"""

#: ``call(fan_in, fan_out)`` for each library, returning a float32 weight.
SETUP = {
    "weightinit": "import numpy as np, weightinit as wi\n"
    "call = lambda i, o: wi.orthogonal((i, o), rng=0, dtype=np.float32)",
    # torch stores (out, in); orthogonal_ fills a tensor made by the call, as weightinit does.
    "torch": "import torch\ntorch.manual_seed(0)\n"
    "call = lambda i, o: torch.nn.init.orthogonal_(torch.empty(o, i, dtype=torch.float32))",
}


def child_peak(library: str, rows: int, cols: int, runs: int = 3) -> tuple[float, float]:
    """Median peak-RSS rise (bytes) and median time (s) of one call, each in a fresh process."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    code = CHILD.format(setup=SETUP[library], rows=rows, cols=cols)
    peaks, times = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"{library} ({rows}, {cols}) failed:\n{out.stderr}")
        peak, elapsed = out.stdout.split()
        peaks.append(float(peak))
        times.append(float(elapsed))
    return statistics.median(peaks), statistics.median(times)


def compare_orthogonal(n: int) -> list[str]:
    """Print weightinit.orthogonal against torch.nn.init.orthogonal_; return the shapes that miss."""
    try:
        import torch
    except ImportError:
        raise SystemExit(
            "the orthogonal comparison needs PyTorch: run `make bench`, which installs the "
            "torch line of frameworks.txt"
        ) from None
    print(f"orthogonal against torch.nn.init.orthogonal_ (torch {torch.__version__}), float32, one thread:")
    print("peak resident memory of one call in a fresh process, the new weight included (median of 3)")
    header = (
        f"{'fan_in x fan_out':>18s} {'MiB':>6s} {'weightinit':>11s} {'torch':>8s} {'ratio':>6s}"
        f"   {'ms':>7s} {'torch ms':>8s} {'ratio':>6s}   ok"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for rows, cols in [(n, n), (4 * n, n), (n, 4 * n)]:
        size = rows * cols * 4
        (mine, t_mine), (theirs, t_theirs) = child_peak("weightinit", rows, cols), child_peak("torch", rows, cols)
        ok = mine <= theirs
        if not ok:
            missed.append(f"orthogonal({rows}, {cols}) memory")
        print(
            f"{f'{rows} x {cols}':>18s} {size / 2**20:6.0f} {mine / size:10.2f}x {theirs / size:7.2f}x "
            f"{mine / theirs:5.2f}x   {t_mine * 1e3:7.0f} {t_theirs * 1e3:8.0f} {t_mine / t_theirs:5.2f}x   "
            f"{'yes' if ok else 'NO'}"
        )
    print("Memory is a multiple of the weight's size; the goal is weightinit's peak <= torch's.")
    return missed


if __name__ == "__main__":
    sys.exit(main())
