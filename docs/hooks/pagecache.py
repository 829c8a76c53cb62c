"""MkDocs hook: each page converted, indexed and turned into llms.txt's Markdown once per
version of what it is made of.

``mkdocs serve`` rebuilds the whole site after every edit: every page's Markdown is
converted to HTML again (the API page alone takes a second), indexed again for search
and converted back to Markdown for llms.txt, though the edit changed one page. This
hook keeps the results in ``.cache/pages``:

- **What ``Page.render`` produced**: the HTML, the table of contents, the title, the
  anchors, the links to other pages' anchors, the messages logged while converting
  (replayed, so a cached page's broken link still fails a strict build), and the
  anchors registered with autorefs and with mkdocstrings' inventory. The key is the
  page's Markdown after the other hooks ran (so the tables and values they put in
  count), its URL, every file of the site and its URL, ``mkdocs.yml`` and, for a page
  with ``:::`` API blocks, every file of the library and the griffe extension, under
  `core.key` (which holds the versions of the Markdown toolchain).
- **The search entries** Material's search plugin made of the page, keyed on its final
  HTML, URL, title, table of contents and front matter.
- **The page as Markdown** for ``llms.txt`` (the llmstxt plugin converts the HTML back
  with BeautifulSoup, markdownify and mdformat: three quarters of a warm build), keyed
  on the HTML, the plugin's settings for the page and its ``preprocess`` file
  (``docs/hooks/llms.py``).
- **The theme's compiled templates** (Jinja's bytecode cache, keyed on their source).

Pages that include snippets (``--8<--``) are converted every time; notebooks have
mkdocs-jupyter's own cache. A test builds the site cold and warm and finds every file
the same.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import re
import threading
from pathlib import Path, PurePosixPath

import core
import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

log = logging.getLogger("mkdocs.hooks.pagecache")

ROOT = Path(__file__).resolve().parents[2]
API_BLOCK = re.compile(r"^:::\s", re.M)
SNIPPET = "-8<-"
# Front matter the search plugin reads.
SEARCH_META = ("search", "tags", "title")
_PAGE = "<page>"  # stands for the page itself in a recorded call

_BUILD: dict = {}


def _library_digest() -> str:
    """Digest of what mkdocstrings reads for the API page: the library's files and the griffe extension."""
    if "library" not in _BUILD:
        h = hashlib.sha256()
        paths = sorted((ROOT / "src" / "weightinit").rglob("*.py"))
        for path in [*paths, Path(__file__).with_name("griffe_numpydoc.py")]:
            h.update(f"\n# {path.relative_to(ROOT)}\n".encode())
            h.update(path.read_bytes())
        _BUILD["library"] = h.hexdigest()
    return _BUILD["library"]


@event_priority(-100)  # after the other hooks have added their files
def on_files(files, config):
    h = hashlib.sha256(Path(config.config_file_path).read_bytes())
    # A hook's slugify (formulas.py) makes the headings' anchors.
    slugify = config.mdx_configs.get("toc", {}).get("slugify")
    if callable(slugify):
        h.update(inspect.getsource(slugify).encode())
    for file in sorted(files, key=lambda f: f.src_uri):
        h.update(f"\n{file.src_uri} {file.url}".encode())
    _BUILD.clear()
    _BUILD.update(base=h.hexdigest(), pages=0, hits=0, search=0, search_hits=0)
    _BUILD.update(markdown=0, markdown_hits=0)
    _cache_llms_markdown(config.plugins.get("llmstxt"), Path(config.config_file_path).parent)
    search = config.plugins.get("material/search")
    if search is not None and getattr(search, "search_index", None) is not None:
        index = search.search_index
        index.add_entry_from_context = _cached_entries(index, index.add_entry_from_context)
    return files


@event_priority(-100)  # last: the page's Markdown is final
def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri.endswith(".md") and _BUILD:
        page.render = _cached_render.__get__(page, Page)  # for this page only
    return markdown


def on_env(env, config, files):
    folder = core.CACHE / "pages" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def on_post_build(config):
    if _BUILD.get("pages"):
        log.info(core.PAGES_LINE, _BUILD["hits"],
                 _BUILD["pages"], _BUILD["search_hits"], _BUILD["search"])
    if _BUILD.get("markdown"):
        log.info(core.MARKDOWN_LINE, _BUILD["markdown_hits"], _BUILD["markdown"])


def _entry_path(kind: str, page, key: str) -> Path:
    return core.entry(f"pages/{kind}", page.file.src_uri, key, ".json")


def _load(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _store(path: Path, data) -> None:
    """`core.store` the entry as JSON (which drops the page's older entries)."""
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):
        return  # something not JSON was recorded: this page is not cached
    core.store(path, text.encode("utf-8"))


# ------------------------------------------------------------------- Markdown to HTML


def _render_key(page) -> str:
    library = _library_digest() if API_BLOCK.search(page.markdown) else ""
    return core.key(_BUILD["base"], f"{page.file.src_uri} {page.file.url}", library, page.markdown)


class _Capture(logging.Handler):
    """Messages logged under ``mkdocs`` by this thread while a page converts (not those
    of a thread working alongside, such as the explorer's)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.thread = threading.get_ident()
        self.records: list = []

    def emit(self, record):
        if record.thread == self.thread:
            self.records.append([record.name, record.levelno, record.getMessage()])


def _recorder(target, name: str, page, calls: list):
    """Record the calls of ``target.name`` (the page itself recorded as a marker)."""
    original = getattr(target, name)

    def record(*args, **kwargs):
        calls.append([name, [_PAGE if arg is page else arg for arg in args], kwargs])
        return original(*args, **kwargs)

    setattr(target, name, record)


def _registries(config) -> dict:
    """Where conversion registers anchors: autorefs, and mkdocstrings' inventory."""
    found = {}
    autorefs = config.plugins.get("autorefs")
    if autorefs is not None:
        found["register_anchor"] = autorefs
    mkdocstrings = config.plugins.get("mkdocstrings")
    if mkdocstrings is not None and getattr(mkdocstrings, "_handlers", None) is not None:
        found["register"] = mkdocstrings.handlers.inventory
    return found


def _toc_tokens(items) -> list:
    return [{"name": item.title, "id": item.id, "level": item.level, "children": _toc_tokens(item.children)}
            for item in items]


def _cached_render(self: Page, config, files) -> None:
    """``Page.render``, or its recorded result."""
    if SNIPPET in self.markdown:
        return Page.render(self, config, files)
    _BUILD["pages"] += 1
    path = _entry_path("html", self, _render_key(self))
    registries = _registries(config)
    data = _load(path) if path.is_file() else None
    if data is not None:
        _BUILD["hits"] += 1
        self.content = data["content"]
        self.toc = get_toc(data["toc"])
        self._title_from_render = data["title"]
        self.present_anchor_ids = set(data["anchors"])
        if data["links"] is not None:
            self.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in data["links"].items()}
        for name, level, message in data["log"]:
            logging.getLogger(name).log(level, "%s", message)
        for name, args, kwargs in data["calls"]:
            getattr(registries[name], name)(*[self if arg == _PAGE else arg for arg in args], **kwargs)
        return None
    capture, calls = _Capture(), []
    for name, target in registries.items():
        _recorder(target, name, self, calls)
    logging.getLogger("mkdocs").addHandler(capture)
    try:
        Page.render(self, config, files)
    finally:
        logging.getLogger("mkdocs").removeHandler(capture)
        for name, target in registries.items():
            delattr(target, name)
    links = None
    if self.links_to_anchors is not None:
        links = {file.src_uri: anchors for file, anchors in self.links_to_anchors.items()}
    _store(path, {"content": self.content, "toc": _toc_tokens(self.toc.items), "title": self._title_from_render,
                  "anchors": sorted(self.present_anchor_ids), "links": links, "log": capture.records,
                  "calls": calls})
    return None


# ------------------------------------------------------------------------- search


def _cached_entries(index, original):
    """``SearchIndex.add_entry_from_context``, or the entries it made of the same page before."""

    def add(page):
        meta = {key: page.meta.get(key) for key in SEARCH_META}
        toc = json.dumps([meta, _toc_tokens(page.toc.items)], sort_keys=True, default=str)
        path = _entry_path("search", page, core.key(_BUILD["base"], page.url, page.title, toc, page.content))
        _BUILD["search"] += 1
        entries = _load(path) if path.is_file() else None
        if entries is not None:
            _BUILD["search_hits"] += 1
            index.entries.extend(entries)
            return
        before = len(index.entries)
        original(page)
        _store(path, index.entries[before:])

    return add


# ------------------------------------------------------------------ llms.txt


def _cache_llms_markdown(plugin, root: Path) -> None:
    """The llmstxt plugin's conversion of a page's HTML to Markdown, taken from the cache
    when the same HTML was converted with the same settings before.

    The plugin's ``on_page_content`` calls its module's ``_generate_page_markdown``
    (mkdocs-llmstxt 0.5, held by pyproject.toml's pin) with the page's HTML and keywords
    only; the wrapper stands in for that function from this build on (each build installs
    it again, over the last one's).
    """
    if plugin is None:
        return
    from mkdocs_llmstxt._internal import plugin as module

    original = getattr(module, "_generate_page_markdown", None)
    original = getattr(original, "__wrapped__", original)
    expected = {"html", "should_autoclean", "preprocess", "path", "base_uri", "page_uri"}
    if original is None or set(inspect.signature(original).parameters) != expected:
        raise PluginError("docs/hooks/pagecache.py caches mkdocs_llmstxt._internal.plugin._generate_page_markdown"
                          f"({', '.join(sorted(expected))}); the installed mkdocs-llmstxt has none such: "
                          "check the cache against it")
    preprocess = plugin.config.preprocess
    source = (root / preprocess).read_bytes() if preprocess else b""

    def generate(html, **options):
        # `path`, where the plugin writes the page, differs between site folders; the
        # preprocess function (docs/hooks/llms.py) does not read it (a test holds it so).
        settings = json.dumps({k: v for k, v in options.items() if k != "path"}, sort_keys=True)
        name = PurePosixPath(options["page_uri"]).with_suffix(".md").as_posix()
        path = core.entry("pages/llms", name, core.key(_BUILD["base"], html, settings, source), ".md")
        _BUILD["markdown"] += 1
        if path.is_file():
            _BUILD["markdown_hits"] += 1
            return path.read_text(encoding="utf-8")
        markdown = original(html, **options)
        core.store(path, markdown.encode("utf-8"))
        return markdown

    generate.__wrapped__ = original
    module._generate_page_markdown = generate
