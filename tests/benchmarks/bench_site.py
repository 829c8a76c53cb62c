"""Site build benchmark (make bench-site): what one edit costs, as under `mkdocs serve`.

Works on a temporary copy of the project. First a cold build (`mkdocs build --strict`,
empty caches) in its own process, and another with only the explorer's data cached (the
explorer's cost is the difference); then, in one Python process, the way `mkdocs serve`
rebuilds (configuration, plugins and hooks loaded anew each time): a warm build, and a rebuild after each edit of issue 9's table, counting the
figures rendered and the notebooks executed. Prints a Markdown table: measured, goal, met.

Wall times depend on the machine's load; the cold build's CPU time (all processes) over
the number of cores is printed next to it, as the wall time of the same work on an idle
machine would be no less than that.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The build log's format is defined once, in the build's core.
sys.path.append(str(ROOT / "docs" / "hooks"))
import core  # noqa: E402

CORES = os.cpu_count() or 1

DRIVER = textwrap.dedent(
    r'''
    import io, json, logging, sys, time
    from pathlib import Path

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = Path.cwd()
    sys.path.append(str(root / "docs/hooks"))
    import core, entries

    stream = io.StringIO()
    out = []


    def edit(path, old, new):
        p = root / path
        text = p.read_text()
        assert old in text, (path, old)
        p.write_text(text.replace(old, new, 1))


    def cpu():
        import resource
        self, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return self.ru_utime + self.ru_stime + children.ru_utime + children.ru_stime


    def run(label, importers=None):
        stream.seek(0)
        stream.truncate()
        t0, c0 = time.perf_counter(), cpu()
        # As `mkdocs serve` does on every rebuild: the configuration, plugins and hooks anew.
        build(load_config(str(root / "mkdocs.yml"), strict=True))
        seconds, cpu_seconds = time.perf_counter() - t0, cpu() - c0
        log = core.read_log(stream.getvalue())
        out.append({
            "label": label, "seconds": seconds, "cpu": cpu_seconds, "importers": importers,
            "figures": sorted(n for k, n, _ in log["computed"] if k == "figure"),
            "notebooks": sorted(n for k, n, _ in log["computed"] if k == "notebook"),
            "computed": sorted(n for k, n, _ in log["computed"] if k in ("table", "value")),
            "pools": log["pools"],
        })


    def importers(module):
        """Figures and notebooks whose code imports `module`, transitively."""
        core.fresh_library()
        figures = entries.figure_registry()
        names = [n for n, s in figures.items() if module in core.library_closure([s.module])]
        nbs = [f"notebooks/{p.name}" for p in sorted((root / "docs/notebooks").glob("*.py"))
               if module in core.library_closure(entries.notebook_imports(p))]
        return {"figures": sorted(names), "notebooks": nbs}


    # Spawned worker processes import this file as a module: the builds run only here.
    if __name__ == "__main__":
        logging.getLogger("mkdocs").addHandler(logging.StreamHandler(stream))
        logging.getLogger("mkdocs").setLevel(logging.INFO)
        run("warm, nothing edited")
        edit("docs/reference/sources.md", "\n", "\n\nEdited for the benchmark.\n")
        run("a page with no figure")
        edit("src/weightinit_site/figures/schemes.py", 'ax.set_ylabel("std of one weight")',
             'ax.set_ylabel("std of one weight (edited)")')
        run("one figure's function")
        found = importers("weightinit.initializers")
        edit("src/weightinit/initializers.py", '"""', '"""Edited for the benchmark. ')
        run("initializers.py", found)
        json.dump(out, sys.stdout)
    '''
)


def copy_project(tmp: Path) -> Path:
    root = tmp / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for part in ("src", "docs"):
        shutil.copytree(ROOT / part, root / part, ignore=ignore)
    # mkdocs.yml watches frameworks.txt, and [[version: NAME]] reads it.
    for name in ("mkdocs.yml", "frameworks.txt"):
        shutil.copy2(ROOT / name, root / name)
    # The build converts math with Temml from node_modules (`make venv` installs it).
    (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return root


def run(cmd, root, env) -> tuple[float, float, str, str]:
    """Wall seconds, CPU seconds of the process and its children, stdout and stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout, proc.stderr


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "WEIGHTINIT_CACHE_DIR": str(root / ".cache"),
               "PYTHONPATH": str(root / "src")}
        build = [sys.executable, "-m", "mkdocs", "build", "--strict"]
        cold_wall, cold_cpu, _, cold_log = run(build, root, env)
        # The same cold build with only the explorer's data kept: what the rest costs.
        for path in (root / ".cache").iterdir():
            if path.name != "explorer":
                shutil.rmtree(path)
        rest_wall, rest_cpu, _, _ = run(build, root, env)
        (root / "driver.py").write_text(DRIVER)
        _, _, out, _ = run([sys.executable, "driver.py"], root, env)
        steps = {s["label"]: s for s in json.loads(out)}

    cold = core.read_log(cold_log)
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
        (f"cold build on {CORES} cores, explorer data cached", f"{rest_wall:.2f} s wall; CPU {rest_cpu:.1f} s = "
         f"{rest_cpu / CORES:.1f} s per core; {figure_count} figures", "≤ 30 s", rest_wall <= 30),
        ("the explorer's data, cold (issue 13)", f"{cold_wall - rest_wall:.2f} s more: {cold_wall:.2f} s wall, CPU "
         f"{cold_cpu:.1f} s, for the whole cold build", "≤ about 30 s more", cold_wall - rest_wall <= 30),
    ]
    print("| edit | measured | goal | met |")
    print("|---|---|---|---|")
    for edit, measured, goal, met in rows:
        print(f"| {edit} | {measured} | {goal} | {'met' if met else 'missed'} |")
    warm = steps["warm, nothing edited"]
    print(f"\nWarm build with nothing edited, in the same process: {warm['seconds']:.2f} s "
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
