"""Where each of the build's results is cached: its key (`core.key` of the code it runs)
and its cache entry. Not a hook: ``tasks.py`` and ``directives.py`` import it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import core
from mkdocs.exceptions import PluginError

SITE = "weightinit_site"
RENDER = "weightinit_site.figures.render"


def figure_registry() -> dict:
    """``weightinit_site.figures.FIGURES``: figure name -> FigureSpec."""
    return importlib.import_module(f"{SITE}.figures").FIGURES


def figure_key(spec, figures: dict, sources: dict) -> str:
    """Cache key of one figure: the code it uses, and nothing it does not.

    The function's source, its module's source without the other figures' functions
    (helpers and imports stay in), the library modules that module imports
    (transitively) and the renderer. `sources` maps figure names to their functions'
    source.
    """
    module = core.module_path(spec.module).read_text()
    for other in figures.values():
        if other.module == spec.module and other.name != spec.name:
            module = module.replace(sources[other.name], f"# figure {other.name}\n")
    # The renderer's own settings shape the bytes; what it imports is the registry, all
    # of whose modules would otherwise count for every figure.
    return core.key(sources[spec.name], module, core.module_path(RENDER).read_bytes(),
                    modules=core.module_imports(spec.module))


def computed_function(kind: str, name: str):
    """``weightinit_site.tables.name`` (kind ``table``) or ``weightinit_site.values.name`` (``value``)."""
    module = importlib.import_module(f"{SITE}.{kind}s")
    if name not in module.__all__:
        raise PluginError(f"unknown {kind} {name!r}; known: {', '.join(module.__all__)}")
    return getattr(module, name)


def cacheable(kind: str, name: str) -> bool:
    """Whether a table or value depends on the library's code only. One that takes
    arguments (the bibliography reads the pages) is computed on every build."""
    return not inspect.signature(computed_function(kind, name)).parameters


def computed_path(kind: str, name: str) -> Path:
    """The cache entry of one table or value: keyed on ``tables.py`` or ``values.py`` and
    what it imports (computed once per build)."""
    kind_key = core.per_build(f"key.{kind}", lambda: core.key(modules=[f"{SITE}.{kind}s"]))
    return core.entry("computed", f"{kind}.{name}", kind_key, ".md")


def plan_computed(kind: str, name: str, rank: int = 0) -> Path:
    """Plan one table or value if its cache entry is missing; its entry."""
    path = computed_path(kind, name)
    if not path.is_file():
        core.plan(f"{kind}.{name}", f"{SITE}.{kind}s:{name}", rank=rank)
    return path


def notebook_imports(path: Path) -> list[str]:
    """Library modules a notebook (jupytext percent format) imports, directly."""
    return sorted(core.imported_names(ast.parse(path.read_bytes()), ""))


def notebook_key(path: Path) -> str:
    """Cache key of one notebook: its source and the library modules it imports, transitively."""
    return core.key(path.read_bytes(), modules=notebook_imports(path))


def notebook_folder(path: Path) -> Path:
    """mkdocs-jupyter's cache folder for one notebook: one per notebook and `notebook_key`."""
    return core.entry("notebooks", path.stem, notebook_key(path))


# mkdocs-jupyter's settings that shape a notebook's page (they are its cache key's too).
_NOTEBOOK_OPTIONS = ("kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
                     "remove_tag_config", "highlight_extra_classes", "include_requirejs", "custom_mathjax_url")


def notebook_entry(file, jupyter) -> tuple[Path, dict]:
    """The file mkdocs-jupyter 0.26's ``on_pre_page`` reads for one notebook page, and the
    settings that convert it."""
    from pathlib import PurePath

    from mkdocs_jupyter.plugin import _compute_cache_key, _get_cache_path

    settings = jupyter.config
    path = Path(file.abs_src_path)
    execute = settings["execute"] and not any(PurePath(path).match(p) for p in settings["execute_ignore"] or [])
    cache_path = _get_cache_path(notebook_folder(path), _compute_cache_key(str(path), settings, execute))
    options = {"execute": execute, "toc_depth": settings["toc_depth"], **{k: settings[k] for k in _NOTEBOOK_OPTIONS}}
    return cache_path, options


def convert_notebook(path: str, options: dict) -> bytes:
    """mkdocs-jupyter's cache entry for the notebook at `path`: what its page renders
    when the entry is missing (executed HTML, table of contents, title), computed here
    with the plugin's settings `options`."""
    import json

    from mkdocs_jupyter import convert
    from mkdocs_jupyter.plugin import _get_nb_toc_tokens

    options = dict(options)
    toc_depth = options.pop("toc_depth")
    body = convert.nb2html(path, **options)
    toc_tokens, title = _get_nb_toc_tokens(path, toc_depth)
    return json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}).encode("utf-8")
