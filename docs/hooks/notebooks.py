"""MkDocs hook: the notebook pages (jupytext percent-format ``.py`` files under ``notebooks/``).

- **Running them.** mkdocs-jupyter executes and converts each notebook, keyed on its
  bytes only; ``on_pre_page`` gives each notebook a cache folder of its own, keyed by
  `core.key` on its source and the library modules it imports
  (``entries.notebook_folder``), so a library edit re-executes only the notebooks that
  use the edited code. A notebook missing from its cache was planned by ``tasks.py`` and
  runs in the build's pool while the pages before it build; its page waits for it here.
- **Their pages.** Jupyter's pilcrow anchors become Material's header links, code
  stays out of search, images get alt text from the code that drew them (a ``# alt:
  ...`` comment in the cell, else the figure's titles and axis labels) and become PNG
  files beside the page with their size, links to other pages are rewritten to their
  URLs, and each page links to its ``.ipynb`` (generated here with jupytext) and its
  ``.py`` source (copied by mkdocs-jupyter's ``include_source``); its cells take the
  ``.ipynb``'s ids, the same in every build. The CDN scripts
  mkdocs-jupyter writes into the page go: the site's math is MathML.
"""

from __future__ import annotations

import ast
import hashlib
import html
import math
import re
import time
from functools import lru_cache
from pathlib import Path, PurePosixPath

import core
import entries
from alt_text import figure_alt_text
from first_view import TEXT_PX
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

NOTEBOOKS = "notebooks/"


def _is_notebook(page) -> bool:
    return page.file.src_uri.startswith(NOTEBOOKS) and page.file.src_uri.endswith(".py")


def on_files(files, config):
    import jupytext

    for file in list(files):
        if file.src_uri.startswith(NOTEBOOKS) and file.src_uri.endswith(".py") and file.abs_src_path:
            stem = PurePosixPath(file.src_uri).stem
            notebook = _read(file.abs_src_path)
            for cell, cell_id in zip(notebook.cells, _cell_ids(notebook)):
                cell.id = cell_id
            files.append(
                File.generated(config, f"{NOTEBOOKS}{stem}/{stem}.ipynb", content=jupytext.writes(notebook, fmt="ipynb"))
            )
    return files


def _read(path: str):
    """The notebook at `path`, read by jupytext once per version of the file in a build
    process (the ``.ipynb`` download, the cell ids and the alt text all read it)."""
    stat = Path(path).stat()
    return _read_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _read_version(path: str, mtime_ns: int, size: int):
    import jupytext

    return jupytext.read(path, fmt="py:percent")


def _cell_ids(notebook) -> list[str]:
    """Cell ids made from each cell's place and source (nbformat draws random ones), so
    that two builds of the same notebook write the same download and page."""
    return [hashlib.sha256(f"{index}\n{cell.source}".encode()).hexdigest()[:8]
            for index, cell in enumerate(notebook.cells)]


_CELL_ID = re.compile(r'(?<=\sid="cell-id=)[0-9a-f-]+(?=")')


def _notebook_cell_ids(content: str, page) -> str:
    """The page's cells get the ids of the ``.ipynb`` download (`_cell_ids`), in order
    (nbconvert writes no id on a raw cell)."""
    notebook = _read(page.file.abs_src_path)
    ids = [i for cell, i in zip(notebook.cells, _cell_ids(notebook)) if cell.cell_type != "raw"]
    found = len(_CELL_ID.findall(content))
    if found != len(ids):
        raise PluginError(f"{page.file.src_uri}: {found} cells in the page, {len(ids)} in the source")
    stable = iter(ids)
    return _CELL_ID.sub(lambda m: next(stable), content)


# Whether each notebook's output came from the cache, for the build log (page.meta is
# replaced when the page's source is read, after on_pre_page).
_CACHED: dict[str, bool | None] = {}


@event_priority(100)  # before mkdocs-jupyter's on_pre_page reads its cache_dir
def on_pre_page(page, config, files):
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None or not jupyter.config["cache"] or not page.file.src_uri.endswith(".py"):
        return page
    path, _ = entries.notebook_entry(page.file, jupyter)
    jupyter.config["cache_dir"] = str(path.parent)
    task = f"notebook.{path.parent.name}"
    if core.planned(task):
        # Missing when the build started: the pool executes it (or this process, if it
        # is the build's only task); it is logged when done, and the page finds it cached.
        core.finish(task, "notebook", page.file.src_uri, path, path.parent)
        _CACHED[page.file.src_uri] = None
    else:
        _CACHED[page.file.src_uri] = path.is_file()
    return page


def on_page_markdown(markdown, page, config, files):
    page.meta["_render_start"] = time.perf_counter()
    return markdown


@event_priority(50)  # before the plugins': llms.txt's conversion and the lightbox see the finished page
def on_page_content(content, page, config, files):
    if not page.file.src_uri.endswith(".py"):
        return content
    # For notebooks, rendering is executing: log it like the figures (a pool's run was
    # logged when it was done).
    seconds = time.perf_counter() - page.meta.pop("_render_start")
    cached = _CACHED.pop(page.file.src_uri, False)
    if cached is not None:
        core.log_item("notebook", page.file.src_uri, seconds, cached=cached)
    if not _is_notebook(page):
        return content
    content = content.replace('<a class="anchor-link"', '<a class="headerlink" title="Permanent link"')
    # Code inputs stay out of search: nbconvert's markup loses the <pre> that
    # keeps code apart from prose in the index; the copy button's hidden text too.
    content = content.replace('<div class="highlight-ipynb', '<div data-search-exclude class="highlight-ipynb')
    content = content.replace('<div class="clipboard-copy-txt"', '<div data-search-exclude class="clipboard-copy-txt"')
    content = _notebook_cell_ids(content, page)
    content = _notebook_links(content, page, files)
    content = _notebook_alt_text(content, page)
    content = _notebook_downloads(content, page)
    return _NOTEBOOK_SCRIPTS.sub("", _notebook_images(content, page))


# mkdocs-jupyter's notebook template writes a MathJax 2 configuration, an empty MathJax
# tag and a module that imports mermaid from a CDN into the notebook's HTML; the site's
# math is MathML.
_NOTEBOOK_SCRIPTS = re.compile(
    r"<script[^>]*\ssrc=\"(?:(?:https?:)?//[^\"]*)?\"[^>]*>\s*</script>"
    r"|<script type=\"text/x-mathjax-config\">.*?</script>"
    r"|<script type=\"module\">(?:(?!</script>).)*?import\(\"https://.*?</script>",
    re.S,
)


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".py"):
        return output
    # Notebook figures go next to the page as PNG files (see _notebook_images).
    for name, data in page.meta.pop("_wi_images", {}).items():
        target = Path(page.file.abs_dest_path).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return output


_HREF = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|#|/)(?P<path>[^"#?]+)(?P<rest>[^"]*)"')


def _notebook_links(content: str, page, files) -> str:
    """Links in notebook cells name source files (``depth.py``); point them at pages."""
    base = PurePosixPath(page.file.src_uri).parent

    def fix(m):
        target = files.get_file_from_path(str(PurePosixPath(*_normalize(base / m["path"]))))
        if target is None or not target.is_documentation_page():
            return m[0]
        return f'href="{target.url_relative_to(page.file)}{m["rest"]}"'

    return _HREF.sub(fix, content)


def _normalize(path: PurePosixPath) -> list[str]:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return parts


def _notebook_alt_text(content: str, page) -> str:
    notebook = _read(page.file.abs_src_path)
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    defined: dict[str, ast.AST] = {}
    alts = []
    for cell in cells:
        alts.append(figure_alt_text(cell.source, defined))
        try:
            for node in ast.parse(cell.source).body:
                if isinstance(node, ast.FunctionDef):
                    defined[node.name] = node
        except SyntaxError:
            pass
    # nbconvert's lab template wraps each cell twice; the inner div carries the cell id.
    chunks = re.split(r'(?=<div class="jp-Cell jp-CodeCell[^>]*\sid="cell-id=)', content)
    if len(chunks) - 1 != len(cells):
        raise PluginError(f"{page.file.src_uri}: {len(chunks) - 1} code cells in the page, {len(cells)} in the source")
    for i, alt in enumerate(alts, start=1):
        if 'alt="No description has been provided for this image"' not in chunks[i]:
            continue
        if alt is None:
            raise PluginError(
                f"{page.file.src_uri}: code cell {i} draws a figure without alt text: add a "
                "comment `# alt: one sentence saying what the figure shows` to the cell"
            )
        chunks[i] = chunks[i].replace(
            'alt="No description has been provided for this image"', f'alt="{html.escape(alt)}"'
        )
    return "".join(chunks)


_DATA_PNG = re.compile(r'<img (?P<pre>[^>]*?)src="data:image/png;base64,(?P<data>[A-Za-z0-9+/=\s]+)"')


def _notebook_images(content: str, page) -> str:
    """Inline base64 PNGs become files beside the page, with their size and lazy loading.

    The page's HTML shrinks to its text, so it paints before the figures arrive.
    """
    import base64
    import struct

    stem = PurePosixPath(page.file.src_uri).stem
    images = page.meta.setdefault("_wi_images", {})
    names: dict[str, str] = {}
    text_pt = _notebook_text_pt(page)

    def name_of(encoded: str) -> tuple[str, bytes]:
        data = base64.b64decode(encoded)
        if encoded not in names:
            names[encoded] = f"{stem}-{len(images) + 1}.png"
            images[names[encoded]] = data
        return names[encoded], data

    def extract(m):
        name, data = name_of(m["data"])
        width, height = struct.unpack(">II", data[16:24])
        # The width at which the smallest text is TEXT_PX (see _svg_size), from the
        # image's resolution (matplotlib writes it in the pHYs chunk).
        phys = data.find(b"pHYs", 0, 200)
        dpi = struct.unpack(">I", data[phys + 4 : phys + 8])[0] * 0.0254 if phys > 0 else 72
        readable = math.ceil(min(width, width * TEXT_PX / (text_pt * dpi / 72)))
        return (f'<img {m["pre"]}src="{name}" width="{width}" height="{height}" loading="lazy" decoding="async" '
                f'style="--wi-min-width: {readable}px"')

    content = _DATA_PNG.sub(extract, content)
    # mkdocs-glightbox links each image to itself, full screen: to the same file.
    return _DATA_HREF.sub(lambda m: f'href="{name_of(m["data"])[0]}"', content)


_DATA_HREF = re.compile(r'href="data:image/png;base64,(?P<data>[A-Za-z0-9+/=\s]+)"')
_FONT_KEYWORDS = ("fontsize", "labelsize", "size", "title_fontsize")
MATPLOTLIB_TEXT_PT = 10
"""Matplotlib's default size of tick labels, axis labels and legends (``font.size``)."""


def _notebook_text_pt(page) -> float:
    """The smallest text size in points a notebook sets in its code, else matplotlib's default."""
    tree = ast.parse(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    sizes = [kw.value.value for call in ast.walk(tree) if isinstance(call, ast.Call) for kw in call.keywords
             if kw.arg in _FONT_KEYWORDS and isinstance(kw.value, ast.Constant)
             and isinstance(kw.value.value, int | float) and not isinstance(kw.value.value, bool)]
    return min([MATPLOTLIB_TEXT_PT, *sizes])


def _notebook_downloads(content: str, page) -> str:
    stem = PurePosixPath(page.file.src_uri).stem
    links = (
        '<p class="wi-notebook-links">Run it yourself: download '
        f'<a href="{stem}.ipynb" download>{stem}.ipynb</a> (the notebook, without outputs) or '
        f'<a href="{stem}.py" download>{stem}.py</a> (its source, in jupytext percent format).</p>'
    )
    return re.sub(r"(</h1>)", r"\1" + links.replace("\\", r"\\"), content, count=1)
