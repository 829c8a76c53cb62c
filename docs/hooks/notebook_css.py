"""MkDocs hook: the notebook pages share one stylesheet instead of inlining Jupyter's.

mkdocs-jupyter writes JupyterLab's whole stylesheet (about 590 kB, most of it for
JupyterLab's own interface) into every notebook page as ``<style>`` elements. This
hook takes them out of each notebook page and writes them once, as
``assets/stylesheets/notebook.css``, keeping only the rules whose classes occur in the
notebook pages and the custom properties those rules reach. The page template
(``docs/overrides/main.html``) links the file into notebook pages, after the site's
stylesheets, where the inline styles stood in the cascade.

Listed after ``notebooks.py`` and ``formulas.py`` in ``mkdocs.yml``: it sees each notebook page's final HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import core
import tinycss2
from mkdocs.exceptions import PluginError

STYLESHEET = "assets/stylesheets/notebook.css"
_STYLE = re.compile(r"<style(?: type=\"text/css\")?>(?P<css>.*?)</style>", re.S)
_CLASSES = re.compile(r'\sclass="([^"]*)"')
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
# Classes a selector needs; the rest of a selector (elements, attributes, states)
# does not decide whether the notebook pages can match it.
_SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")

_BUILD: dict = {}


def on_pre_build(config):
    _BUILD.clear()
    _BUILD.update(css=None, classes=set())


def _is_notebook(page) -> bool:
    return page.file.src_uri.startswith("notebooks/") and page.file.src_uri.endswith(".py")


def on_page_content(content, page, config, files):
    if not _is_notebook(page):
        return content
    css = "\n".join(m["css"] for m in _STYLE.finditer(content))
    if not css:
        raise PluginError(f"{page.file.src_uri}: no Jupyter <style> found; has mkdocs-jupyter changed?")
    if _BUILD["css"] is not None and css != _BUILD["css"]:
        raise PluginError(f"{page.file.src_uri}: its Jupyter styles differ from the other notebooks'")
    _BUILD["css"] = css
    content = _STYLE.sub("", content)
    for names in _CLASSES.findall(content):
        _BUILD["classes"].update(names.split())
    page.meta["wi_notebook_css"] = STYLESHEET
    return content


def on_post_build(config):
    if _BUILD.get("css") is None:
        return
    target = Path(config.site_dir) / STYLESHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    # Pruning parses 590 kB of CSS: cached on what it reads (the styles, the classes
    # the pages use, this file) until one of them changes.
    classes = " ".join(sorted(_BUILD["classes"]))
    cached = core.entry("pages/notebook-css", "notebook", core.key(_BUILD["css"], classes,
                                                                    Path(__file__).read_bytes()), ".css")
    if not cached.is_file():
        core.store(cached, prune(_BUILD["css"], _BUILD["classes"]).encode("utf-8"))
    target.write_bytes(cached.read_bytes())


def _split(prelude: str) -> list[str]:
    """A selector list at its top-level commas (not those inside ``:is(...)``)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    return [p.strip() for p in [*parts, prelude[start:]] if p.strip()]


def _selector_used(selector: str, classes: set[str]) -> bool:
    # Classes inside :not(), :is() and the like need not be present: kept, to be safe.
    while "(" in selector:
        bare = re.sub(r"\([^()]*\)", "", selector)
        if bare == selector:
            break
        selector = bare
    return all(name in classes for name in _SELECTOR_CLASS.findall(selector))


def _rules(nodes, classes: set[str]) -> list[tuple[str, str, list | None]]:
    """(prelude, block, nested) of the rules that can match; at-rules keep their used content."""
    kept = []
    for node in nodes:
        if node.type == "qualified-rule":
            used = [s for s in _split(tinycss2.serialize(node.prelude)) if _selector_used(s, classes)]
            if used:
                kept.append((", ".join(used), tinycss2.serialize(node.content), None))
        elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports") and node.content is not None:
            inner = _rules(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), classes)
            if inner:
                kept.append((f"@{node.at_keyword} {tinycss2.serialize(node.prelude).strip()}", "", inner))
        elif node.type == "at-rule" and node.lower_at_keyword in ("keyframes", "font-face", "import", "charset"):
            # JupyterLab's animations and fonts belong to its interface (spinners, icons).
            continue
        elif node.type == "at-rule":
            kept.append((f"@{node.at_keyword} {tinycss2.serialize(node.prelude).strip()}", tinycss2.serialize(node.content or []), None))
    return kept


def _declarations(block: str) -> list[tuple[str, str]]:
    out = []
    for decl in tinycss2.parse_blocks_contents(block, skip_comments=True, skip_whitespace=True):
        if decl.type == "declaration":
            value = tinycss2.serialize(decl.value).strip()
            out.append((decl.name, value + (" !important" if decl.important else "")))
    return out


def _walk(rules):
    for prelude, block, nested in rules:
        if nested is None:
            yield prelude, block
        else:
            yield from _walk(nested)


def prune(css: str, classes: set[str]) -> str:
    """The rules of ``css`` that can match an element with these classes, and the custom
    properties they use (directly or through other custom properties)."""
    rules = _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), classes)
    defined: dict[str, list[str]] = {}
    needed: set[str] = set()
    for _, block in _walk(rules):
        for name, value in _declarations(block):
            if name.startswith("--"):
                defined.setdefault(name, []).append(value)
            else:
                needed.update(_VAR.findall(value))
    todo = list(needed)
    while todo:
        for value in defined.get(todo.pop(), []):
            for name in _VAR.findall(value):
                if name not in needed:
                    needed.add(name)
                    todo.append(name)

    def write(rules, indent="") -> list[str]:
        lines = []
        for prelude, block, nested in rules:
            if nested is not None:
                inner = write(nested, indent + "  ")
                if inner:
                    lines += [f"{indent}{prelude} {{", *inner, f"{indent}}}"]
                continue
            if prelude.startswith("@"):
                lines.append(f"{indent}{prelude}{' {' + block + '}' if block else ';'}")
                continue
            kept = [f"{n}: {v}" for n, v in _declarations(block) if not n.startswith("--") or n in needed]
            if kept:
                lines.append(f"{indent}{prelude} {{ {'; '.join(kept)} }}")
        return lines

    return "\n".join(write(rules)) + "\n"
