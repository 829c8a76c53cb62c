"""Griffe extension: render the reStructuredText bits of numpydoc docstrings as Markdown.

The library's docstrings follow numpydoc, so ``help()`` and Sphinx users read them as
usual; the site's API reference turns ``:math:`...```, ``.. math::`` blocks and the
``:func:``/``:class:``/``:data:``/``:mod:`` roles into math and code as it loads them.
"""

from __future__ import annotations

import re

import griffe

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


class NumpydocMarkdown(griffe.Extension):
    """Applies :func:`numpydoc_to_markdown` to every docstring griffe loads."""

    def on_object(self, *, obj, **kwargs) -> None:
        if obj.docstring is not None:
            obj.docstring.value = numpydoc_to_markdown(obj.docstring.value)
