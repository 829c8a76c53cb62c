"""Alt text for the figures a notebook cell draws, read from the cell's code.

Not a hook: ``notebooks.py`` puts the sentences into the notebook pages.
"""

from __future__ import annotations

import ast
import re

from mathml import mathml_to_text, tex_to_mathml

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
