"""MkDocs hook: the explorer page's data, computed by `weightinit_site.explorer` at build time.

- ``on_env`` adds every file of `weightinit_site.explorer.explorer_files` as a generated
  file under ``explorer/data/`` (nothing is written into docs/). The files are cached
  together in one entry of ``.cache/explorer/``, keyed by `core.key` on ``explorer.py``
  and every library module it imports, directly or not. When the cache is cold,
  ``on_pre_build`` plans the grid, one task per (width, network), in the build's pool,
  and the pages build while it runs.
- ``on_page_markdown`` fills the explorer page's placeholders (``<!-- explorer:NAME -->``)
  with the form controls and the numbers the page quotes, taken from the same module.
- The page's stylesheet and script are linked into that page only, so the other pages
  do not load them: ``on_page_markdown`` marks the page (``wi_explorer`` in its meta)
  and the page template (``docs/overrides/main.html``) links them.
"""

from __future__ import annotations

import html
import json
import logging
import math
import re

import core
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.explorer")

MODULE = "weightinit_site.explorer"
PAGE = "explorer/index.md"
DATA = "explorer/data"
_BUILD: dict = {}


def code_key() -> str:
    """`core.key` of the code the explorer's data depends on: ``explorer.py`` and every
    library module it imports, directly or not."""
    return core.key(modules=[MODULE])


def on_pre_build(config):
    from weightinit_site import explorer

    _BUILD.clear()
    path = core.entry("explorer", "data", code_key(), ".json")
    _BUILD.update(path=path, grid=explorer.explorer_grid())
    if not path.is_file():
        # A cold cache: the grid runs in the build's pool, alongside the pages.
        for job in _BUILD["grid"]:
            core.plan(_task_id(job), f"{MODULE}:network_documents", job)


def _task_id(job) -> str:
    """A grid job's task: its width and its first (scheme, activation), which no other
    job of that width holds."""
    width, [(scheme, activation), *_] = job
    return f"explorer.{width}.{scheme}.{activation}"


def _jobs(function, grid):
    """`explorer_files`'s jobs: the pool's results, in the grid's order."""
    return [core.result(_task_id(job))[0] for job in grid]


def on_env(env, config, files):
    from weightinit_site import explorer

    path = _BUILD["path"]
    cached = path.is_file()
    if not cached:
        try:
            data = explorer.explorer_files(_jobs)
        except core.TaskError as exc:
            raise PluginError(f"the explorer's data failed:\n{exc}") from None
        core.store(path, json.dumps({name: text.decode() for name, text in data.items()}).encode())
    core.log_item("explorer", "data", 0.0 if cached else core.since_start(), cached=cached)
    data = json.loads(path.read_text())
    for name, text in data.items():
        files.append(File.generated(config, f"{DATA}/{name}", content=text.encode()))
    size = sum(len(text.encode()) for text in data.values()) / 1000
    log.info("explorer: %d data files, %.0f kB%s", len(data), size,
             " (cached)" if cached else f", in {core.since_start():.2f} s, alongside the pages")
    return env


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
    page.meta["wi_explorer"] = True
    values = _placeholders()

    def fill(name):
        if name not in values:
            raise PluginError(f"{PAGE}: unknown placeholder explorer:{name}; known: {', '.join(values)}")
        return values[name]

    return re.sub(r"<!-- explorer:([\w-]+) -->", lambda m: fill(m[1]), markdown)
