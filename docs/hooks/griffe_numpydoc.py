"""Griffe extension: render the reStructuredText bits of numpydoc docstrings as Markdown.

The library's docstrings follow numpydoc, so ``help()`` and Sphinx users read them as
usual; the site's API reference turns ``:math:`...```, ``.. math::`` blocks and the
``:func:``/``:class:``/``:data:``/``:mod:`` roles into math and code as it loads them.

It also makes the parameter tables agree with the signature. A numpydoc line may name
several parameters (``in_axis, out_axis : int``); griffe 2.4 then lists each one with
the shared description and gives all of them the first one's default. Such a line
becomes one row, ``in_axis, out_axis``, with the description once and each default
in order; and every default shown comes from the signature (the default griffe reads
from the source), never from the docstring's type text.
"""

from __future__ import annotations

import re

import griffe

_PARAMETER_KINDS = {"parameters", "other parameters"}

_MATH_ROLE = re.compile(r":math:`([^`]+)`")
_XREF_ROLE = re.compile(r":(?:func|class|data|mod|meth|attr|obj):`~?([^`]+)`")
_MATH_BLOCK = re.compile(r"^(?P<indent>[ ]*)\.\. math::[ ]*\n\n(?P<body>(?:(?P=indent)[ ]+.*\n|[ ]*\n)+)", re.M)


def numpydoc_to_markdown(text: str) -> str:
    """Rewrite the reStructuredText constructs the library's docstrings use."""

    def block(match: re.Match) -> str:
        indent = match["indent"]
        lines = [line.strip() for line in match["body"].strip("\n").splitlines()]
        return f"{indent}$$\n" + "".join(f"{indent}{line}\n" for line in lines) + f"{indent}$$\n\n"

    text = _MATH_BLOCK.sub(block, text + "\n").rstrip("\n")
    text = _MATH_ROLE.sub(lambda m: f"${m[1]}$", text)
    return _XREF_ROLE.sub(lambda m: f"`{m[1]}`", text)


def _signature_default(parameters, name: str) -> str | None:
    try:
        parameter = parameters[name.lstrip("*")]
        default = parameter.default
    except (KeyError, AttributeError, TypeError):
        return None
    # *args and **kwargs have no default, whatever griffe stores for them.
    if getattr(getattr(parameter, "kind", None), "name", "") in ("var_positional", "var_keyword"):
        return None
    return None if default is None else str(default)


def signature_parameters(sections, parameters) -> list:
    """One row per docstring line, each default from the signature.

    ``parameters`` is the function's (or class's) griffe parameter list.
    """
    for section in sections:
        if section.kind.value not in _PARAMETER_KINDS:
            continue
        rows: list = []
        for item in section.value:
            last = rows[-1] if rows else None
            # griffe splits "a, b : type" into consecutive items sharing one description.
            if last is not None and last.description == item.description and last.annotation == item.annotation and item.description:
                last.names.append(item.name)
            else:
                item.names = [item.name]
                rows.append(item)
        for row in rows:
            defaults = [_signature_default(parameters, name) for name in row.names]
            row.name = ", ".join(row.names)
            if all(d is None for d in defaults):
                row.value = None
            else:
                row.value = ", ".join("required" if d is None else d for d in defaults)
        section.value = rows
    return sections


class _SignatureDocstring(griffe.Docstring):
    """A docstring whose parsed parameter sections follow the signature (parsed lazily)."""

    @property
    def parsed(self):
        if "_signature_parsed" not in self.__dict__:
            parent = self.parent
            parameters = getattr(parent, "parameters", None) if parent is not None else None
            self.__dict__["_signature_parsed"] = signature_parameters(self.parse(), parameters or {})
        return self.__dict__["_signature_parsed"]


class NumpydocMarkdown(griffe.Extension):
    """Applies :func:`numpydoc_to_markdown` to every docstring griffe loads, and makes
    parameter tables follow the signature (:func:`signature_parameters`)."""

    def on_object(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = numpydoc_to_markdown(obj.docstring.value)
            obj.docstring.__class__ = _SignatureDocstring
