"""MkDocs hook: the first view of a page, laid out before its scripts run.

- Figures carry their size, so the page keeps their place before they arrive, and all
  but a page's first load lazily; a figure whose text would be too small on a phone
  keeps a minimum width (`TEXT_PX`) and scrolls sideways.
- Tables are wrapped in Material's scrolling box at build time (and mkdocstrings'
  indentation between their tags goes).
- A heading's last word stays with its permalink; pages without images do without
  mkdocs-glightbox's script and styles, and pages with images load them deferred
  (docs/overrides/main.html), not in the head.

All of it works on the page's own content (Markdown's, mkdocstrings' and nbconvert's
HTML), never on the HTML the theme wraps around it: the figures and tables are finished
in ``on_page_context``, when the figures have been rendered. The explorer hook links its
page's own assets into that page only. What the site changes in Material's pages is in
``docs/overrides`` (template blocks and partials).
``make lighthouse`` measures the result.
"""

from __future__ import annotations

import math
import re

from mkdocs.plugins import event_priority

_FILES = None


def on_files(files, config):
    global _FILES
    _FILES = files
    _SIZES.clear()
    return files


_IMAGE = re.compile(r"!\[|<img\b")


def on_page_markdown(markdown, page, config, files):
    # mkdocs-glightbox wraps a page's images in their full-screen links and links its
    # script and styles into the page; a page without images is left to itself (the
    # plugin reads this flag). Notebooks draw theirs when they run.
    notebook = page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".py")
    if not notebook and not _IMAGE.search(markdown):
        page.meta["glightbox"] = False
    return markdown


def on_page_content(content, page, config, files):
    return _glue_headerlinks(content)


@event_priority(-50)  # after Material's search has indexed the page's content
def on_page_context(context, page, config, nav):
    # The figures were rendered while the pages built (tasks.py waits in on_env), so
    # their sizes are known only now: the page's content is finished here, before the
    # theme's template wraps it.
    page.content = _wrap_tables(_size_figures(page.content, _FILES))
    # mkdocs-glightbox has wrapped the page's images (its on_page_content ran before
    # the hooks'); its own on_post_page would put its 56 KB script in the head, where
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


# A heading's last word (or code span) and its permalink: at 390 px a heading that just fills
# its lines would otherwise push the (invisible until hovered) pilcrow onto a blank line of
# its own. An API object's heading keeps its pilcrow at its right edge instead (extra.css).
_HEADING_END = re.compile(r'(?<=[\s>])(?P<word><code>[^<]*</code>|[^\s<>]+)(?P<link><a class="headerlink"[^>]*>[^<]*</a>)(?=\s*</h[1-6]>)')


def _glue_headerlinks(content: str) -> str:
    return _HEADING_END.sub(r'<span class="wi-nowrap">\g<word>\g<link></span>', content)


_FIGURE_IMG = re.compile(r'<img (?P<attrs>[^>]*?)src="(?P<src>[^"]*figures/(?P<name>[\w-]+)\.svg)"(?P<rest>[^>]*)>')
_SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="(?P<w>[\d.]+)pt"\s+height="(?P<h>[\d.]+)pt"')
# Matplotlib draws each character as a glyph path placed with scale(size / 100).
_SVG_GLYPH_SCALE = re.compile(r'scale\((?P<s>0\.\d+) -(?P=s)\)')
_SIZES: dict[str, tuple[int, int, int] | None] = {}
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

