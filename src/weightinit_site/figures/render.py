"""Render one registered figure to SVG bytes, the same bytes on every run.

The build calls `render_svg` in its pool of new Python processes (``docs/hooks/core.py``), so
that each imports the library as it is on disk, never a copy inherited from a
long-running ``mkdocs serve``; a single figure renders in the build's own process,
after the hook has made its imports current.
"""

from __future__ import annotations

import io

__all__ = ["draw_figure", "render_svg", "save_svg"]


def draw_figure(name: str):
    """The registered figure `name`, drawn and tidied (see `_style.tidy`), not yet saved.

    Raises
    ------
    KeyError
        If no figure of that name is registered.
    """
    from . import FIGURES
    from ._style import tidy

    if name not in FIGURES:
        raise KeyError(f"no figure {name!r}; known: {', '.join(sorted(FIGURES))}")
    return tidy(FIGURES[name].function())


def save_svg(fig, name: str) -> bytes:
    """SVG bytes of `fig`: fonts as paths, ids salted with `name`, no date.

    The page is the figure's own size, never cropped or grown ("tight" would draw it a
    second time and could make it wider than the column): constrained layout keeps
    every artist inside, which the tests check.
    """
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": f"weightinit-{name}", "svg.fonttype": "path"}):
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def render_svg(name: str) -> bytes:
    """SVG of the registered figure `name`, the same bytes on every run.

    Raises
    ------
    KeyError
        If no figure of that name is registered.
    """
    import matplotlib

    matplotlib.use("Agg")
    return save_svg(draw_figure(name), name)
