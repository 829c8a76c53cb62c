"""MkDocs hooks: figures, formulas, tables and values from the library.

- ``on_config`` makes this build import ``weightinit`` afresh from ``src/`` (``mkdocs
  serve`` keeps one process across rebuilds, so modules imported by the previous build
  would otherwise be reused).
- ``on_files`` adds every figure in the registry ``weightinit.figures.FIGURES`` as a
  generated file ``figures/<name>.svg`` (nothing is written into docs/). Renders are cached, each keyed on the code it uses: its
  function, the rest of its module, and the library modules these import,
  transitively. Figures to render run in new Python processes, which import the
  library as it is on disk, while the pages and notebooks build; ``on_env`` waits for
  them and stores them before the site is written.
- ``on_pre_page`` gives each notebook its own mkdocs-jupyter cache folder, keyed on the
  library modules the notebook imports, so a library edit re-executes only the
  notebooks that use the edited code.
- ``on_page_markdown`` replaces directives such as ``[[formula: he_normal]]`` with
  text taken from the ``SCHEMES`` registry, ``weightinit.tables`` or
  ``weightinit.values`` (numbers quoted in prose: ``[[value: name]]``), and
  ``[[figure: name]]`` with the figure, its alt text and its caption.
- ``on_page_content`` logs how long each notebook took to execute.
- ``on_post_page`` drops the CDN scripts mkdocs-jupyter writes into notebook pages.
"""

from __future__ import annotations

import ast
import hashlib
import html
import importlib
import importlib.util
import inspect
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

# Figure workers and notebook kernels inherit these: the figures' matrices are small,
# and an OpenBLAS thread pool per process on a shared machine slows them tenfold.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402
from mkdocs.utils import get_relative_url  # noqa: E402

log = logging.getLogger("mkdocs.hooks.weightinit")

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGE = "weightinit"
# Tests point this at an empty folder to force a cold build.
CACHE = Path(os.environ.get("WEIGHTINIT_CACHE_DIR", ROOT / ".cache"))


# ------------------------------------------------------------------ library code


def fresh_library() -> None:
    """Forget every ``weightinit`` module so that the next import reads ``src/`` as it is now."""
    if not sys.path or sys.path[0] != str(SRC):
        sys.path.insert(0, str(SRC))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    clear_caches()


def clear_caches() -> None:
    """Forget the parsed imports and digests of the library's files: they may have changed."""
    _module_imports.cache_clear()
    _closure_digest.cache_clear()


def module_path(name: str) -> Path | None:
    """The source file of library module `name` (``weightinit.x.y``), or None."""
    if name != PACKAGE and not name.startswith(PACKAGE + "."):
        return None
    base = SRC.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported_names(tree: ast.AST, package: str) -> set[str]:
    """Library modules named by the import statements of a parsed module (anywhere in it)."""
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
    return frozenset(_imported_names(ast.parse(path.read_bytes()), package))


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


def _versions() -> str:
    import matplotlib
    import numpy

    return f"numpy={numpy.__version__} matplotlib={matplotlib.__version__}"


@cache
def _closure_digest(names: frozenset[str]) -> bytes:
    """Digest of the source of `names` and every library module they import, transitively."""
    h = hashlib.sha256()
    for name in library_closure(names):
        h.update(f"\n# {name}\n".encode())
        h.update(module_path(name).read_bytes())
    return h.digest()


def _hash_modules(h, names) -> None:
    h.update(_closure_digest(frozenset(names)))


def figure_key(spec, figures: dict, sources: dict | None = None) -> str:
    """Cache key of one figure: the code it uses, and nothing it does not.

    The function's source, its module's source without the other figures' functions
    (helpers and imports stay in), the library modules that module imports
    (transitively), the renderer, and the numpy and matplotlib versions. `sources` maps
    figure names to their functions' source, computed once per build by `on_files`.
    """
    if sources is None:
        sources = {name: inspect.getsource(other.function) for name, other in figures.items()}
    h = hashlib.sha256(_versions().encode())
    h.update(sources[spec.name].encode())
    module = module_path(spec.module).read_text()
    for other in figures.values():
        if other.module == spec.module and other.name != spec.name:
            module = module.replace(sources[other.name], f"# figure {other.name}\n")
    h.update(module.encode())
    # The renderer's own settings shape the bytes; what it imports is the registry, all
    # of whose modules would otherwise count for every figure.
    h.update(module_path(f"{PACKAGE}.figures.render").read_bytes())
    _hash_modules(h, _module_imports(spec.module))
    return h.hexdigest()[:16]


def notebook_imports(path: Path) -> list[str]:
    """Library modules a notebook (jupytext percent format) imports, directly."""
    return sorted(_imported_names(ast.parse(path.read_bytes()), ""))


def notebook_key(path: Path) -> str:
    """Cache key of one notebook: its source and the library modules it imports, transitively."""
    h = hashlib.sha256(path.read_bytes())
    _hash_modules(h, notebook_imports(path))
    return h.hexdigest()[:16]


def figure_registry() -> dict:
    """``weightinit.figures.FIGURES``: figure name -> FigureSpec."""
    return importlib.import_module(f"{PACKAGE}.figures").FIGURES


# ------------------------------------------------------------------------ config


def on_config(config):
    fresh_library()
    return config


# ------------------------------------------------------------------------- files


def render_figure(name: str) -> bytes:
    """Render one registered figure to deterministic SVG bytes, in this process."""
    return importlib.import_module(f"{PACKAGE}.figures.render").render_svg(name)


class FigureWorkers:
    """Figures rendering in new Python processes, one per core, while the pages build.

    Each worker is ``python -m weightinit.figures.render`` with ``src/`` first on its path,
    so it imports the library as it is on disk: a forked worker would inherit whatever
    this process imported at an earlier build. (A plain process, not multiprocessing's
    "spawn", which would re-run the script that called the build.)
    """

    def __init__(self, names: list[str]):
        workers = max(1, min(len(names), os.cpu_count() or 1))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])])}
        self.out = tempfile.TemporaryDirectory()
        self.procs = [
            subprocess.Popen([sys.executable, "-m", f"{PACKAGE}.figures.render", self.out.name, *names[k::workers]],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for k in range(workers)
        ]

    def results(self) -> list[tuple[str, bytes | None, str | None, float]]:
        """Wait for every worker: ``(name, svg, traceback, seconds)`` per figure."""
        results = []
        try:
            for proc in self.procs:
                stdout, stderr = proc.communicate()
                answered = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
                for r in answered:
                    path = Path(self.out.name) / f"{r['name']}.svg"
                    data = path.read_bytes() if r["error"] is None else None
                    results.append((r["name"], data, r["error"], r["seconds"]))
                for name in sorted(set(proc.args[4:]) - {r["name"] for r in answered}):
                    # The worker died before answering for this figure: its stderr says why.
                    results.append((name, None, f"the worker stopped (exit {proc.returncode}):\n{stderr}", 0.0))
        finally:
            self.stop()
        return results

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        self.out.cleanup()


def render_figures(names: list[str]) -> list[tuple[str, bytes | None, str | None, float]]:
    """Render figures and wait: one here (the imports are current, see `fresh_library`),
    several in `FigureWorkers`."""
    if len(names) == 1:
        return [importlib.import_module(f"{PACKAGE}.figures.render").render_task(names[0])]
    return FigureWorkers(names).results() if names else []


# The figures of the build under way that are still rendering, and where they go.
_PENDING: dict = {}


def _store(results, paths) -> None:
    """Write rendered figures into the cache; a failure stops the build, naming the figure."""
    failed = [f"figure {name!r} failed:\n{error}" for name, _, error, _ in results if error]
    if failed:
        raise PluginError("\n".join(failed))
    for name, data, _, seconds in results:
        path = paths[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{name}-*.svg"):
            old.unlink()
        path.write_bytes(data)
        log.info("figure %-32s %6.2f s", name, seconds)


def on_files(files, config):
    start = time.perf_counter()
    figures = figure_registry()
    store = CACHE / "figures"
    sources = {name: inspect.getsource(spec.function) for name, spec in figures.items()}
    paths = {name: store / f"{name}-{figure_key(spec, figures, sources)}.svg" for name, spec in sorted(figures.items())}
    todo = [name for name, path in paths.items() if not path.is_file()]
    for name, path in paths.items():
        if name not in todo:
            log.info("figure %-32s %6.2f s (cached)", name, 0.0)
        # The file is read when the site is written, after on_env has stored every render.
        files.append(File.generated(config, f"figures/{name}.svg", abs_src_path=str(path)))
    if len(todo) == 1:
        _store(render_figures(todo), paths)
    elif todo:
        # Rendered while the pages (and notebooks) build; on_env waits for them.
        _PENDING.update(workers=FigureWorkers(todo), paths=paths, start=start, count=(len(figures), len(todo)))
        return files
    log.info("figures: %d (%d rendered) in %.2f s", len(figures), len(todo), time.perf_counter() - start)
    return files


def on_env(env, config, files):
    if _PENDING:
        pending = dict(_PENDING)
        _PENDING.clear()
        _store(pending["workers"].results(), pending["paths"])
        log.info("figures: %d (%d rendered) in %.2f s, alongside the pages", *pending["count"],
                 time.perf_counter() - pending["start"])
    return env


def on_build_error(error, **kwargs):
    if _PENDING:
        _PENDING.pop("workers").stop()
        _PENDING.clear()


# ------------------------------------------------------------------------- pages


# Whether each notebook's output came from the cache, for the build log (page.meta is
# replaced when the page's source is read, after on_pre_page).
_NOTEBOOK_CACHED: dict[str, bool] = {}


@event_priority(100)  # before mkdocs-jupyter's on_pre_page reads its cache_dir
def on_pre_page(page, config, files):
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None or not jupyter.config["cache"] or not page.file.src_uri.endswith(".py"):
        return page
    # mkdocs-jupyter keys its cache on the notebook's bytes only; one folder per notebook
    # and library key makes an edit re-execute exactly the notebooks that import it.
    path = Path(page.file.abs_src_path)
    base = CACHE / "mkdocs-jupyter" / path.stem
    folder = base / notebook_key(path)
    for old in base.glob("*"):
        if old.is_dir() and old != folder:
            shutil.rmtree(old, ignore_errors=True)
    jupyter.config["cache_dir"] = str(folder)
    _NOTEBOOK_CACHED[page.file.src_uri] = any(folder.glob("*.json"))
    return page


# ---------------------------------------------------------------------- markdown

DIRECTIVE = re.compile(r"\[\[(?P<kind>[a-z]+):\s*(?P<arg>[\w.-]+)\s*\]\]")
KINDS = ("formula", "variance", "bound", "summary", "reference", "table", "value", "figure")


def figure_markdown(name: str, src_uri: str) -> str:
    """A registered figure as a Markdown image with its alt text, and its caption below."""
    figures = figure_registry()
    if name not in figures:
        raise PluginError(f"unknown figure {name!r}; known: {', '.join(sorted(figures))}")
    spec = figures[name]
    depth = src_uri.count("/")
    src = "../" * depth + f"figures/{name}.svg"
    alt = spec.alt.replace("[", "(").replace("]", ")")
    return (f'<figure markdown="span">\n![{alt}]({src})\n'
            f"<figcaption>{html.escape(spec.caption, quote=False)}</figcaption>\n</figure>")


def _directive(kind: str, arg: str, src_uri: str) -> str:
    from weightinit import schemes, tables, values

    if kind == "figure":
        return figure_markdown(arg, src_uri)
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
    raise PluginError(f"unknown directive [[{kind}: ...]]; known: {', '.join(KINDS)}")


def on_page_markdown(markdown, page, config, files):
    page.meta["_render_start"] = time.perf_counter()

    def replace(match):
        try:
            return _directive(match["kind"], match["arg"], page.file.src_uri)
        except (ValueError, TypeError) as exc:
            raise PluginError(f"{page.file.src_uri}: {match[0]}: {exc}") from exc

    return DIRECTIVE.sub(replace, markdown)


def on_page_content(html_text, page, config, files):
    notebook = page.file.src_uri.endswith(".py")
    if notebook:
        # For notebooks, rendering is executing: log it like the figures.
        seconds = time.perf_counter() - page.meta.pop("_render_start")
        cached = " (cached)" if _NOTEBOOK_CACHED.pop(page.file.src_uri, False) else ""
        log.info("notebook %-30s %6.2f s%s", page.file.src_uri, seconds, cached)
    return html_text


# ------------------------------------------------------------------------ output

# mkdocs-jupyter writes a MathJax 2 configuration, an empty MathJax tag and a module
# that imports mermaid from a CDN into notebook pages; the site's math is MathML.
_NOTEBOOK_SCRIPTS = re.compile(
    r"<script[^>]*\ssrc=\"(?:(?:https?:)?//[^\"]*)?\"[^>]*>\s*</script>"
    r"|<script type=\"text/x-mathjax-config\">.*?</script>"
    r"|<script type=\"module\">(?:(?!</script>).)*?import\(\"https://.*?</script>",
    re.S,
)


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".py"):
        return output
    return _NOTEBOOK_SCRIPTS.sub("", output)
