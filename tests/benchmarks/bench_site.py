"""Site build benchmark (make bench-site): a cold build, and what one edit costs under `mkdocs serve`.

Works on a temporary copy of the project, through the build driver the build tests use
(tests/site_build.py). First a cold build (no cache) in a process of its own, and another
with only the explorer's data cached (the explorer's cost is the difference); then, in
one Python process, the way `mkdocs serve` rebuilds (see tests/site_build.py): a first,
warm build, and a rebuild after each edit, counting the figures rendered and the
notebooks executed. Prints a Markdown table: measured, goal, met.

Wall times depend on the machine's load; the cold build's CPU time (all processes) over
the number of cores is printed next to it, as the wall time of the same work on an idle
machine would be no less than that.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from site_build import copy_project, drive  # noqa: E402

CORES = os.cpu_count() or 1

SCHEMES_FIGURES = "src/weightinit_site/figures/schemes.py"
# As `mkdocs serve` rebuilds after each edit, in one Python process.
STEPS = [
    {"label": "warm, nothing edited"},
    {"label": "a page with no figure", "edits": [("docs/reference/sources.md", "\n", "\n\nEdited for the benchmark.\n")]},
    {"label": "one figure's function", "edits": [(SCHEMES_FIGURES, 'ax.set_ylabel("std of one weight")',
                                                  'ax.set_ylabel("std of one weight (edited)")')]},
    {"label": "initializers.py", "importers": "weightinit.initializers",
     "edits": [("src/weightinit/initializers.py", '"""', '"""Edited for the benchmark. ')]},
]


def _computed(step: dict, kinds: tuple[str, ...]) -> list[str]:
    return sorted(name for kind, name, _ in step["log"]["computed"] if kind in kinds)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        # Cold builds are timed as a whole process, as a reader's `mkdocs build` is.
        [cold], cold_process = drive(root, [{"label": "cold"}])
        # The same cold build with only the explorer's data kept: what the rest costs.
        for path in (root / ".cache").iterdir():
            if path.name != "explorer":
                shutil.rmtree(path)
        _, rest_process = drive(root, [{"label": "cold, the explorer's data cached"}])
        steps = {s["label"]: s for s in drive(root, STEPS)[0]}
    cold_wall, cold_cpu = cold_process["seconds"], cold_process["cpu"]
    rest_wall, rest_cpu = rest_process["seconds"], rest_process["cpu"]
    for step in steps.values():
        step["figures"], step["notebooks"] = _computed(step, ("figure",)), _computed(step, ("notebook",))

    cold = cold["log"]
    figure_count = sum(1 for kind, _, _ in cold["computed"] if kind == "figure")
    page, fig, lib = steps["a page with no figure"], steps["one figure's function"], steps["initializers.py"]
    rows = [
        ("a page with no figure", f"{page['seconds']:.2f} s (CPU {page['cpu']:.1f} s); {len(page['figures'])} figures, "
         f"{len(page['notebooks'])} notebooks re-rendered", "warm rebuild ≤ 3 s",
         page["seconds"] <= 3 and not page["figures"] and not page["notebooks"]),
        ("one figure's function", f"{fig['seconds']:.2f} s (CPU {fig['cpu']:.1f} s); re-rendered: {', '.join(fig['figures']) or 'none'}",
         "only that figure re-renders; rebuild ≤ 5 s",
         fig["figures"] == ["variance_scaling_stds"] and not fig["notebooks"] and fig["seconds"] <= 5),
        ("`initializers.py`", f"{lib['seconds']:.2f} s (CPU {lib['cpu']:.1f} s); re-rendered {len(lib['figures'])} figures and "
         f"{len(lib['notebooks'])} notebooks; {len(lib['importers']['figures'])} figures and "
         f"{len(lib['importers']['notebooks'])} notebooks import it",
         "only what imports it re-renders",
         lib["figures"] == lib["importers"]["figures"] and lib["notebooks"] == lib["importers"]["notebooks"]),
        (f"the whole cold build (no cache) on {CORES} cores", f"{cold_wall:.2f} s wall, CPU {cold_cpu:.1f} s "
         f"(= {cold_cpu / CORES:.1f} s per core); {figure_count} figures; pools started: {cold['pools']}",
         "≤ 30 s; one pool", cold_wall <= 30 and cold["pools"] == 1),
        ("of which the explorer's data", f"{cold_wall - rest_wall:.2f} s: the same build with it cached takes "
         f"{rest_wall:.2f} s wall, CPU {rest_cpu:.1f} s", "", None),
    ]
    print("| edit | measured | goal | met |")
    print("|---|---|---|---|")
    for edit, measured, goal, met in rows:
        print(f"| {edit} | {measured} | {goal} | {'' if met is None else 'met' if met else 'missed'} |")
    warm = steps["warm, nothing edited"]
    print(f"\nThe rebuilding process's first build, warm, nothing edited: {warm['seconds']:.2f} s "
          f"(CPU {warm['cpu']:.1f} s).")
    items = cold["computed"]
    totals: dict[str, float] = {}
    for kind, _, seconds in items:
        totals[kind] = totals.get(kind, 0.0) + float(seconds)
    print("\nCold build, seconds per kind of item (figures, tables and values in worker processes, "
          "one per core; notebooks and the explorer's data while the pages wait):")
    print(", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in totals.items()))
    print("\n| cold build item | seconds |\n|---|---|")
    for kind, name, seconds in sorted(items, key=lambda i: -i[2])[:30]:
        print(f"| {kind} {name} | {seconds:.2f} |")
    print(f"\nWorker pools started by the cold build: {cold['pools']}.")


if __name__ == "__main__":
    main()
