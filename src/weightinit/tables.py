"""Tables for the site, computed from the library at build time.

Each function returns a Markdown table. A page asks for one with
``[[table: name]]``; the build calls the function and puts its output there.
"""

from __future__ import annotations

from .schemes import SCHEMES

__all__ = ["schemes"]


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def schemes() -> str:
    """Every scheme in the registry: distribution, variance, what it suits, and its source."""
    lines = [
        _row(["scheme", "aliases", "draws", "variance of one weight", "suits", "source"]),
        _row(["---"] * 6),
    ]
    for s in SCHEMES.values():
        ref = f"[{s.reference.authors.split(',')[0]} {s.reference.year}]({s.reference.url})" if s.reference else ""
        lines.append(
            _row(
                [
                    f"`{s.name}`",
                    ", ".join(f"`{a}`" for a in s.aliases),
                    s.distribution.replace("_", " "),
                    f"${s.variance_tex}$",
                    ", ".join(s.suits),
                    ref,
                ]
            )
        )
    return "\n".join(lines) + "\n"
