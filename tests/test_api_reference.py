"""The API reference agrees with the code: every default it shows is the signature's."""

from __future__ import annotations

import ast
import dataclasses
import html
import importlib
import inspect
import re

import numpy as np
import pytest

pytestmark = pytest.mark.site

_HEADING = re.compile(r'<h[2-6] id="(?P<id>weightinit\.[\w.]+)" class="doc doc-heading">')
_ROW = re.compile(r'<tr class="doc-section-item">(?P<row>.*?)</tr>', re.S)
_CELL = re.compile(r"<td>(?P<cell>.*?)</td>", re.S)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _sections(page: str):
    """(dotted name, HTML up to the next heading) for every object on the page."""
    heads = list(_HEADING.finditer(page))
    for head, nxt in zip(heads, heads[1:] + [None]):
        yield head["id"], page[head.end() : nxt.start() if nxt else len(page)]


def _resolve(dotted: str):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part)
        return obj
    raise LookupError(dotted)


def _equal(shown, default, owner=None, name=None) -> bool:
    if repr(default) == "<factory>" and dataclasses.is_dataclass(owner):
        # A dataclass field with default_factory: the page shows the factory call.
        default = {f.name: f for f in dataclasses.fields(owner)}[name].default_factory()
    if inspect.isfunction(default) and inspect.isfunction(shown):
        # A lambda default: the page shows its source; compare what it computes.
        return (shown.__code__.co_code, shown.__code__.co_consts) == (default.__code__.co_code, default.__code__.co_consts)
    if isinstance(default, np.ndarray) or isinstance(shown, np.ndarray):
        return np.array_equal(shown, default)
    return shown == default or (shown != shown and default != default)


def _shown_value(text: str, namespace: dict):
    return eval(text, namespace)  # noqa: S307 - the page's own default expressions


def _parameter_tables(section: str):
    """Rows (name cell, default cell) of the Parameters table, if it has a Default column."""
    table = re.search(r"<table>.*?</table>", section, re.S)
    if table is None or "<th>Default</th>" not in table[0]:
        return []
    rows = []
    for row in _ROW.finditer(table[0]):
        cells = [_text(c["cell"]) for c in _CELL.finditer(row["row"])]
        rows.append((cells[0], cells[-1]))
    return rows


def _api_pages(site):
    """The API reference: an index page and one page per module."""
    return sorted((site / "reference" / "api").glob("*/index.html"))


def _callables(site):
    found = []
    for path in _api_pages(site):
        for dotted, section in _sections(path.read_text()):
            obj = _resolve(dotted)
            if callable(obj) and not inspect.ismodule(obj):
                found.append((dotted, obj, section))
    return found


def test_api_page_documents_the_public_functions(built_site):
    site, _ = built_site
    documented = {id(obj) for _, obj, _ in _callables(site)}
    import weightinit

    # Aliases (kaiming_normal is he_normal) count as documented under their target.
    missing = [n for n in weightinit.__all__ if callable(getattr(weightinit, n)) and id(getattr(weightinit, n)) not in documented]
    assert not missing, f"public callables missing from the API page: {missing}"


def test_every_default_shown_equals_the_signature(built_site):
    site, _ = built_site
    checked, wrong = 0, []
    for dotted, obj, section in _callables(site):
        try:
            signature = inspect.signature(obj)
        except (TypeError, ValueError):
            continue
        params = signature.parameters
        module = importlib.import_module(getattr(obj, "__module__", "weightinit"))
        namespace = {**vars(module), "np": np}
        seen: list[str] = []
        for name_cell, default_cell in _parameter_tables(section):
            # numpydoc writes a variadic parameter with its stars: "**params".
            names = [n.strip().lstrip("*") for n in name_cell.split(",")]
            seen += names
            unknown = [n for n in names if n not in params]
            assert not unknown, f"{dotted}: documents {unknown}, which the signature lacks"
            if len(names) == 1 or default_cell == "required":
                shown = [default_cell] * len(names)
            else:
                shown = [ast.unparse(e) for e in ast.parse(f"({default_cell},)", mode="eval").body.elts]
            assert len(shown) == len(names), f"{dotted}: {name_cell} shows {default_cell!r}"
            for name, text in zip(names, shown):
                default = params[name].default
                checked += 1
                if text == "required":
                    if default is not inspect.Parameter.empty:
                        wrong.append(f"{dotted}({name}): shows required, signature has {default!r}")
                elif default is inspect.Parameter.empty:
                    wrong.append(f"{dotted}({name}): shows {text}, signature has none")
                elif not _equal(_shown_value(text, namespace), default, obj, name):
                    wrong.append(f"{dotted}({name}): shows {text}, signature has {default!r}")
        duplicated = sorted({n for n in seen if seen.count(n) > 1})
        assert not duplicated, f"{dotted}: parameters listed twice: {duplicated}"
        # The signature line above the table shows the defaults too.
        block = re.search(r'<div class="doc-signature[^"]*">(.*?)</div>', section, re.S)
        if block is not None:
            text = _text(block[1])
            tree = ast.parse(f"def {text[text.index('('):]}: pass".replace("def (", "def f("))
            args = tree.body[0].args
            positional = args.posonlyargs + args.args
            pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
            pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
            for arg, node in pairs:
                checked += 1
                value = eval(compile(ast.Expression(node), dotted, "eval"), namespace)  # noqa: S307
                if arg.arg in params and not _equal(value, params[arg.arg].default, obj, arg.arg):
                    wrong.append(f"{dotted} signature: {arg.arg}={ast.unparse(node)}, code has {params[arg.arg].default!r}")
    assert checked > 100, f"only {checked} defaults found on the API page: has its layout changed?"
    assert not wrong, "\n".join(wrong)


def test_api_index_lists_every_module_page_with_its_docstring(built_site):
    """The index's table names each module page, summed up by its docstring's first paragraph."""
    site, _ = built_site
    index = (site / "reference" / "api" / "index.html").read_text()
    rows = re.findall(r'<td><a href="(\w+)/"><code>weightinit\.(\w+)</code></a></td>\s*<td>(.*?)</td>', index, re.S)
    pages = {p.parent.name for p in _api_pages(site)}
    assert {href for href, _, _ in rows} == pages and len(rows) == len(pages), (rows, pages)
    for href, module, summary in rows:
        assert href == module, f"{module} links to {href}"
        doc = " ".join(importlib.import_module(f"weightinit.{module}").__doc__.strip().split("\n\n")[0].split())
        assert _text(summary) == doc, f"weightinit.{module}: the index says {_text(summary)!r}, its docstring {doc!r}"
