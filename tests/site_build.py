"""The one build driver of the build tests and ``make bench-site``.

`copy_project` makes a copy of the project to build: the whole site, or the library and
the hooks with a few pages of the caller's. `drive` builds the copy in one new Python
process, once per step, after the step's edits, the way ``mkdocs serve`` rebuilds: the
configuration loaded anew each time (and with it the plugins, but for those MkDocs
keeps, such as Material's search), the hook modules imported once per process. It
returns what each build did, read from its log by the core (``core.read_log``, the
log's one definition), and the wall and CPU seconds of the whole process.

A step is a dict: ``label``; optionally ``edits`` (``[path, old, new]``, applied first,
each ``old`` required), ``upgrade`` (a package whose installed version then reads 99.0,
through a ``NAME-99.0.dist-info`` folder put first on the path: ``importlib.metadata``
sees it, the real install is untouched), ``importers`` (a library module: the figures
and notebooks whose code imports it, found before the edits) and ``read`` (built pages
to return). Each result holds the label; ``seconds`` and ``cpu`` of its build (this
process and its children: the pool's workers, Node); ``log``; ``error``, the log of a
build that failed, else None; ``versions``, the package versions the core keyed on;
``entries``, the cache's files; ``svgs``, the built figures; ``pages``; ``importers``.

This file is also the script `drive` runs; the pool's workers (spawned) import it and
run nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def edit(root: Path, path: str, old: str, new: str) -> None:
    """Replace the first `old` in the copy's file `path` by `new`; `old` must be there."""
    p = root / path
    text = p.read_text(encoding="utf-8")
    if old not in text:
        raise ValueError(f"{path} does not contain {old!r}")
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def copy_project(tmp: Path, pages: dict[str, str] | None = None, mkdocs_yml: str | None = None,
                 figure_modules: tuple[str, ...] | None = None, edits=()) -> Path:
    """A copy of the project in ``tmp/project``, and its path.

    Parameters
    ----------
    tmp : Path
    pages : dict of str to str, optional
        Pages of the copy (path below docs/ -> text), built with `mkdocs_yml`. None
        copies the whole site: docs/, mkdocs.yml and frameworks.txt.
    mkdocs_yml : str, optional
        The copy's configuration, with `pages`.
    figure_modules : tuple of str, optional
        The modules of ``weightinit_site.figures`` whose figures the registry keeps
        (all if None): a few figures keep a build short.
    edits : iterable of (path, old, new)
        Applied to the copy (`edit`).
    """
    root = Path(tmp) / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", root / "src", ignore=ignore)
    if pages is None:
        shutil.copytree(ROOT / "docs", root / "docs", ignore=ignore)
        # mkdocs.yml watches frameworks.txt, and [[version: NAME]] reads it.
        for name in ("mkdocs.yml", "frameworks.txt"):
            shutil.copy2(ROOT / name, root / name)
    else:
        if mkdocs_yml is None:
            raise TypeError("mkdocs_yml is required with pages")
        shutil.copytree(ROOT / "docs" / "hooks", root / "docs" / "hooks", ignore=ignore)
        for path, text in pages.items():
            (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
            (root / "docs" / path).write_text(text, encoding="utf-8")
        (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    # The build converts math with Temml from node_modules (`make venv` installs it).
    if (ROOT / "node_modules").is_dir():
        (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    if figure_modules is not None:
        init = "src/weightinit_site/figures/__init__.py"
        text = (root / init).read_text(encoding="utf-8")
        imports = re.search(r"^from \. import .*$", text, re.M)[0]
        listed = re.search(r"^__all__ = .*$", text, re.M)[0]
        edit(root, init, imports, f"from . import {', '.join(figure_modules)}")
        edit(root, init, listed, f"__all__ = {['FIGURES', 'FigureSpec', *figure_modules]!r}")
    for path, old, new in edits:
        edit(root, path, old, new)
    return root


def drive(root: Path, steps: list[dict]) -> tuple[list[dict], dict]:
    """Build the copy at `root` once per step, in one new Python process; see the module.

    Returns
    -------
    builds : list of dict
        What each step's build did.
    process : dict
        ``seconds`` and ``cpu`` of the whole process and its children, start-up and
        imports included: what a reader running ``mkdocs build`` waits for.
    """
    import resource
    import time

    (root / "steps.json").write_text(json.dumps(steps), encoding="utf-8")
    report = root / "report.json"
    report.unlink(missing_ok=True)
    env = {**os.environ, "WEIGHTINIT_CACHE_DIR": str(root / ".cache"), "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(root / "src")}
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    run = subprocess.run([sys.executable, str(Path(__file__).resolve()), "steps.json", "report.json"], cwd=root,
                         env=env, capture_output=True, text=True)
    seconds, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode or not report.is_file():
        raise RuntimeError(f"the build driver failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-5000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return json.loads(report.read_text(encoding="utf-8")), {"seconds": seconds, "cpu": cpu}


# ------------------------------------------------------------------ in the driver's process


def _cpu() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _importers(root: Path, module: str) -> dict:
    """Figures and notebooks whose code imports `module`, directly or not."""
    import core
    import entries

    core.fresh_library()
    figures = entries.figure_registry()
    names = [n for n, s in figures.items() if module in core.library_closure([s.module])]
    notebooks = [f"notebooks/{p.name}" for p in sorted((root / "docs" / "notebooks").glob("*.py"))
                 if module in core.library_closure(entries.notebook_imports(p))]
    return {"figures": sorted(names), "notebooks": notebooks}


def _upgrade(root: Path, name: str) -> None:
    fake = root / "fake" / name
    info = fake / f"{name}-99.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 99.0\n")
    sys.path.insert(0, str(fake))


def _build(root: Path, step: dict, stream) -> dict:
    import time

    import core
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    found = _importers(root, step["importers"]) if step.get("importers") else None
    for path, old, new in step.get("edits", ()):
        edit(root, path, old, new)
    if step.get("upgrade"):
        _upgrade(root, step["upgrade"])
    stream.seek(0)
    stream.truncate()
    error = None
    start, cpu = time.perf_counter(), _cpu()
    try:
        build(load_config(str(root / "mkdocs.yml"), strict=True))
    except Abort:
        error = stream.getvalue()  # build() logs the error's message, then raises Abort
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    cache, site = root / ".cache", root / "site"
    return {
        "label": step["label"], "seconds": seconds, "cpu": cpu, "log": core.read_log(stream.getvalue()),
        "error": error, "versions": core.versions(),
        "entries": sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*")
                          if p.is_file() and "templates" not in p.parts),
        "svgs": {p.stem: p.read_text() for p in sorted((site / "figures").glob("*.svg"))},
        "pages": {page: (site / page).read_text() if error is None else None for page in step.get("read", ())},
        "importers": found,
    }


def _main(steps_path: str, report_path: str) -> None:
    import io
    import logging

    root = Path.cwd()
    sys.path.append(str(root / "docs" / "hooks"))
    stream = io.StringIO()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(logging.StreamHandler(stream))
    logger.setLevel(logging.INFO)
    steps = json.loads(Path(steps_path).read_text(encoding="utf-8"))
    report = [_build(root, step, stream) for step in steps]
    Path(report_path).write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    _main(*sys.argv[1:])
