"""Figures for the site: one function per figure, each returning a matplotlib Figure.

The build renders every name in ``__all__`` to ``figures/<name>.svg``. Functions
build their figure with :class:`matplotlib.figure.Figure` directly, never pyplot,
so that no global state leaks between them, and use fixed seeds so that the same
code gives the same bytes.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from . import initializers as init

__all__ = ["scheme_distributions", "variance_by_fan"]

_COLORS = ("#3f51b5", "#e65100", "#2e7d32", "#ad1457", "#00838f", "#6d4c41")


def _figure(ncols: int = 1, width: float = 6.4, height: float = 3.6) -> tuple[Figure, np.ndarray]:
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, ncols))
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    return fig, axes


def scheme_distributions() -> Figure:
    """Histograms of He normal, He uniform and the corrected truncated normal for one
    256 x 256 layer, with their shared target standard deviation."""
    fig, (ax,) = _figure()
    shape = (256, 256)
    std = np.sqrt(2 / shape[0])
    samples = {
        "he_normal": init.he_normal(shape, rng=0),
        "he_uniform": init.he_uniform(shape, rng=0),
        "truncated normal, same variance": init.variance_scaling(shape, 2.0, distribution="truncated_normal", rng=0),
    }
    bins = np.linspace(-4 * std, 4 * std, 81)
    for color, (label, w) in zip(_COLORS, samples.items()):
        ax.hist(w.ravel(), bins=bins, density=True, histtype="step", lw=1.6, color=color,
                label=f"{label} (std {w.std():.4f})")
    for k in (-1, 1):
        ax.axvline(k * std, color="0.4", ls=":", lw=1)
    ax.set_xlabel("weight value")
    ax.set_ylabel("density")
    ax.set_title(f"Three distributions, one variance 2/fan_in (target std {std:.4f})")
    ax.legend(frameon=False, fontsize=8)
    return fig


def variance_by_fan() -> Figure:
    """Weight standard deviation prescribed by LeCun, Glorot and He against the fan-in
    of a square layer, measured on sampled weights."""
    fig, (ax,) = _figure()
    fans = np.array([16, 32, 64, 128, 256, 512, 1024])
    for color, name in zip(_COLORS, ("lecun_normal", "glorot_normal", "he_normal", "pytorch_default")):
        stds = [getattr(init, name)((n, n), rng=1).std() for n in fans]
        ax.loglog(fans, stds, "o-", color=color, label=name, base=2)
    ax.set_xlabel("fan_in (= fan_out)")
    ax.set_ylabel("std of the sampled weights")
    ax.set_title("Wider layers get smaller weights")
    ax.legend(frameon=False)
    return fig
