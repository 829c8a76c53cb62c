"""MkDocs hooks: figures, formulas, tables and values from the library.

- ``on_config`` makes this build import ``weightinit`` and ``weightinit_site`` afresh from ``src/`` (``mkdocs
  serve`` keeps one process across rebuilds, so modules imported by the previous build
  would otherwise be reused).
- ``on_files`` adds every figure in the registry ``weightinit_site.figures.FIGURES`` as a
  generated file ``figures/<name>.svg`` (nothing is written into docs/). Figures, and
  the tables and values the pages quote, are cached, each keyed on the code it uses:
  a figure on its function, the rest of its module and the library modules these
  import, transitively; tables and values on ``tables.py`` or ``values.py`` and what
  they import. What is missing is computed by ``worker.py`` processes, one per core,
  which import the library as it is on disk, while the pages and notebooks build;
  a page waits for the tables it quotes, and ``on_env`` for the figures.
- ``on_pre_page`` gives each notebook its own mkdocs-jupyter cache folder, keyed on the
  library modules the notebook imports, so a library edit re-executes only the
  notebooks that use the edited code. A notebook missing from its cache is executed by
  the same workers (``on_files`` lists it with the tables, in page order) into the file
  mkdocs-jupyter would write: it runs while the pages before it build, and its page
  waits for it here.
- ``on_page_markdown`` replaces directives such as ``[[formula: he_normal]]`` with
  text taken from the ``SCHEMES`` registry, ``weightinit_site.tables`` or
  ``weightinit_site.values`` (numbers quoted in prose: ``[[value: name]]``),
  ``[[version: name]]`` with a framework's version from ``frameworks.txt``, and
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
from pathlib import Path, PurePath

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
# The site's own computations (tables, values, figures, explorer data): not in the wheel.
SITE = "weightinit_site"
PACKAGES = (PACKAGE, SITE)
# Tests point this at an empty folder to force a cold build.
CACHE = Path(os.environ.get("WEIGHTINIT_CACHE_DIR", ROOT / ".cache"))


# ------------------------------------------------------------------ library code


def fresh_library() -> None:
    """Forget every ``weightinit`` and ``weightinit_site`` module so that the next import
    reads ``src/`` as it is now."""
    if not sys.path or sys.path[0] != str(SRC):
        sys.path.insert(0, str(SRC))
    for name in [m for m in sys.modules if m.split(".")[0] in PACKAGES]:
        del sys.modules[name]
    importlib.invalidate_caches()
    clear_caches()


def clear_caches() -> None:
    """Forget the parsed imports and digests of the library's files: they may have changed."""
    _module_imports.cache_clear()
    _closure_digest.cache_clear()


def module_path(name: str) -> Path | None:
    """The source file of module `name` (``weightinit.x.y``, ``weightinit_site.x``), or None."""
    if name.split(".")[0] not in PACKAGES:
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
    h.update(module_path(f"{SITE}.figures.render").read_bytes())
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
    """``weightinit_site.figures.FIGURES``: figure name -> FigureSpec."""
    return importlib.import_module(f"{SITE}.figures").FIGURES


# ------------------------------------------------------------------------ config


def on_config(config):
    fresh_library()
    return config


# ------------------------------------------------------------------------- files

WORKER = Path(__file__).with_name("worker.py")
COMPUTED = ("table", "value")


def render_figure(name: str) -> bytes:
    """Render one registered figure to deterministic SVG bytes, in this process."""
    return importlib.import_module(f"{SITE}.figures.render").render_svg(name)


def computed_key(module: str) -> str:
    """Cache key of the tables or the values (`module`): the code of the module and of
    the library modules it imports, transitively, and the numerical libraries' versions."""
    import scipy

    h = hashlib.sha256(f"{_versions()} scipy={scipy.__version__}".encode())
    _hash_modules(h, [module])
    return h.hexdigest()[:16]


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


class Workers:
    """Figures, tables and values computed in new Python processes, one per core, while
    the pages build (see ``worker.py``). `wait` blocks until one task is done."""

    def __init__(self, tasks: list[dict]):
        self.tasks = {task["id"]: task for task in tasks}
        self.folder = tempfile.TemporaryDirectory(prefix="weightinit-build-")
        folder = Path(self.folder.name)
        spec = folder / "tasks.json"
        spec.write_text(json.dumps({"src": str(SRC), "folder": str(folder), "tasks": tasks}))
        count = max(1, min(len(tasks), os.cpu_count() or 1))
        self.errs = [open(folder / f"worker-{k}.err", "w+") for k in range(count)]  # noqa: SIM115
        self.procs = [subprocess.Popen([sys.executable, str(WORKER), str(spec)], cwd=ROOT,
                                       stdout=err, stderr=err) for err in self.errs]
        self.done: dict[str, tuple[float, str | None]] = {}

    def wait(self, task_id: str) -> tuple[float, str | None]:
        """``(seconds, traceback or None)`` of one task, once it is done."""
        if task_id in self.done:
            return self.done[task_id]
        answer = Path(self.folder.name) / f"{task_id}.json"
        while not answer.is_file():
            if all(proc.poll() is not None for proc in self.procs) and not answer.is_file():
                stderr = "".join(err.seek(0) or err.read() for err in self.errs)
                codes = ", ".join(str(proc.returncode) for proc in self.procs)
                self.done[task_id] = (0.0, f"the build workers stopped (exit {codes}) before it was done:\n{stderr}")
                return self.done[task_id]
            time.sleep(0.01)
        result = json.loads(answer.read_text())
        self.done[task_id] = (result["seconds"], result["error"])
        return self.done[task_id]

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        for err in self.errs:
            err.close()
        self.folder.cleanup()


# The build under way: its workers, and the figures and computed texts they owe it.
_BUILD: dict = {}


def _page_tasks(files, jupyter, keys: dict) -> list[dict]:
    """The tasks of what the pages wait for, in the order they build: every cacheable
    table and value they quote, and every notebook mkdocs-jupyter executes."""
    found = {}
    for file in files.documentation_pages():
        if not file.abs_src_path:
            continue
        if file.src_uri.endswith(".md"):
            for match in DIRECTIVE.finditer(Path(file.abs_src_path).read_text(encoding="utf-8")):
                need = (match["kind"], match["arg"])
                if match["kind"] in COMPUTED and need not in found and cacheable(*need):
                    found[need] = _computed_task(*need, keys)
        elif jupyter is not None and jupyter.config["cache"] and jupyter.should_include(file):
            found[file.src_uri] = _notebook_task(file, jupyter)
    return list(found.values())


def notebook_folder(path: Path) -> Path:
    """mkdocs-jupyter's cache folder for one notebook: one per notebook and `notebook_key`."""
    return CACHE / "mkdocs-jupyter" / path.stem / notebook_key(path)


# mkdocs-jupyter's settings that shape a notebook's page (they are its cache key's too).
_NOTEBOOK_OPTIONS = ("kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
                     "remove_tag_config", "highlight_extra_classes", "include_requirejs", "custom_mathjax_url")


def _notebook_task(file, jupyter) -> dict:
    """The build task that executes one notebook into mkdocs-jupyter's cache, where its
    page then finds it (mkdocs-jupyter 0.26: the file its ``on_pre_page`` would write)."""
    from mkdocs_jupyter.plugin import _compute_cache_key, _get_cache_path

    settings = jupyter.config
    path = Path(file.abs_src_path)
    execute = settings["execute"] and not any(PurePath(path).match(p) for p in settings["execute_ignore"] or [])
    cache_path = _get_cache_path(notebook_folder(path), _compute_cache_key(str(path), settings, execute))
    options = {"execute": execute, "toc_depth": settings["toc_depth"], **{k: settings[k] for k in _NOTEBOOK_OPTIONS}}
    return {"id": f"notebook.{path.stem}", "kind": "notebook", "name": str(path), "path": str(cache_path),
            "options": options, "page": file.src_uri}


def computed_path(kind: str, name: str, keys: dict) -> Path:
    return CACHE / "computed" / f"{kind}.{name}-{keys[kind]}.md"


def _computed_task(kind: str, name: str, keys: dict) -> dict:
    """The build task that computes one table or value into its cache file."""
    return {"id": f"{kind}.{name}", "kind": f"{SITE}.{kind}s", "name": name,
            "path": str(computed_path(kind, name, keys))}


def _clean_old(path: Path, stem: str) -> None:
    """Remove other versions (other keys) of a cached file."""
    for old in path.parent.glob(f"{stem}-*{path.suffix}"):
        if old != path:
            old.unlink(missing_ok=True)


def on_files(files, config):
    _BUILD.clear()
    figures = figure_registry()
    sources = {name: inspect.getsource(spec.function) for name, spec in figures.items()}
    figure_paths = {name: CACHE / "figures" / f"{name}-{figure_key(spec, figures, sources)}.svg"
                    for name, spec in sorted(figures.items())}
    keys = {kind: computed_key(f"{SITE}.{kind}s") for kind in COMPUTED}
    # Tables, values and notebooks first, in the order the pages need them; figures after (on_env).
    tasks = [task for task in _page_tasks(files, config.plugins.get("mkdocs-jupyter"), keys)
             if not Path(task["path"]).is_file()]
    notebooks = {task["page"]: task for task in tasks if task["kind"] == "notebook"}
    todo = [name for name, path in figure_paths.items() if not path.is_file()]
    tasks += [{"id": f"figure.{name}", "kind": "figure", "name": name, "path": str(figure_paths[name])} for name in todo]
    for name, path in figure_paths.items():
        if name not in todo:
            log.info("figure %-32s %6.2f s (cached)", name, 0.0)
        # The file is read when the site is written, after on_env has waited for every render.
        files.append(File.generated(config, f"figures/{name}.svg", abs_src_path=str(path)))
    _BUILD.update(keys=keys, figures=figure_paths, todo=todo, start=time.perf_counter(), count=len(figures),
                  notebooks=notebooks,
                  workers=Workers(tasks) if len(tasks) > 1 else None, single=tasks[0] if len(tasks) == 1 else None)
    return files


@cache
def _worker_module():
    spec = importlib.util.spec_from_file_location("weightinit_build_worker", WORKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _task_done(task_id: str, label: str, task: dict | None = None) -> None:
    """Wait for one task of the build, log it, or stop the build naming it.

    A task the workers do not hold runs here, without a new process (fresh_library made
    the imports current): the build's only task, or `task` if given.
    """
    workers, logged = _BUILD.get("workers"), _BUILD.setdefault("logged", set())
    if task_id in logged:
        return
    if workers is not None and task_id in workers.tasks:
        seconds, error = workers.wait(task_id)
    else:
        single = _BUILD.get("single")
        if single is not None and single["id"] == task_id:
            task, _BUILD["single"] = single, None
        if task is None:
            return
        start, error = time.perf_counter(), None
        try:
            worker = _worker_module()
            worker.write(Path(task["path"]), worker.compute(task["kind"], task["name"], task.get("options")))
        except Exception:  # noqa: BLE001 - reported below with the task's name
            import traceback

            error = traceback.format_exc()
        seconds = time.perf_counter() - start
    if error:
        raise PluginError(f"{label} failed:\n{error}")
    logged.add(task_id)
    log.info("%-39s %6.2f s", label, seconds)


def on_env(env, config, files):
    for name in _BUILD.get("todo", []):
        _task_done(f"figure.{name}", f"figure {name}")
    for name, path in _BUILD.get("figures", {}).items():
        _clean_old(path, name)
    if _BUILD.get("todo"):
        log.info("figures: %d (%d rendered) in %.2f s, alongside the pages", _BUILD["count"], len(_BUILD["todo"]),
                 time.perf_counter() - _BUILD["start"])
    return env


def on_post_build(config):
    _stop_workers()


def on_build_error(error, **kwargs):
    _stop_workers()


def _stop_workers() -> None:
    if _BUILD.get("workers") is not None:
        _BUILD.pop("workers").stop()


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
    folder = notebook_folder(path)
    for old in folder.parent.glob("*"):
        if old.is_dir() and old != folder:
            shutil.rmtree(old, ignore_errors=True)
    jupyter.config["cache_dir"] = str(folder)
    task = _BUILD.get("notebooks", {}).get(page.file.src_uri)
    if task is not None:
        # Missing when on_files ran: a build worker executes it, or this process if it is
        # the build's only task; either way it is logged now, and the page finds it cached.
        _task_done(task["id"], f"notebook {page.file.src_uri}", task)
        _NOTEBOOK_CACHED[page.file.src_uri] = None
    else:
        _NOTEBOOK_CACHED[page.file.src_uri] = any(folder.glob("*.json"))
    return page


# ---------------------------------------------------------------------- markdown

DIRECTIVE = re.compile(r"\[\[(?P<kind>[a-z]+):\s*(?P<arg>[\w.-]+)\s*\]\]")
KINDS = ("formula", "variance", "bound", "summary", "reference", "table", "value", "figure",
         "version")
# The framework pins `make test-frameworks` installs: `[[version: NAME]]` places one.
PINS = ROOT / "frameworks.txt"


def framework_pins(path: Path = PINS) -> dict[str, str]:
    """The pins of ``frameworks.txt``, package name to version, in the file's order.

    One ``name==version`` a line; ``#`` starts a comment. A local version label
    (``2.13.0+cpu``: which build) is not part of the version a page names.
    """
    pins = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not sep or not name.strip() or not re.fullmatch(r"[\w.+]+", version.strip()):
            raise PluginError(f"{path.name}:{number}: {line!r} is not name==version")
        pins[name.strip().lower()] = version.strip().split("+", 1)[0]
    return pins


def figure_markdown(name: str, src_uri: str) -> str:
    """A registered figure as a Markdown image with its alt text, and its caption below.

    The caption (the figure function's docstring) is Markdown: `code` and $math$ render
    as on the page."""
    figures = figure_registry()
    if name not in figures:
        raise PluginError(f"unknown figure {name!r}; known: {', '.join(sorted(figures))}")
    spec = figures[name]
    depth = src_uri.count("/")
    src = "../" * depth + f"figures/{name}.svg"
    alt = spec.alt.replace("[", "(").replace("]", ")")
    return (f'<figure markdown="span">\n![{alt}]({src})\n'
            f'<figcaption markdown="span">{html.escape(spec.caption, quote=False)}</figcaption>\n</figure>')


def computed_text(kind: str, name: str) -> str:
    """The Markdown of ``[[table: name]]`` or ``[[value: name]]``, from the cache.

    Tables and values run small experiments, seconds each; they are computed once per
    key (`computed_key`): an edit of ``tables.py`` or of a library module it imports
    recomputes the tables, and nothing else. `on_files` starts the missing ones in the
    build's workers; this waits for the one a page needs.
    """
    function = computed_function(kind, name)
    if not cacheable(kind, name):
        return function()
    keys = _BUILD.get("keys") or {kind: computed_key(f"{SITE}.{kind}s")}
    task = _computed_task(kind, name, keys)
    path = Path(task["path"])
    # Missing and not started by on_files (a directive in a snippet): computed here.
    _task_done(task["id"], f"{kind} {name}", None if path.is_file() else task)
    _clean_old(path, f"{kind}.{name}")
    return path.read_text(encoding="utf-8")


def _directive(kind: str, arg: str, src_uri: str) -> str:
    from weightinit import schemes

    if kind == "figure":
        return figure_markdown(arg, src_uri)
    if kind in COMPUTED:
        return computed_text(kind, arg)
    if kind == "version":
        pins = framework_pins()
        if arg.lower() not in pins:
            raise ValueError(f"{arg!r} is not pinned in {PINS.name}; pinned: {', '.join(pins)}")
        return pins[arg.lower()]
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
        # For notebooks, rendering is executing: log it like the figures (a build worker's
        # run was logged when it was done).
        seconds = time.perf_counter() - page.meta.pop("_render_start")
        cached = _NOTEBOOK_CACHED.pop(page.file.src_uri, False)
        if cached is not None:
            log.info("notebook %-30s %6.2f s%s", page.file.src_uri, seconds, " (cached)" if cached else "")
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
