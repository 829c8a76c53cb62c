"""The figures' shared look and the registry the build reads.

Every figure function is declared with `register`, which records its alt text and takes
its caption from the function's docstring, so that both sit beside the definition.
Figures are built with :class:`matplotlib.figure.Figure` directly, never pyplot, so no
global state leaks between them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator

__all__ = ["COLORS", "FIGURES", "MAX_WIDTH", "FigureSpec", "figure", "grid", "layers", "register", "tidy"]

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


def tidy(fig: Figure) -> Figure:
    """Few, labelled ticks on log axes: minor ticks cost most of the render time."""
    for ax in fig.axes:
        if ax.get_yscale() == "log":
            ax.yaxis.set_major_locator(LogLocator(numticks=7))
            ax.yaxis.set_minor_locator(NullLocator())
    return fig


def layers(values) -> np.ndarray:
    """Layer numbers 1, 2, ... for a per-layer sequence."""
    return np.arange(1, len(values) + 1)
