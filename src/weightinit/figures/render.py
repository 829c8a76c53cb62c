"""Render one registered figure to SVG bytes, the same bytes on every run.

The build hook calls `render_svg` in worker processes started with the "spawn"
method, so that each imports the library as it is on disk, never a copy inherited
from a long-running ``mkdocs serve``.
"""

from __future__ import annotations

import io
import time
import traceback

__all__ = ["draw_figure", "render_svg", "render_task", "save_svg"]


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


def render_task(name: str) -> tuple[str, bytes | None, str | None, float]:
    """``(name, svg, traceback, seconds)``: a worker's answer, errors as text with the figure's name."""
    t0 = time.perf_counter()
    try:
        data = render_svg(name)
    except Exception:  # noqa: BLE001 - the build reports it with the figure's name
        return name, None, traceback.format_exc(), time.perf_counter() - t0
    return name, data, None, time.perf_counter() - t0


def main(argv=None) -> int:
    """``python -m weightinit.figures.render OUTDIR NAME...``: render figures in a new process.

    Writes ``OUTDIR/NAME.svg`` for each figure and one JSON line per figure to stdout:
    ``{"name", "seconds", "error"}``, with the traceback as ``error`` if it failed.
    Returns 1 if any figure failed.
    """
    import json
    import sys
    from pathlib import Path

    args = sys.argv[1:] if argv is None else argv
    out, names = Path(args[0]), args[1:]
    failed = False
    for name in names:
        name, data, error, seconds = render_task(name)
        if data is not None:
            (out / f"{name}.svg").write_bytes(data)
        failed |= error is not None
        print(json.dumps({"name": name, "seconds": seconds, "error": error}), flush=True)
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main())
