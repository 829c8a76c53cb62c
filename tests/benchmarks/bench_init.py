"""Speed and memory of every float32 initializer against NumPy's own generator.

For each scheme in the registry this fills a fresh 4096 x 4096 float32 weight and
compares, in the same process and interleaved run by run, with the floor: NumPy's
generator filling an existing array of that size (``rng.standard_normal(out=a,
dtype=float32)`` for the normal family, ``rng.random(out=a, dtype=float32)`` for
the uniform family). Times are best-of-N; memory is the tracemalloc peak of one
call, as a multiple of the array's size.

Run with ``make bench`` or ``python tests/benchmarks/bench_init.py [--size N]
[--repeat R] [--only NAME ...] [--strict]``; ``--strict`` exits 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc

import numpy as np

import weightinit as wi

#: Time goals, as a ratio to the floor; every initializer also has the memory goal.
TIME_GOALS = {"he_normal": 1.15, "glorot_uniform": 1.15, "variance_scaling(truncated_normal)": 2.0}
MEMORY_GOAL = 1.25
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

        peak, first = peak_memory(call)
        memory = peak / a.nbytes
        if first > VERY_SLOW:
            t, (t_floor,) = first, best_of(args.repeat, floor)
        else:
            t, t_floor = best_of(3 if first > SLOW else args.repeat, call, floor)
        ratio = t / t_floor
        goal = TIME_GOALS.get(label)
        ok = (goal is None or ratio <= goal) and memory <= MEMORY_GOAL
        if not ok:
            missed.append(label)
        print(
            f"{label:36s} {floor_name:>15s} {t * 1e3:8.1f} {t_floor * 1e3:8.1f} {ratio:5.2f}x "
            f"{(f'{goal:.2f}' if goal else '-'):>5s}   {memory:5.2f}x {MEMORY_GOAL:5.2f}   {'yes' if ok else 'NO'}"
        )
    print()
    print("Constant and identity draw nothing: their floor column is only a yardstick.")
    print(f"Cases slower than {VERY_SLOW:.0f} s are timed once. orthogonal: NumPy's QR is float64-only")
    print("and copies its input, so it cannot meet the memory goal; LAPACK's QR dominates its time.")
    if missed:
        print(f"missed: {', '.join(missed)}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
