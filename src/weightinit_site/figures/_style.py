"""The figures' shared look and the registry the build reads.

Every figure function is declared with `register`, which records its alt text and takes
its caption from the function's docstring, so that both sit beside the definition.
Figures are built with :class:`matplotlib.figure.Figure` directly, never pyplot, so no
global state leaks between them.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogFormatter, LogLocator, NullLocator

__all__ = ["COLORS", "FIGURES", "MAX_WIDTH", "FigureSpec", "figure", "grid", "layers", "legend_below", "legend_outside", "power_label", "register", "tidy"]

COLORS = ("#3f51b5", "#e65100", "#2e7d32", "#ad1457", "#00838f", "#6d4c41")
"""The palette, in the order lines are drawn."""

MAX_WIDTH = 7.0
"""Widest figure, in inches: 672 CSS pixels, the content column of a 1280 px page, so a
figure is shown at its drawn size and 8 pt text stays above 10 px."""


@dataclass(frozen=True)
class FigureSpec:
    """One figure: its name (the SVG's file name), the function that draws it, its text.

    Attributes
    ----------
    name : str
        File name without ``.svg``; pages place it with ``[[figure: name]]``.
    function : callable
        Returns a :class:`matplotlib.figure.Figure`; takes no argument.
    alt : str
        One sentence saying what the figure shows, for readers who cannot see it.
    caption : str
        The function's docstring on one line: what was run and what is drawn.
    module : str
        The module that defines the function.
    """

    name: str
    function: Callable[[], Figure]
    alt: str
    caption: str
    module: str


FIGURES: dict[str, FigureSpec] = {}
"""Figure name -> `FigureSpec`, filled by `register` as the figure modules are imported."""


def register(alt: str):
    """Declare a figure function: ``@register(alt="...")`` above its definition.

    Parameters
    ----------
    alt : str
        One sentence saying what the figure shows.

    Returns
    -------
    callable
        A decorator that records the function in `FIGURES` and returns it unchanged.

    Raises
    ------
    ValueError
        If the alt text is empty, the function has no docstring, or the name is taken.
    """
    if not alt or not alt.strip():
        raise ValueError("alt must be a non-empty sentence saying what the figure shows")

    def decorate(func):
        doc = inspect.getdoc(func)
        if not doc:
            raise ValueError(f"figure {func.__name__!r} needs a docstring: it is the caption")
        if func.__name__ in FIGURES and FIGURES[func.__name__].module != func.__module__:
            raise ValueError(f"figure {func.__name__!r} is defined in {FIGURES[func.__name__].module} "
                             f"and {func.__module__}")
        FIGURES[func.__name__] = FigureSpec(func.__name__, func, alt.strip(), " ".join(doc.split()),
                                            func.__module__)
        return func

    return decorate


def figure(ncols: int = 1, width: float = 6.4, height: float = 3.6) -> tuple[Figure, np.ndarray]:
    """A figure with one row of `ncols` axes, light grid, no top or right spine.

    `width` is capped at `MAX_WIDTH` so that the page never shrinks the figure."""
    fig = Figure(figsize=(min(width, MAX_WIDTH), height), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, ncols))
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    return fig, axes


def grid(width: float = 8.4, height: float = 7.0) -> tuple[Figure, np.ndarray]:
    """A 2 x 2 grid: four panels stay legible at the width of a page (capped at `MAX_WIDTH`)."""
    fig = Figure(figsize=(min(width, MAX_WIDTH), height), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    return fig, axes


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def power_label(value: float, base: float = 10) -> str:
    """A log-axis tick label in plain text: ``10⁻³``, ``2⁵``; ``1`` and ``10`` as themselves.

    Plain Unicode superscripts instead of mathtext: parsing ``$10^{-3}$`` for every tick
    was a fifth of the time to render the site's figures.

    Examples
    --------
    >>> power_label(1e-3), power_label(32, base=2), power_label(10), power_label(0.5)
    ('10⁻³', '2⁵', '10', '0.5')
    """
    if value <= 0:
        return ""
    exponent = math.log(value, base)
    if abs(exponent - round(exponent)) > 1e-9:
        return f"{value:g}"
    exponent = round(exponent)
    if exponent in (0, 1) and base == 10:
        return f"{value:g}"
    return f"{base:g}" + str(exponent).translate(_SUPERSCRIPT)


def tidy(fig: Figure) -> Figure:
    """Few, plain-text labelled ticks on log axes, no minor ticks.

    The renderer applies it to every figure: minor ticks and mathtext tick labels cost
    most of the time to draw a log axis."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() != "log":
                continue
            base = axis.get_transform().base
            lo, hi = sorted(axis.get_view_interval())
            # Less than two decades would show one or two labels: label 1, 2 and 5 too.
            narrow = base == 10 and lo > 0 and math.log10(hi / lo) < 2
            if isinstance(axis.get_major_locator(), LogLocator):
                axis.set_major_locator(LogLocator(base=base, subs=(1, 2, 5) if narrow else (1.0,), numticks=7))
            if isinstance(axis.get_major_formatter(), LogFormatter):
                label = (lambda v, _pos: f"{v:g}") if narrow else (lambda v, _pos, b=base: power_label(v, b))
                axis.set_major_formatter(FuncFormatter(label))
            axis.set_minor_locator(NullLocator())
    return fig


def legend_below(ax, ncols: int = 1, gap: float = 30.0, **kwargs):
    """A frameless legend under the axes and its x label, where it cannot cover data.

    `gap` is the distance in points from the bottom of the axes to the legend's top: the
    height of the tick labels and the x label. Constrained layout makes room for it."""
    from matplotlib.transforms import ScaledTranslation

    offset = ScaledTranslation(0, -gap / 72, ax.figure.dpi_scale_trans)
    kwargs.setdefault("fontsize", 8)
    kwargs.setdefault("title_fontsize", kwargs["fontsize"])
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=ax.transAxes + offset,
                     ncols=ncols, frameon=False, **kwargs)


def legend_outside(fig: Figure, ax, where: str = "lower center", ncols: int = 1, **kwargs):
    """One frameless legend for the whole figure, outside every axes (``loc="outside ..."``),
    built from the handles of `ax`: for panels that share their entries."""
    kwargs.setdefault("fontsize", 8)
    kwargs.setdefault("title_fontsize", kwargs["fontsize"])
    handles, labels = ax.get_legend_handles_labels()
    return fig.legend(handles, labels, loc=f"outside {where}", ncols=ncols, frameon=False, **kwargs)


def layers(values) -> np.ndarray:
    """Layer numbers 1, 2, ... for a per-layer sequence."""
    return np.arange(1, len(values) + 1)
