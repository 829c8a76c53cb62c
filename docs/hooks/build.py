"""MkDocs hooks: figures, formulas and tables from the library, MathJax served locally.

- ``on_files`` renders every function listed in ``__all__`` of the figure modules
  (``FIGURE_MODULES``) to ``figures/<name>.svg`` as a generated file (nothing is
  written into docs/), with a cache keyed by the function's source and the
  library's code, and adds the self-hosted MathJax bundle.
- ``on_page_content`` logs how long each notebook took to execute.
- ``on_page_markdown`` replaces directives such as ``[[formula: he_normal]]`` with
  text taken from the ``SCHEMES`` registry, ``weightinit.tables`` or
  ``weightinit.values`` (numbers quoted in prose: ``[[value: name]]``).
- ``on_post_page`` drops the CDN scripts mkdocs-jupyter writes into notebook pages.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import io
import logging
import multiprocessing
import os
import queue
import re
import shutil
import time
from pathlib import Path

# Figures render in forked workers; an OpenBLAS thread pool inherited through fork
# spins and slows them tenfold. The figures' matrices are small: one thread each.
# MkDocs loads this hook before anything imports numpy, and notebook kernels inherit it.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.weightinit")

ROOT = Path(__file__).resolve().parents[2]
# Tests point this at an empty folder to force a cold build.
CACHE = Path(os.environ.get("WEIGHTINIT_CACHE_DIR", ROOT / ".cache"))
MATHJAX = "assets/mathjax/tex-svg-full.js"
# One function per figure; the modules split them by the part of the site they serve.
FIGURE_MODULES = (
    "weightinit.figures",
    "weightinit.figures_structured",
    "weightinit.figures_experiments",
    "weightinit.figures_architectures",
    "weightinit.figures_practice",
)


def figure_functions() -> dict:
    """Every figure function by name, from all figure modules; names must be unique."""
    found = {}
    for module_name in FIGURE_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            if name in found:
                raise PluginError(f"figure {name!r} is defined in two figure modules")
            found[name] = getattr(module, name)
    return found


def library_hash() -> str:
    """Hash of the library's code and the versions that shape its output."""
    import matplotlib
    import numpy

    h = hashlib.sha256(f"numpy={numpy.__version__} matplotlib={matplotlib.__version__}".encode())
    for path in sorted((ROOT / "src" / "weightinit").rglob("*.py")):
        h.update(path.relative_to(ROOT).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


# ------------------------------------------------------------------------ config


def on_config(config):
    # mkdocs-jupyter keys its cache on the notebook's bytes only; a cache folder
    # per library version makes a library change re-execute every notebook.
    key = library_hash()
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None and jupyter.config["cache"]:
        base = CACHE / "mkdocs-jupyter"
        for old in base.glob("*"):
            if old.is_dir() and old.name != key:
                shutil.rmtree(old, ignore_errors=True)
        jupyter.config["cache_dir"] = str(base / key)
    return config


# ------------------------------------------------------------------------- files


def _mathjax_source() -> Path:
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise PluginError("MathJax is missing: install the docs extra (django-static-mathjax)")
    path = Path(next(iter(spec.submodule_search_locations))) / "static/mathjax/es5/tex-svg-full.js"
    if not path.is_file():
        raise PluginError(f"MathJax bundle not found at {path}")
    return path


def render_figure(name: str, func) -> bytes:
    """Render one figure function to deterministic SVG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    with matplotlib.rc_context({"svg.hashsalt": f"weightinit-{name}", "svg.fonttype": "path"}):
        fig = func()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buf.getvalue()


def _cache_path(name: str, func, key: str) -> Path:
    """Cache file of one figure, keyed by its function's source and the library's code."""
    digest = hashlib.sha256(f"{key}\n{inspect.getsource(func)}".encode()).hexdigest()[:16]
    return CACHE / "figures" / f"{name}-{digest}.svg"


def _render_one(name: str) -> tuple[str, bytes | str, float]:
    """Worker: render one figure; errors come back as text so the build can name the figure."""
    t0 = time.perf_counter()
    try:
        data = render_figure(name, figure_functions()[name])
    except Exception as exc:  # noqa: BLE001 - reported by on_files with the figure's name
        return name, f"{type(exc).__name__}: {exc}", time.perf_counter() - t0
    return name, data, time.perf_counter() - t0


def render_figures(names: list[str]) -> list[tuple[str, bytes | str, float]]:
    """Render figures on every core: they are independent and CPU-bound.

    Forked workers inherit the figure functions, so nothing but names and SVG bytes
    crosses between processes (the hook module cannot be pickled by reference).
    """
    workers = min(len(names), os.cpu_count() or 1)
    if workers < 2:
        return [_render_one(n) for n in names]
    ctx = multiprocessing.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    for name in names + [None] * workers:
        tasks.put(name)

    def work():
        for name in iter(tasks.get, None):
            results.put(_render_one(name))

    procs = [ctx.Process(target=work, daemon=True) for _ in range(workers)]
    for proc in procs:
        proc.start()
    try:
        return [results.get(timeout=600) for _ in names]
    except queue.Empty:
        raise PluginError("a figure worker stopped without answering") from None
    finally:
        for proc in procs:
            proc.join(timeout=5)


def on_files(files, config):
    files.append(File.generated(config, MATHJAX, abs_src_path=str(_mathjax_source())))
    start = time.perf_counter()
    key = library_hash()
    functions = figure_functions()
    paths = {name: _cache_path(name, func, key) for name, func in functions.items()}
    todo = [name for name, path in paths.items() if not path.is_file()]
    rendered = {name: (data, seconds) for name, data, seconds in render_figures(todo)} if todo else {}
    for name, path in paths.items():
        if name in rendered:
            data, seconds = rendered[name]
            if isinstance(data, str):
                raise PluginError(f"figure {name!r} failed: {data}")
            path.parent.mkdir(parents=True, exist_ok=True)
            for old in path.parent.glob(f"{name}-*.svg"):
                old.unlink()
            path.write_bytes(data)
            log.info("figure %-32s %6.2f s", name, seconds)
        else:
            data = path.read_bytes()
            log.info("figure %-32s %6.2f s (cached)", name, 0.0)
        files.append(File.generated(config, f"figures/{name}.svg", content=data))
    log.info("figures: %d (%d rendered) in %.2f s", len(functions), len(todo), time.perf_counter() - start)
    return files


# ---------------------------------------------------------------------- markdown

DIRECTIVE = re.compile(r"\[\[(?P<kind>[a-z]+):\s*(?P<arg>[\w.-]+)\s*\]\]")


def _directive(kind: str, arg: str) -> str:
    from weightinit import schemes, tables, values

    if kind == "table":
        if arg not in tables.__all__:
            raise PluginError(f"unknown table {arg!r}; known: {', '.join(tables.__all__)}")
        return getattr(tables, arg)()
    if kind == "value":
        if arg not in values.__all__:
            raise PluginError(f"unknown value {arg!r}; known: {', '.join(values.__all__)}")
        return values.__dict__[arg]()
    s = schemes.scheme(arg)
    if kind == "formula":
        return f"\n$$\n{s.formula}\n$$\n"
    if kind == "variance":
        return f"${s.variance_tex}$"
    if kind == "bound":
        if s.bound_tex is None:
            raise PluginError(f"scheme {arg!r} has no bound")
        return f"${s.bound_tex}$"
    if kind == "summary":
        return s.summary
    if kind == "reference":
        if s.reference is None:
            raise PluginError(f"scheme {arg!r} has no reference")
        return s.reference.markdown()
    raise PluginError(f"unknown directive [[{kind}: ...]]; known: formula, variance, bound, summary, reference, table, value")


def on_page_markdown(markdown, page, config, files):
    page.meta["_render_start"] = time.perf_counter()

    def replace(match):
        try:
            return _directive(match["kind"], match["arg"])
        except (ValueError, TypeError) as exc:
            raise PluginError(f"{page.file.src_uri}: {match[0]}: {exc}") from exc

    return DIRECTIVE.sub(replace, markdown)


def on_page_content(html, page, config, files):
    # For notebooks, rendering is executing: log it like the figures.
    if page.file.src_uri.endswith(".py"):
        log.info("notebook %-30s %6.2f s", page.file.src_uri, time.perf_counter() - page.meta.pop("_render_start"))
    return html


# ------------------------------------------------------------------------ output

# mkdocs-jupyter writes a MathJax 2 configuration, an empty MathJax tag and a module
# that imports mermaid from a CDN into notebook pages; the site serves its own MathJax.
_NOTEBOOK_SCRIPTS = re.compile(
    r"<script[^>]*\ssrc=\"(?:(?:https?:)?//[^\"]*)?\"[^>]*>\s*</script>"
    r"|<script type=\"text/x-mathjax-config\">.*?</script>"
    r"|<script type=\"module\">(?:(?!</script>).)*?import\(\"https://.*?</script>",
    re.S,
)


def on_post_page(output, page, config):
    return _NOTEBOOK_SCRIPTS.sub("", output)
