"""MkDocs hooks: figures, formulas and tables from the library, MathJax served locally.

- ``on_files`` renders every function in ``weightinit.figures.__all__`` to
  ``figures/<name>.svg`` as a generated file (nothing is written into docs/), with a
  cache keyed by the function's source and the library's code, and adds the
  self-hosted MathJax bundle.
- ``on_page_markdown`` replaces directives such as ``[[formula: he_normal]]`` with
  text taken from the ``SCHEMES`` registry or ``weightinit.tables``.
- ``on_post_page`` drops the CDN scripts mkdocs-jupyter writes into notebook pages.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import io
import logging
import os
import re
import shutil
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.weightinit")

ROOT = Path(__file__).resolve().parents[2]
# Tests point this at an empty folder to force a cold build.
CACHE = Path(os.environ.get("WEIGHTINIT_CACHE_DIR", ROOT / ".cache"))
MATHJAX = "assets/mathjax/tex-svg-full.js"


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


def figure_bytes(name: str, func, key: str) -> tuple[bytes, bool]:
    """SVG for ``func``, from the cache when neither it nor the library changed."""
    digest = hashlib.sha256(f"{key}\n{inspect.getsource(func)}".encode()).hexdigest()[:16]
    path = CACHE / "figures" / f"{name}-{digest}.svg"
    if path.is_file():
        return path.read_bytes(), True
    data = render_figure(name, func)
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"{name}-*.svg"):
        old.unlink()
    path.write_bytes(data)
    return data, False


def on_files(files, config):
    from weightinit import figures

    files.append(File.generated(config, MATHJAX, abs_src_path=str(_mathjax_source())))
    key = library_hash()
    start = time.perf_counter()
    for name in figures.__all__:
        t0 = time.perf_counter()
        try:
            data, cached = figure_bytes(name, getattr(figures, name), key)
        except Exception as exc:
            raise PluginError(f"figure {name!r} failed: {exc!r}") from exc
        files.append(File.generated(config, f"figures/{name}.svg", content=data))
        log.info("figure %-32s %6.2f s%s", name, time.perf_counter() - t0, " (cached)" if cached else "")
    log.info("figures: %d in %.2f s", len(figures.__all__), time.perf_counter() - start)
    return files


# ---------------------------------------------------------------------- markdown

DIRECTIVE = re.compile(r"\[\[(?P<kind>[a-z]+):\s*(?P<arg>[\w.-]+)\s*\]\]")


def _directive(kind: str, arg: str) -> str:
    from weightinit import schemes, tables

    if kind == "table":
        if arg not in tables.__all__:
            raise PluginError(f"unknown table {arg!r}; known: {', '.join(tables.__all__)}")
        return getattr(tables, arg)()
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
    raise PluginError(f"unknown directive [[{kind}: ...]]; known: formula, variance, bound, summary, reference, table")


def on_page_markdown(markdown, page, config, files):
    def replace(match):
        try:
            return _directive(match["kind"], match["arg"])
        except (ValueError, TypeError) as exc:
            raise PluginError(f"{page.file.src_uri}: {match[0]}: {exc}") from exc

    return DIRECTIVE.sub(replace, markdown)


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
