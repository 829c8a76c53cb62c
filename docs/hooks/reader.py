"""MkDocs hook: the site as readers meet it (math, search text, notebook pages).

- **Math at build time.** TeX from ``pymdownx.arithmatex`` (Markdown pages) and from
  notebook Markdown cells (``$...$`` and ``$$...$$``, which arithmatex never sees)
  becomes MathML, converted once by Temml under node (``docs/hooks/tex2mathml.mjs``,
  ``node_modules`` from ``package.json``). Browsers draw MathML natively, so no MathJax
  is served, and display equations keep their size and scroll in their own box.
- **Search and ToC read like the page.** Each formula carries a plain-text reading
  (``Var(W) = 2/n_in``) in a hidden span; the MathML itself is excluded from the search
  index. ToC titles get the same plain text, and no pilcrow.
- **Notebook pages.** Jupyter's pilcrow anchors become Material's header links, images
  get alt text from the code that drew them (a ``# alt: ...`` comment in the cell, else
  the figure's titles and axis labels), links to other pages are rewritten to their
  URLs, and each page links to its ``.ipynb`` (generated here with jupytext) and its
  ``.py`` source (copied by mkdocs-jupyter's ``include_source``).

- **The first view.** Tables are wrapped in their scrolling box at build time, figures
  carry their size and load lazily after the first (the explorer hook links its page's
  own assets into that page only). Material's script loads as the theme loads it;
  what the site changes in Material's pages is in ``docs/overrides`` (template blocks
  and partials). ``make lighthouse`` measures the result.

This hook is listed after ``build.py`` in ``mkdocs.yml``, so its ``on_files`` sees the
files that hook added.
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import logging
import math
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.reader")

ROOT = Path(__file__).resolve().parents[2]
TEX2MATHML = Path(__file__).with_name("tex2mathml.mjs")
TEMML = ROOT / "node_modules" / "temml"
# The one web font the math needs: Unicode script capitals (\mathcal) for systems
# whose math font lacks them; Temml ships it (9 kB).
MATH_FONT = "assets/fonts/Temml.woff2"
NOTEBOOKS = "notebooks/"
_CACHE: dict[tuple[str, bool], str] = {}


# ------------------------------------------------------------------ TeX to MathML


def _check_node() -> None:
    if shutil.which("node") is None:
        raise PluginError(
            "node is missing: the build renders math with Temml under Node.js >= 18 "
            "(Debian: apt-get install nodejs npm; then `make venv` runs `npm ci`)"
        )
    if not (TEMML / "package.json").is_file():
        raise PluginError(f"{TEMML} is missing: run `npm ci --omit=dev` (or `make venv`) in {ROOT}")


def tex_to_mathml(items: list[tuple[str, bool]]) -> list[str]:
    """MathML for each ``(tex, display)``; the build's node process converts those that are new.

    A TeX error stops the build with the formula named, rather than showing raw TeX.
    """
    todo = sorted({item for item in items if item not in _CACHE})
    if todo:
        node, stderr = _node()
        try:
            node.stdin.write(json.dumps(todo) + "\n")
            node.stdin.flush()
            answer = node.stdout.readline()
        except BrokenPipeError:
            answer = ""
        if not answer:
            node.wait()
            stderr.seek(0)
            raise PluginError(f"tex2mathml.mjs failed (exit {node.returncode}): {stderr.read().strip()[-2000:]}")
        for (tex, display), out in zip(todo, json.loads(answer)):
            if "error" in out:
                raise PluginError(f"TeX error in {tex!r}: {out['error']}")
            _CACHE[(tex, display)] = out["mathml"]
    return [_CACHE[item] for item in items]


_NODE: list = []


def _node() -> tuple[subprocess.Popen, object]:
    """The Node.js process that runs ``tex2mathml.mjs`` for this build, and the file of its
    stderr; started on first use. One process, not one per page: starting node and Temml
    costs about 0.1 s of CPU, and a cold build converts the math of some 60 pages and cells."""
    if not _NODE or _NODE[0][0].poll() is not None:
        _close_node()
        stderr = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed by _close_node
        node = subprocess.Popen(["node", str(TEX2MATHML)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=stderr, text=True, encoding="utf-8", cwd=ROOT)
        _NODE.append((node, stderr))
    return _NODE[0]


def _close_node() -> None:
    while _NODE:
        node, stderr = _NODE.pop()
        if node.poll() is None:
            node.stdin.close()
            try:
                node.wait(timeout=10)
            except subprocess.TimeoutExpired:
                node.kill()
                node.wait()
        node.stdout.close()
        stderr.close()


def on_post_build(config):
    _close_node()


def on_build_error(error, **kwargs):
    _close_node()


# --------------------------------------------------------- MathML to plain text

_INVISIBLE = dict.fromkeys(map(ord, "\u2061\u2062\u2063\u2064"), None)
_SPACED = set("=<>∼≈≤≥≠∝→←↦∈±×⋅+−")
_SUPERSCRIPT = str.maketrans("0123456789+−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_ACCENT = {"~": "\u0303", "˜": "\u0303", "^": "\u0302", "ˆ": "\u0302", "¯": "\u0304", "‾": "\u0304"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _group(text: str) -> str:
    text = text.strip()
    return text if len(text) == 1 or re.fullmatch(r"[\w.′⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+|\(.*\)|√\(.*\)", text) else f"({text})"


def _plain(el) -> str:
    tag = _local(el.tag)
    kids = [k for k in el if _local(k.tag) not in ("annotation", "annotation-xml", "mphantom")]
    if tag in ("mi", "mn", "mtext", "ms"):
        return (el.text or "").translate(_INVISIBLE)
    if tag == "mo":
        op = (el.text or "").translate(_INVISIBLE).strip()
        if op in _SPACED:
            return f" {op} "
        return ", " if op == "," else op
    if tag == "mspace":
        return " "
    parts = [_plain(k) for k in kids]
    if tag == "mfrac" and len(parts) == 2:
        return f"{_group(parts[0])}/{_group(parts[1])}"
    if tag == "msqrt":
        return f"√{_group(''.join(parts))}"
    if tag == "mroot" and len(parts) == 2:
        return f"{_group(parts[1])}√{_group(parts[0])}"
    if tag == "msup" and len(parts) == 2:
        sup = parts[1].strip()
        if sup in ("′", "″", "'"):
            return parts[0] + sup
        if re.fullmatch(r"[0-9+−]+", sup):
            return parts[0] + sup.translate(_SUPERSCRIPT)
        return f"{parts[0]}^{_group(sup)}"
    if tag == "msub" and len(parts) == 2:
        return f"{parts[0]}_{_group(parts[1])}"
    if tag == "msubsup" and len(parts) == 3:
        return f"{parts[0]}_{_group(parts[1])}^{_group(parts[2])}"
    if tag == "mover" and len(parts) == 2:
        mark = parts[1].strip()
        if mark in _ACCENT:
            return parts[0].strip() + _ACCENT[mark]
        return f"{parts[0]}^{_group(mark)}"
    if tag == "munder" and len(parts) == 2:
        return f"{parts[0]}_{_group(parts[1])}"
    if tag == "munderover" and len(parts) == 3:
        return f"{parts[0]}_{_group(parts[1])}^{_group(parts[2])}"
    if tag == "mtable":
        return "; ".join(p.strip() for p in parts)
    if tag == "mtr":
        return " ".join(p.strip() for p in parts)
    # Neighbours that would run together (n_in then Var) get a space.
    out = ""
    for part in parts:
        if out and part and (out[-1].isalnum() or out[-1] in "′)]") and part[0].isalnum():
            out += " "
        out += part
    return out


def mathml_to_text(mathml: str) -> str:
    """A plain-text reading of MathML, for search and tables of contents."""
    try:
        root = ET.fromstring(mathml)
    except ET.ParseError:
        text = html.unescape(re.sub(r"<[^>]+>", "", mathml))
    else:
        text = _plain(root)
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([,)])", r"\1", text))


def _math_html(mathml: str, display: bool) -> str:
    # Search indexes the plain text, not the MathML (Material drops data-search-exclude
    # from the page once indexed); screen readers read the MathML, not the hidden text.
    text = html.escape(mathml_to_text(mathml), quote=False)
    mathml = mathml.replace("<math", "<math data-search-exclude", 1)
    plain = f'<span class="wi-math-text" hidden>{text}</span>'
    if display:
        # A tab stop only when it scrolls: docs/javascripts/scrollbox.js measures it.
        return f'<div class="wi-math wi-math-display">{mathml}{plain}</div>'
    return f'<span class="wi-math">{mathml}{plain}</span>'


# Inline math and the punctuation right after it: a full stop must not wrap alone onto
# the next line.
_MATH_PUNCT = re.compile(
    r'(?P<math><span class="wi-math"><math\b(?:(?!</math>).)*</math><span class="wi-math-text" hidden>[^<]*</span></span>)'
    r"(?P<punct>[.,;:!?)\]]+)",
    re.S,
)


def _keep_punctuation(content: str) -> str:
    return _MATH_PUNCT.sub(r'<span class="wi-nowrap">\g<math>\g<punct></span>', content)


# ------------------------------------------------------------------ page content

_ARITHMATEX = re.compile(
    r'<(?P<tag>div|span) class="arithmatex">\s*(?P<open>\\\[|\\\()(?P<tex>.*?)(?:\\\]|\\\))\s*</(?P=tag)>',
    re.S,
)
# Notebook Markdown cells keep Jupyter's dollars; code and pre are left alone.
_NB_MARKDOWN = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput"[^>]*>)(.*?)(</div>)',
    re.S,
)
_CODE = re.compile(r"(<(pre|code)\b.*?</\2>)", re.S)
# Inline math may wrap onto the next line, never across a blank line.
_DOLLARS = re.compile(
    r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>(?:[^$\n]|\n(?!\s*\n))+?)(?<!\\)\$", re.S
)
_TOC_TEX = re.compile(r"\\\((.+?)\\\)|\$\$(.+?)\$\$|\$([^$]+?)\$", re.S)


def _convert_arithmatex(content: str) -> str:
    found = [(html.unescape(m["tex"]).strip(), m["tag"] == "div") for m in _ARITHMATEX.finditer(content)]
    if not found:
        return content
    mathml = iter(tex_to_mathml(found))
    return _ARITHMATEX.sub(lambda m: _math_html(next(mathml), m["tag"] == "div"), content)


def _convert_dollars(fragment: str) -> str:
    """Convert $...$ and $$...$$ in one notebook Markdown cell, outside code."""
    pieces = _CODE.split(fragment)
    # split() with two groups yields [text, code, tagname, text, code, tagname, ...]
    texts = pieces[0::3]
    found = []
    for text in texts:
        for m in _DOLLARS.finditer(text):
            tex = m["display"] if m["display"] is not None else m["inline"]
            found.append((html.unescape(tex).strip(), m["display"] is not None))
    if not found:
        return fragment
    mathml = iter(tex_to_mathml(found))
    out = []
    for i, piece in enumerate(pieces):
        if i % 3 == 0:
            out.append(_DOLLARS.sub(lambda m: _math_html(next(mathml), m["display"] is not None), piece))
        elif i % 3 == 1:
            out.append(piece)
    return "".join(out)


def plain_title(title: str) -> str:
    """A ToC title without TeX or pilcrows."""
    title = title.replace("¶", "")
    found = [(html.unescape(next(g for g in m.groups() if g is not None)).strip(), False) for m in _TOC_TEX.finditer(title)]
    if found:
        texts = iter(mathml_to_text(x) for x in tex_to_mathml(found))
        title = _TOC_TEX.sub(lambda m: next(texts), title)
    return title.strip()


def _fix_toc(items) -> None:
    for item in items:
        item.title = plain_title(item.title)
        _fix_toc(item.children)


def _is_notebook(page) -> bool:
    return page.file.src_uri.startswith(NOTEBOOKS) and page.file.src_uri.endswith(".py")


def on_config(config):
    _check_node()
    # Headings' anchors are made from their plain reading, as their ToC titles are.
    config.mdx_configs.setdefault("toc", {})["slugify"] = slugify
    return config


def slugify(text: str, sep: str) -> str:
    """A heading's anchor from its plain reading: ``$1/n_\\text{in}$`` gives ``1n_in``,
    not ``1n_textin`` (the TeX's command names); a Greek letter is spelled (``chi_1``)."""
    import unicodedata

    from markdown.extensions.toc import slugify as plain

    text = "".join(unicodedata.name(c, c).rsplit(" ", 1)[-1].lower() if "\u0370" <= c <= "\u03ff" else c
                   for c in plain_title(text))
    return plain(text, sep)


def on_files(files, config):
    global _FILES
    _FILES = files
    _SIZES.clear()
    files.append(File.generated(config, MATH_FONT, abs_src_path=str(TEMML / "dist" / "Temml.woff2")))
    import jupytext

    for file in list(files):
        if file.src_uri.startswith(NOTEBOOKS) and file.src_uri.endswith(".py") and file.abs_src_path:
            stem = PurePosixPath(file.src_uri).stem
            notebook = jupytext.read(file.abs_src_path, fmt="py:percent")
            # nbformat gives cells random ids; these depend on the cell, so that every
            # build writes the same download.
            for index, cell in enumerate(notebook.cells):
                cell.id = hashlib.sha256(f"{index}\n{cell.source}".encode()).hexdigest()[:8]
            files.append(
                File.generated(config, f"{NOTEBOOKS}{stem}/{stem}.ipynb", content=jupytext.writes(notebook, fmt="ipynb"))
            )
    return files


_IMAGE = re.compile(r"!\[|<img\b")


def on_page_markdown(markdown, page, config, files):
    # mkdocs-glightbox wraps a page's images in their full-screen links and links its
    # script and styles into the page; a page without images is left to itself (the
    # plugin reads this flag). Notebooks draw theirs when they run.
    if not _is_notebook(page) and not _IMAGE.search(markdown):
        page.meta["glightbox"] = False
    return markdown


def on_page_context(context, page, config, nav):
    # mkdocs-glightbox has wrapped the page's images (its on_page_content ran before
    # this hook's); its own on_post_page would put its 56 KB script in the head, where
    # it holds back the first paint. The flag turns that off, and the site's template
    # (docs/overrides/main.html) loads the script deferred, with the plugin's options.
    if page.meta.get("glightbox", True) is not False:
        options = config.plugins["glightbox"].config
        page.meta["wi_lightbox"] = {
            **{key: options[key] for key in ("touchNavigation", "loop", "zoomable", "draggable")},
            "openEffect": options["effect"], "closeEffect": options["effect"],
            "slideEffect": options["slide_effect"],
        }
        page.meta["glightbox"] = False
    return context


def on_page_content(content, page, config, files):
    content = _convert_arithmatex(content)
    if _is_notebook(page):
        content = _NB_MARKDOWN.sub(lambda m: m[1] + _convert_dollars(m[2]) + m[3], content)
        content = content.replace('<a class="anchor-link"', '<a class="headerlink" title="Permanent link"')
        # Code inputs stay out of search: nbconvert's markup loses the <pre> that
        # keeps code apart from prose in the index; the copy button's hidden text too.
        content = content.replace('<div class="highlight-ipynb', '<div data-search-exclude class="highlight-ipynb')
        content = content.replace('<div class="clipboard-copy-txt"', '<div data-search-exclude class="clipboard-copy-txt"')
        content = _notebook_links(content, page, files)
        content = _notebook_alt_text(content, page)
        content = _notebook_downloads(content, page)
        content = _notebook_images(content, page)
    _fix_toc(page.toc)
    return _glue_headerlinks(_keep_punctuation(content))


# A heading's last word and its permalink: at 390 px a heading that just fills its lines
# would otherwise push the (invisible until hovered) pilcrow onto a blank line of its own.
_HEADING_END = re.compile(r'(?<=[\s>])(?P<word>[^\s<>]+)(?P<link><a class="headerlink"[^>]*>[^<]*</a>)(?=\s*</h[1-6]>)')


def _glue_headerlinks(content: str) -> str:
    return _HEADING_END.sub(r'<span class="wi-nowrap">\g<word>\g<link></span>', content)


_FIGURE_IMG = re.compile(r'<img (?P<attrs>[^>]*?)src="(?P<src>[^"]*figures/(?P<name>[\w-]+)\.svg)"(?P<rest>[^>]*)>')
_SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="(?P<w>[\d.]+)pt"\s+height="(?P<h>[\d.]+)pt"')
# Matplotlib draws each character as a glyph path placed with scale(size / 100).
_SVG_GLYPH_SCALE = re.compile(r'scale\((?P<s>0\.\d+) -(?P=s)\)')
_SIZES: dict[str, tuple[int, int, int] | None] = {}
_FILES = None
TEXT_PX = 8
"""The smallest figure text a phone shows, in CSS pixels. Print journals ask for figure
text of 5 pt or more (1.8 mm; Nature's artwork guide asks for 5 to 7 pt); a phone is held
at about three quarters of the distance of paper, which makes 1.3 mm, and a CSS pixel of a
390 px wide phone is about 0.165 mm (a 64 mm wide screen), so 1.3 mm is 8 px. A
figure whose text would be smaller in the column keeps the width at which it is 8 px
and scrolls sideways (extra.css); a tap opens it full screen."""


def _svg_size(name: str, files) -> tuple[int, int, int] | None:
    """A figure's size in CSS pixels (matplotlib writes points: 1 pt = 4/3 px), and the
    width at which its smallest text is `TEXT_PX`."""
    if name not in _SIZES:
        file = files.get_file_from_path(f"figures/{name}.svg")
        svg = file.content_string if file else ""
        match = _SVG_SIZE.search(svg[:2000])
        if match is None:
            _SIZES[name] = None
        else:
            width, height = float(match["w"]) * 4 / 3, float(match["h"]) * 4 / 3
            text_pt = min((float(m["s"]) * 100 for m in _SVG_GLYPH_SCALE.finditer(svg)), default=None)
            readable = width * TEXT_PX / (text_pt * 4 / 3) if text_pt else 0
            _SIZES[name] = (round(width), round(height), math.ceil(min(readable, width)))
    return _SIZES[name]


def _size_figures(content: str, files) -> str:
    """Figures get their size, so the page keeps their place before they arrive, and
    all but a page's first load as they near the viewport (the first may be the
    largest thing on the first screen)."""
    seen = 0

    def fix(m):
        nonlocal seen
        seen += 1
        size = _svg_size(m["name"], files)
        if size is None or " width=" in f" {m['attrs']}{m['rest']}":
            return m[0]
        lazy = ' loading="lazy"' if seen > 1 else ""
        return (f'<img {m["attrs"]}src="{m["src"]}" width="{size[0]}" height="{size[1]}"{lazy} decoding="async" '
                f'style="--wi-min-width: {size[2]}px"{m["rest"]}>')

    return _FIGURE_IMG.sub(fix, content)


def on_post_page(output, page, config):
    # Notebook figures go next to the page as PNG files (see _notebook_images).
    for name, data in page.meta.pop("_wi_images", {}).items():
        target = Path(page.file.abs_dest_path).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    # Figures are rendered while the pages build (build.py waits in on_env): sized here.
    output = _size_figures(output, _FILES)
    return _wrap_tables(output)


# ------------------------------------------------------------------ tables

_TABLE = re.compile(r"<table>(?P<body>.*?)</table>", re.S)


def _wrap_tables(output: str) -> str:
    """Material's wrapper around each plain table, written at build time.

    Material's bundle wraps ``table:not([class])`` in a scrolling box when it runs; the
    page needs the box before that, so a wide table scrolls inside it, never the page.
    The bundle wraps again when it loads; extra.css makes the inner pair a no-op.
    """
    return _TABLE.sub(
        lambda m: '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>'
        + _squeeze_table(m["body"])
        + "</table></div></div>",
        output,
    )


_TABLE_GAP = re.compile(r">\s+<(?=/?(?:tr|td|th|thead|tbody)\b|/div>|div class=\"doc-md-description\")")


def _squeeze_table(body: str) -> str:
    """The whitespace mkdocstrings indents its tables with, which the browser ignores.

    It is a third of the API page's text nodes; parsing them costs a phone time.
    Only the space between a table's structural tags and at a cell's edges goes.
    """
    if "<pre" in body:
        return body
    body = _TABLE_GAP.sub("><", body)
    body = re.sub(r"(<t[dh]>)\s+", r"\1", body)
    return re.sub(r"\s+(</t[dh]>)", r"\1", body)


# -------------------------------------------------------------------- notebooks

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


_LABELS = ("title", "suptitle", "xlabel", "ylabel", "supxlabel", "supylabel")


def _strings(node) -> list[tuple[str, str]]:
    """(kind, text) of literal titles and axis labels set in a piece of code."""
    found = []
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        name = getattr(call.func, "attr", getattr(call.func, "id", ""))
        kind = name.removeprefix("set_")
        if kind in _LABELS and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
            found.append((kind, call.args[0].value))
        if name == "set":
            for kw in call.keywords:
                if kw.arg in _LABELS and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found.append((kw.arg, kw.value.value))
    return found


def _mathtext(text: str) -> str:
    """Matplotlib labels carry $...$ mathtext; read them as plain text."""
    parts = re.split(r"\$([^$]+)\$", text)
    tex = [(p, False) for p in parts[1::2]]
    if tex:
        plain = iter(mathml_to_text(x) for x in tex_to_mathml(tex))
        parts[1::2] = [next(plain) for _ in parts[1::2]]
    return "".join(parts)


def figure_alt_text(source: str, defined: dict[str, ast.AST]) -> str | None:
    """Alt text for the figure a notebook cell draws.

    A ``# alt: ...`` comment in the cell wins. Otherwise the sentence is built from the
    titles and axis labels the cell sets, including those set inside functions defined
    in earlier cells that it calls (and string arguments of those calls, as titles).
    """
    m = re.search(r"^\s*#\s*alt:\s*(.+)$", source, re.M)
    if m:
        return m[1].strip()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found = _strings(tree)
    defined = {**defined, **{n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}}
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        func = defined.get(getattr(call.func, "id", ""))
        if func is not None:
            found += _strings(func)
            found += [("title", a.value) for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    titles = [_mathtext(t) for k, t in found if k in ("title", "suptitle")]
    xs = list(dict.fromkeys(_mathtext(t) for k, t in found if k in ("xlabel", "supxlabel")))
    ys = list(dict.fromkeys(_mathtext(t) for k, t in found if k in ("ylabel", "supylabel")))
    if re.search(r"\bhist(?:ogram)?\(|\.stairs\(", source) and xs and not ys:
        sentence = "Histograms of " + ", ".join(xs)
    elif not (titles or ys):
        return None
    else:
        sentence = "Plot"
    if ys:
        sentence += " of " + ", ".join(ys) + (" against " + ", ".join(xs) if xs else "")
    if titles:
        sentence += ("; panels: " if len(titles) > 1 else ": ") + "; ".join(titles)
    return sentence + "."


def _notebook_alt_text(content: str, page) -> str:
    import jupytext

    notebook = jupytext.read(page.file.abs_src_path, fmt="py:percent")
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
