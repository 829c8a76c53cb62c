"""MkDocs hook: formulas, rendered at build time as MathML.

- TeX from ``pymdownx.arithmatex`` (Markdown pages) and from notebook Markdown cells
  (``$...$`` and ``$$...$$``, which arithmatex never sees) becomes MathML
  (``mathml.py``: Temml under node). Browsers draw MathML natively, so no MathJax is
  served, and display equations keep their size and scroll in their own box.
- Search and ToC read like the page: each formula carries a plain-text reading
  (``Var(W) = 2/n_in``) in a hidden span, the MathML itself is excluded from the search
  index, and ToC titles and headings' anchors are made from the same plain text.
- Inline math keeps the punctuation right after it on its line.
"""

from __future__ import annotations

import html
import re

import mathml as engine
from mathml import mathml_to_text, plain_title, tex_to_mathml
from mkdocs.structure.files import File

# The one web font the math needs: Unicode script capitals (\mathcal) for systems
# whose math font lacks them; Temml ships it (9 kB).
MATH_FONT = "assets/fonts/Temml.woff2"


def on_config(config):
    engine.check_node()
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
    files.append(File.generated(config, MATH_FONT, abs_src_path=str(engine.TEMML / "dist" / "Temml.woff2")))
    return files


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



def _fix_toc(items) -> None:
    for item in items:
        item.title = plain_title(item.title)
        _fix_toc(item.children)



def on_page_content(content, page, config, files):
    content = _convert_arithmatex(content)
    if page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".py"):
        content = _NB_MARKDOWN.sub(lambda m: m[1] + _convert_dollars(m[2]) + m[3], content)
    _fix_toc(page.toc)
    return _keep_punctuation(content)


def on_post_build(config):
    engine.close_node()


def on_build_error(error, **kwargs):
    engine.close_node()
