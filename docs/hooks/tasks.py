"""MkDocs hook: the build's tasks, computed while the pages build.

- ``on_config`` starts a build of the core (``core.py``): the library is imported afresh
  from ``src/`` (``mkdocs serve`` keeps one process across rebuilds).
- ``on_files`` adds every figure of the registry ``weightinit_site.figures.FIGURES`` as a
  generated file ``figures/<name>.svg`` (nothing is written into docs/), and plans what
  the cache lacks: the tables and values the pages quote and the notebooks
  mkdocs-jupyter executes (in page order: the pages wait for them), then the figures.
  Each is cached under `core.key` of the code it runs: a figure on its function, the
  rest of its module and the library modules these import; tables and values on
  ``tables.py`` or ``values.py`` and what they import; a notebook on its source and
  the library modules it imports. The core's pool computes them (the explorer's data
  too, planned by ``explorer.py``).
- ``on_env`` waits for the figures; ``on_post_build`` stops the pool.
"""

from __future__ import annotations

import inspect
import logging
from pathlib import Path

import core
import entries
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.tasks")

COMPUTED = ("table", "value")
_BUILD: dict = {}


def _plan_pages(files, jupyter) -> None:
    """Plan what the pages wait for, in the order they build: every cacheable table and
    value they quote, and every notebook mkdocs-jupyter executes."""
    for file in files.documentation_pages():
        if not file.abs_src_path:
            continue
        if file.src_uri.endswith(".md"):
            for match in core.DIRECTIVE.finditer(Path(file.abs_src_path).read_text(encoding="utf-8")):
                if match["kind"] in COMPUTED and entries.cacheable(match["kind"], match["arg"]):
                    entries.plan_computed(match["kind"], match["arg"])
        elif jupyter is not None and jupyter.config["cache"] and jupyter.should_include(file):
            path, options = entries.notebook_entry(file, jupyter)
            if not path.is_file():
                core.plan(f"notebook.{path.parent.name}", "entries:convert_notebook", (file.abs_src_path, options),
                          rank=0)


def on_config(config):
    core.start_build()
    core.fresh_library()
    _BUILD.clear()
    return config


def on_files(files, config):
    figures = entries.figure_registry()
    sources = {name: inspect.getsource(spec.function) for name, spec in figures.items()}
    paths = {name: core.entry("figures", name, entries.figure_key(spec, figures, sources), ".svg")
             for name, spec in sorted(figures.items())}
    _plan_pages(files, config.plugins.get("mkdocs-jupyter"))
    todo = [name for name, path in paths.items() if not path.is_file()]
    for name, path in paths.items():
        if name in todo:
            core.plan(f"figure.{name}", f"{entries.RENDER}:render_svg", (name,))
        else:
            core.log_item("figure", name, 0.0, cached=True)
        # The file is read when the site is written, after on_env has waited for every render.
        files.append(File.generated(config, f"figures/{name}.svg", abs_src_path=str(path)))
    _BUILD.update(figures=paths, todo=todo, count=len(figures))
    core.launch()
    return files


def on_env(env, config, files):
    for name in _BUILD.get("todo", []):
        core.finish(f"figure.{name}", "figure", name, _BUILD["figures"][name])
    if _BUILD.get("todo"):
        log.info("figures: %d (%d rendered) in %.2f s, alongside the pages", _BUILD["count"], len(_BUILD["todo"]),
                 core.since_start())
    return env


def on_post_build(config):
    core.stop()


def on_build_error(error, **kwargs):
    core.stop()
