"""Site build benchmark (make bench-site): cold build, warm rebuild and `make test`.

Prints each measured time next to its goal as a ratio (time / goal; at most 1 meets
it), and the time of every figure and notebook from the cold build's log.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOALS = {"cold build": 30.0, "warm rebuild": 3.0, "make test": 120.0}


def timed(cmd, env) -> tuple[float, str]:
    start = time.perf_counter()
    run = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
    return elapsed, run.stderr + run.stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "WEIGHTINIT_CACHE_DIR": str(Path(tmp) / "cache")}
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(Path(tmp) / "site")]
        times = {}
        times["cold build"], cold_log = timed(build, env)
        times["warm rebuild"], _ = timed(build, env)
    times["make test"], _ = timed(["make", "test"], {**os.environ})

    print(f"{'step':<16}{'seconds':>10}{'goal':>10}{'ratio':>8}")
    for step, seconds in times.items():
        goal = GOALS[step]
        print(f"{step:<16}{seconds:>10.2f}{goal:>10.1f}{seconds / goal:>8.2f}{'' if seconds <= goal else '  over'}")

    items = re.findall(r"(figure|notebook) (\S+)\s+(\d+\.\d+) s", cold_log)
    print(f"\n{'cold build item':<48}{'seconds':>10}")
    for kind, name, seconds in sorted(items, key=lambda i: -float(i[2])):
        print(f"{kind + ' ' + name:<48}{float(seconds):>10.2f}")
    total_figures = sum(float(s) for k, _, s in items if k == "figure")
    print(f"{'all figures (goal 20 s)':<48}{total_figures:>10.2f}")


if __name__ == "__main__":
    main()
