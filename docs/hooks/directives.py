"""MkDocs hook: the pages' directives, replaced by what the library states or computes.

``on_page_markdown`` replaces each ``[[kind: arg]]`` (the pattern is ``core.DIRECTIVE``):

- ``[[formula: he_normal]]``, ``variance``, ``bound``, ``summary``, ``reference``: text
  from the scheme registry ``weightinit.schemes``;
- ``[[table: name]]`` and ``[[value: name]]`` (numbers quoted in prose): the Markdown
  ``weightinit_site.tables.name()`` or ``weightinit_site.values.name()`` returns, from
  the cache (``tasks.py`` planned the missing ones; a page waits for those it quotes);
- ``[[figure: name]]``: the figure, its alt text and its caption;
- ``[[version: name]]``: a framework's version from ``frameworks.txt``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import core
import entries
from mkdocs.exceptions import PluginError

KINDS = ("formula", "variance", "bound", "summary", "reference", "table", "value", "figure", "version")
# The framework pins `make test-frameworks` installs: `[[version: NAME]]` places one.
PINS = core.ROOT / "frameworks.txt"


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


def figure_registry() -> dict:
    """``weightinit_site.figures.FIGURES``: figure name -> FigureSpec."""
    return entries.figure_registry()


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
    key: an edit of ``tables.py`` or of a library module it imports recomputes the
    tables, and nothing else.
    """
    function = entries.computed_function(kind, name)
    if not entries.cacheable(kind, name):
        return function()
    # A directive the pages' scan did not see (one in a snippet) is planned now.
    path = entries.plan_computed(kind, name)
    if core.planned(f"{kind}.{name}"):
        core.finish(f"{kind}.{name}", kind, name, path)
    return path.read_text(encoding="utf-8")


def _directive(kind: str, arg: str, src_uri: str) -> str:
    from weightinit import schemes

    if kind == "figure":
        return figure_markdown(arg, src_uri)
    if kind in ("table", "value"):
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
    def replace(match):
        try:
            return _directive(match["kind"], match["arg"], page.file.src_uri)
        except (ValueError, TypeError) as exc:
            raise PluginError(f"{page.file.src_uri}: {match[0]}: {exc}") from exc

    return core.DIRECTIVE.sub(replace, markdown)
