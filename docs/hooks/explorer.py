"""MkDocs hook: the explorer page's data, computed by `weightinit.explorer` at build time.

- ``on_files`` adds every file of `weightinit.explorer.explorer_files` as a generated
  file under ``explorer/data/`` (nothing is written into docs/). The files are cached in
  ``.cache/explorer/<key>/``, the key being a hash of NumPy's version and the source of
  ``explorer.py`` and of every library module it imports, directly or not; the grid
  runs on every core when the cache is cold.
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
PACKAGE = ROOT / "src" / "weightinit"
CACHE = Path(os.environ.get("WEIGHTINIT_CACHE_DIR", ROOT / ".cache")) / "explorer"
PAGE = "explorer/index.md"
DATA = "explorer/data"


def modules_used(name: str = "explorer") -> list[Path]:
    """The library modules `name` imports, directly or not, itself included."""
    seen, todo = set(), [name]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        path = PACKAGE / f"{module}.py"
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    todo.append(node.module.split(".")[0])
                else:
                    todo.extend(alias.name for alias in node.names)
    return sorted(PACKAGE / f"{m}.py" for m in seen)


def code_key() -> str:
    """Hash of NumPy's version and the code the explorer's data depends on."""
    import numpy

    h = hashlib.sha256(f"numpy={numpy.__version__}".encode())
    for path in modules_used():
        h.update(path.relative_to(ROOT).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _compute() -> dict:
    from weightinit import explorer

    workers = os.cpu_count() or 1
    if workers < 2:
        return explorer.explorer_files()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return explorer.explorer_files(lambda f, args: pool.starmap(f, args, chunksize=1))


def data_files() -> tuple[dict, bool]:
    """The data files by path, from the cache or computed; and whether they were cached."""
    folder = CACHE / code_key()
    done = folder / ".complete"
    if done.is_file():
        names = done.read_text().split()
        return {name: (folder / name).read_bytes() for name in names}, True
    files = _compute()
    if CACHE.is_dir():
        for old in CACHE.iterdir():
            if old.is_dir() and old != folder:
                shutil.rmtree(old, ignore_errors=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    done.write_text("\n".join(sorted(files)))
    return files, False


def on_files(files, config):
    start = time.perf_counter()
    found, cached = data_files()
    for name, data in sorted(found.items()):
        files.append(File.generated(config, f"{DATA}/{name}", content=data))
    log.info(
        "explorer: %d data files, %.0f kB, in %.2f s%s",
        len(found), sum(map(len, found.values())) / 1000, time.perf_counter() - start,
        " (cached)" if cached else "",
    )
    return files


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
    from weightinit import explorer as e

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
