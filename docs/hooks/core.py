"""The build's core, shared by the hooks: cache keys, the cache's store, the one pool, the log.

- `key` is the one cache key: what a result is computed from (its code, and the library
  modules that code imports, transitively) and the versions of every package the build
  runs on (`VERSIONED`, and Python's). Figures, tables, values, notebooks, the
  explorer's data and the pages all use it, so an upgrade of any of those packages
  recomputes every cached result.
- `store` writes one cached result (``NAME-KEY.ext`` under ``.cache/KIND/``) and drops
  its older versions.
- `submit` hands a computation to the build's one pool of worker processes
  (``concurrent.futures.ProcessPoolExecutor``, spawn context: each worker imports the
  library from ``src/`` as it is on disk). The pool starts with the first task that
  needs it and stops with the build (`stop`); `result` waits for one task.
- `log_item` writes one line of the build log and `read_log` reads them back (the tests
  and ``make bench-site`` read the log through it).

This module is not a hook: the hooks import it (MkDocs puts their folder on the path).
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import logging
import os
import re
import shutil
import sys
import time
import traceback
from functools import cache
from importlib import metadata
from pathlib import Path

# Workers and notebook kernels inherit these: the computations' matrices are small, and
# an OpenBLAS thread pool per process on a shared machine slows them tenfold.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

log = logging.getLogger("mkdocs.hooks.core")

HOOKS = Path(__file__).resolve().parent
ROOT = HOOKS.parents[1]
SRC = ROOT / "src"
# The library a reader installs, and the site's own computations (not in the wheel).
PACKAGES = ("weightinit", "weightinit_site")
# Tests point this at an empty folder to force a cold build.
CACHE = Path(os.environ.get("WEIGHTINIT_CACHE_DIR", ROOT / ".cache"))

VERSIONED = (
    # What the figures, tables, values, explorer data and notebooks compute with.
    "numpy", "scipy", "matplotlib",
    # What executes and converts the notebooks.
    "mkdocs-jupyter", "nbconvert", "nbclient", "ipykernel", "jupytext",
    # What turns a page's Markdown into HTML and search entries.
    "mkdocs", "markdown", "pymdown-extensions", "pygments", "mkdocs-material", "mkdocs-autorefs",
    "mkdocstrings", "mkdocstrings-python", "griffelib",
    # What turns a page's HTML into the Markdown of llms.txt.
    "mkdocs-llmstxt", "beautifulsoup4", "soupsieve", "markdownify", "mdformat", "mdformat-tables", "wcwidth",
    "markdown-it-py",
    # What prunes the notebooks' stylesheet.
    "tinycss2",
)
"""The packages whose versions every cache key holds."""


# ------------------------------------------------------------------ library code


def fresh_library() -> None:
    """Forget every library module, parsed import and digest, so that the next import and
    the next key read ``src/`` as it is now (``mkdocs serve`` keeps one process)."""
    if str(SRC) not in sys.path[:1]:
        sys.path.insert(0, str(SRC))
    for name in [m for m in sys.modules if m.split(".")[0] in PACKAGES]:
        del sys.modules[name]
    importlib.invalidate_caches()
    _module_imports.cache_clear()
    _closure_digest.cache_clear()
    versions.cache_clear()


def module_path(name: str) -> Path | None:
    """The source file of module `name` (``weightinit.x.y``, ``weightinit_site.x``), or None."""
    if name.split(".")[0] not in PACKAGES:
        return None
    base = SRC.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def imported_names(tree: ast.AST, package: str) -> set[str]:
    """Library modules named by the import statements of a parsed module (anywhere in
    it, lazy imports inside functions included)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            for alias in node.names:
                # `from pkg import name` imports a submodule if there is one, else reads pkg.
                sub = f"{base}.{alias.name}"
                found.add(sub if module_path(sub) else base)
    return {name for name in found if module_path(name)}


@cache
def _module_imports(name: str) -> frozenset[str]:
    path = module_path(name)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return frozenset(imported_names(ast.parse(path.read_bytes()), package))


def module_imports(name: str) -> frozenset[str]:
    """The library modules module `name` imports directly."""
    return _module_imports(name)


def library_closure(names) -> list[str]:
    """`names` and every library module they import, transitively, sorted.

    A package's ``__init__`` counts only where it is imported by name: importing
    ``weightinit.experiments`` runs ``weightinit/__init__.py`` too, but what the code
    computes depends only on the modules it calls into.
    """
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name not in seen and module_path(name):
            seen.add(name)
            todo.extend(_module_imports(name))
    return sorted(seen)


@cache
def _closure_digest(names: frozenset[str]) -> bytes:
    h = hashlib.sha256()
    for name in library_closure(names):
        h.update(f"\n# {name}\n".encode())
        h.update(module_path(name).read_bytes())
    return h.digest()


# A page's directive: ``[[figure: name]]``, ``[[table: name]]``, ``[[formula: he_normal]]``...
# ``tasks.py`` plans the tables and values the pages quote; ``directives.py`` replaces them.
DIRECTIVE = re.compile(r"\[\[(?P<kind>[a-z]+):\s*(?P<arg>[\w.-]+)\s*\]\]")


# ------------------------------------------------------------------------ keys


def package_version(name: str) -> str:
    """The installed version of package `name`, as its metadata says ("-" if absent)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@cache
def versions() -> str:
    """Python's version and those of `VERSIONED`, one string (read once per build)."""
    found = [f"python={sys.version_info.major}.{sys.version_info.minor}.{sys.version_info.micro}"]
    return " ".join(found + [f"{name}={package_version(name)}" for name in VERSIONED])


def key(*code, modules=()) -> str:
    """The cache key of a result computed by `code` (strings or bytes: sources, settings)
    and by the library `modules` and all they import, under the packages' `versions`."""
    h = hashlib.sha256(versions().encode())
    for part in code:
        h.update(b"\n\0")
        h.update(part if isinstance(part, bytes) else str(part).encode())
    h.update(_closure_digest(frozenset(modules)))
    return h.hexdigest()[:16]


def entry(kind: str, name: str, key: str, suffix: str = "") -> Path:
    """Where the result `name` of `kind`, computed under `key`, is cached."""
    return CACHE / kind / (re.sub(r"[^\w.-]", "_", name) + f"-{key}{suffix}")


_ENTRY = re.compile(r"(?P<name>.+)-[0-9a-f]{16}(?P<suffix>(?:\.[a-z]+)*)")


def store(path: Path, data: bytes, version: Path | None = None) -> None:
    """Write `data` to `path` atomically (a reader never sees half a file), then drop the
    older versions of the `entry` it belongs to (`version`, a folder, or `path` itself):
    the same name and suffix under another key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    version = version or path
    this = _ENTRY.fullmatch(version.name)
    for old in version.parent.glob(f"{this['name']}-*{this['suffix']}"):
        other = _ENTRY.fullmatch(old.name)
        if old != version and other and (other["name"], other["suffix"]) == (this["name"], this["suffix"]):
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)


# ------------------------------------------------------------------------ the pool


def _paths() -> None:
    """The library first on the path, and the hooks' folder last: a worker (which
    copies this path) unpickles `call` from this module and imports the library from src/."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    if str(HOOKS) not in sys.path:
        sys.path.append(str(HOOKS))


def call(target: str, args: tuple = ()):
    """Run ``module:function(*args)`` in a worker; ``(result, seconds, traceback or None)``."""
    start = time.perf_counter()
    try:
        _paths()
        module, _, function = target.partition(":")
        result = getattr(importlib.import_module(module), function)(*args)
    except Exception:  # noqa: BLE001 - reported by the build with the task's name
        return None, time.perf_counter() - start, traceback.format_exc()
    return result, time.perf_counter() - start, None


_BUILD: dict = {}


def start_build() -> None:
    """Forget the previous build's tasks (`mkdocs serve` keeps this module)."""
    stop()
    _BUILD.clear()
    _BUILD.update(tasks={}, start=time.perf_counter())


def plan(task_id: str, target: str, args: tuple = (), rank: int = 1) -> None:
    """Plan task `task_id`: ``target(*args)`` (``module:function``). `launch` hands the
    planned tasks to the pool, lowest `rank` first (what the pages wait for: 0)."""
    _BUILD["tasks"].setdefault(task_id, {"target": target, "args": args, "rank": rank, "future": None})


def planned(task_id: str) -> bool:
    return task_id in _BUILD.get("tasks", {})


def launch() -> None:
    """Start the build's one pool and hand it every planned task, unless there is only
    one: that runs in this process when `result` asks for it (starting a pool of new
    Python processes would cost more than it saves)."""
    tasks = [t for t in _BUILD["tasks"].values() if t["future"] is None and "done" not in t]
    if len(tasks) < 2 and _BUILD.get("pool") is None:
        return
    for task in sorted(tasks, key=lambda t: t["rank"]):
        task["future"] = _pool().submit(call, task["target"], task["args"])


def _pool():
    if _BUILD.get("pool") is None:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        _paths()
        workers = os.cpu_count() or 1
        _BUILD["pool"] = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
        log.info(POOL_LINE, workers)
    return _BUILD["pool"]


def result(task_id: str):
    """``(result, seconds)`` of a planned task, once done; a failure raises `TaskError`."""
    task = _BUILD["tasks"][task_id]
    if "done" not in task:
        if task["future"] is None:
            task["done"] = call(task["target"], task["args"])
        else:
            try:
                task["done"] = task["future"].result()
            except Exception as exc:  # noqa: BLE001 - a worker that died
                task["done"] = (None, 0.0, f"the build's workers stopped before it was done: {exc!r}")
    value, seconds, error = task["done"]
    if error:
        raise TaskError(error)
    return value, seconds


def finish(task_id: str, kind: str, name: str, path: Path, version: Path | None = None) -> None:
    """Wait for a planned task, `store` its result at `path` and log it (once); a failure
    stops the build, naming the item."""
    task = _BUILD["tasks"][task_id]
    if task.get("stored"):
        return
    try:
        value, seconds = result(task_id)
    except TaskError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"{kind} {name} failed:\n{exc}") from None
    store(path, value if isinstance(value, bytes) else value.encode("utf-8"), version)
    task["stored"] = True
    log_item(kind, name, seconds)


def per_build(name: str, compute):
    """`compute()`, once per build."""
    memo = _BUILD.setdefault("memo", {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def since_start() -> float:
    """Seconds since the build started."""
    return time.perf_counter() - _BUILD["start"]


class TaskError(Exception):
    """A task failed; the message is its traceback."""


def stop() -> None:
    """Stop the build's pool (at the end of a build, or when it fails)."""
    pool = _BUILD.pop("pool", None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------------- the log

POOL_LINE = "pool: %d worker processes"
PAGES_LINE = "pages: %d of %d converted from the cache, %d of %d indexed from it"
MARKDOWN_LINE = "llms.txt: %d of %d pages' Markdown from the cache"
ITEM_KINDS = ("figure", "table", "value", "notebook", "explorer")


def log_item(kind: str, name: str, seconds: float, cached: bool = False) -> None:
    """One line of the build log: an item computed (or taken from the cache) and its time."""
    log.info("%s %-*s %6.2f s%s", kind, 38 - len(kind), name, seconds, " (cached)" if cached else "")


_ITEM = re.compile(r"\b(?P<kind>%s) (?P<name>\S+)\s+(?P<seconds>\d+\.\d+) s(?P<cached> \(cached\))?$"
                   % "|".join(ITEM_KINDS), re.M)
_POOL, _PAGES, _MARKDOWN = (re.compile(re.escape(line).replace("%d", r"(\d+)"))
                            for line in (POOL_LINE, PAGES_LINE, MARKDOWN_LINE))


def read_log(text: str) -> dict:
    """What a build log says: ``computed`` and ``cached`` items, each ``(kind, name,
    seconds)``; ``pools``, the number of worker pools started; ``pages``, the page
    cache's ``(converted from it, pages, indexed from it, indexed)`` or None; ``markdown``,
    its ``(pages' Markdown for llms.txt from it, pages)`` or None."""
    items = [(m["kind"], m["name"], float(m["seconds"]), bool(m["cached"])) for m in _ITEM.finditer(text)]
    pages, markdown = _PAGES.search(text), _MARKDOWN.search(text)
    return {"computed": [i[:3] for i in items if not i[3]], "cached": [i[:3] for i in items if i[3]],
            "pools": len(_POOL.findall(text)), "pages": tuple(map(int, pages.groups())) if pages else None,
            "markdown": tuple(map(int, markdown.groups())) if markdown else None}
