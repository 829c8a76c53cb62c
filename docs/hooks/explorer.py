"""MkDocs hook: the explorer page's data, computed by `weightinit_site.explorer` at build time.

- ``on_env`` adds every file of `weightinit_site.explorer.explorer_files` as a generated
  file under ``explorer/data/`` (nothing is written into docs/). The files are cached in
  ``.cache/explorer/<key>/``, the key being a hash of NumPy's version and the source of
  ``explorer.py`` and of every library module it imports, directly or not. When the
  cache is cold, ``on_files`` starts the grid on every core and the pages build while
  it runs.
- ``on_page_markdown`` fills the explorer page's placeholders (``<!-- explorer:NAME -->``)
  with the form controls and the numbers the page quotes, taken from the same module.
- ``on_post_page`` links the page's stylesheet and script into that page only, so the
  other pages do not load them.
"""

from __future__ import annotations

import ast
import hashlib
import html
import logging
import math
import multiprocessing
import os
import re
import shutil
import time
from pathlib import Path

# One BLAS thread per process: the grid is spread over processes instead.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.explorer")

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"
PACKAGES = ("weightinit", "weightinit_site")
CACHE = Path(os.environ.get("WEIGHTINIT_CACHE_DIR", ROOT / ".cache")) / "explorer"
PAGE = "explorer/index.md"
DATA = "explorer/data"


def _module_path(name: str) -> Path | None:
    if name.split(".")[0] not in PACKAGES:
        return None
    base = SRC.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def modules_used(name: str = "weightinit_site.explorer") -> list[Path]:
    """The source files of the modules `name` imports, directly or not, itself included
    (a package's ``__init__`` only where it is imported by name)."""
    seen, todo = {}, [name]
    while todo:
        module = todo.pop()
        path = _module_path(module)
        if module in seen or path is None:
            continue
        seen[module] = path
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                todo.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    todo.append(sub if _module_path(sub) else base)
    return sorted(seen.values())


def code_key() -> str:
    """Hash of NumPy's version and the code the explorer's data depends on."""
    import numpy

    h = hashlib.sha256(f"numpy={numpy.__version__}".encode())
    for path in modules_used():
        h.update(path.relative_to(ROOT).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class _Grid:
    """The grid computed while the pages build: a pool of processes, one per core, fed
    from a thread of this process; `result` waits for it.

    The pool is forked here, in the main thread, before the feeding thread starts (a
    fork from a process with other threads running could copy a held lock).
    """

    def __init__(self):
        import threading

        from weightinit_site import explorer

        workers = os.cpu_count() or 1
        self.pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
        jobs = (lambda f, args: self.pool.starmap(f, args, chunksize=1)) if self.pool else None
        self.files, self.error = None, None

        def run():
            try:
                self.files = explorer.explorer_files(jobs)
            except BaseException as exc:  # noqa: BLE001 - raised in the build's thread by result()
                self.error = exc

        self.thread = threading.Thread(target=run, name="explorer-grid", daemon=True)
        self.thread.start()

    def result(self) -> dict:
        self.thread.join()
        self.close()
        if self.error is not None:
            raise PluginError(f"the explorer's data failed: {self.error!r}") from self.error
        return self.files

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


_BUILD: dict = {}


def _store(folder: Path, files: dict) -> None:
    if CACHE.is_dir():
        for old in CACHE.iterdir():
            if old.is_dir() and old != folder:
                shutil.rmtree(old, ignore_errors=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (folder / ".complete").write_text("\n".join(sorted(files)))


def on_files(files, config):
    _BUILD.clear()
    folder = CACHE / code_key()
    done = folder / ".complete"
    _BUILD.update(folder=folder, start=time.perf_counter())
    if not done.is_file():
        # A cold cache: the grid runs alongside the pages; on_env adds its files.
        _BUILD["grid"] = _Grid()
    return files


def on_env(env, config, files):
    folder, grid = _BUILD["folder"], _BUILD.pop("grid", None)
    if grid is not None:
        _store(folder, grid.result())
    names = (folder / ".complete").read_text().split()
    for name in names:
        files.append(File.generated(config, f"{DATA}/{name}", abs_src_path=str(folder / name)))
    size = sum((folder / n).stat().st_size for n in names) / 1000
    if grid is None:
        log.info("explorer: %d data files, %.0f kB (cached)", len(names), size)
    else:
        log.info("explorer: %d data files, %.0f kB, in %.2f s, alongside the pages", len(names), size,
                 time.perf_counter() - _BUILD["start"])
    return env


def on_build_error(error, **kwargs):
    grid = _BUILD.pop("grid", None)
    if grid is not None:
        grid.close()


# ---------------------------------------------------------------------- the page


def _select(name: str, label: str, options, default) -> str:
    items = "".join(
        f'<option value="{html.escape(str(o))}"{" selected" if o == default else ""}>{html.escape(str(o))}</option>'
        for o in options
    )
    return (
        f'<label class="wi-explorer__control"><span>{label}</span>'
        f'<select name="{name}" id="explorer-{name}">{items}</select></label>'
    )


def _placeholders() -> dict:
    from weightinit_site import explorer as e

    controls = (
        '<form id="explorer-form" class="wi-explorer__controls" aria-controls="explorer-table">'
        + _select("scheme", "Scheme", e.SCHEMES, "lecun_normal")
        + _select("activation", "Activation", e.ACTIVATIONS_SHOWN, "tanh")
        + _select("depth", "Depth", e.DEPTHS, 10)
        + _select("width", "Width", e.WIDTHS, 500)
        + "</form>"
    )
    grad = ", ".join(f"{e.grad_samples(w, e.N_SAMPLES)} at width {w}" for w in e.WIDTHS)
    jac = ", ".join(
        f"{e.jacobian_inputs(w, e.N_SAMPLES)} input{'s' if e.jacobian_inputs(w, e.N_SAMPLES) > 1 else ''} at width {w}"
        for w in e.WIDTHS
    )
    return {
        "controls": controls,
        "jacobian-inputs": jac,
        "min-jacobian-values": str(e.MIN_JACOBIAN_VALUES),
        "jacobian-resolution": f"10<sup>{round(math.log10(e.JACOBIAN_RESOLUTION))}</sup>",
        "jacobian-bin": f"{e.JACOBIAN_BIN:g}",
        "n-samples": str(e.N_SAMPLES),
        "grad-samples": grad,
        "min-grad-values": f"{e.MIN_GRAD_VALUES:,}",
        "depths": ", ".join(map(str, e.DEPTHS)),
        "saturation": f"{e.SATURATION:.0%}",
        "hist-bins": str(e.HIST_BINS),
        "seed": str(e.SEED),
    }


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != PAGE:
        return markdown
    values = _placeholders()

    def fill(name):
        if name not in values:
            raise PluginError(f"{PAGE}: unknown placeholder explorer:{name}; known: {', '.join(values)}")
        return values[name]

    return re.sub(r"<!-- explorer:([\w-]+) -->", lambda m: fill(m[1]), markdown)


# The page's own stylesheet and script, relative to explorer/index.html.
ASSETS_HEAD = '<link rel="stylesheet" href="explorer.css">'
ASSETS_BODY = '<script src="../javascripts/explorer.js" defer></script>'


def on_post_page(output, page, config):
    if page.file.src_uri != PAGE:
        return output
    if "</head>" not in output or "</body>" not in output:
        raise PluginError(f"{PAGE}: no </head> or </body> to link explorer.css and explorer.js into")
    output = output.replace("</head>", ASSETS_HEAD + "</head>", 1)
    return output.replace("</body>", ASSETS_BODY + "</body>", 1)
