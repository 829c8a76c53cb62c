"""Figures of the Practice pages: one function per figure, numbers from weightinit.practice."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from weightinit import practice
from ._style import COLORS, figure, register

__all__ = [
    "practice_dead_relus",
    "practice_depth_profiles",
]


@register(alt="Std of the activations after each of 20 layers: tanh with std 0.01, Glorot normal and std 1.0; ReLU with LeCun normal, He normal and std 0.1")
def practice_depth_profiles() -> Figure:
    r"""Std of the activations after each of 20 layers of 256 units, tanh and ReLU, for a good
    scheme, a too small and a too large one (`practice.depth_profiles`)."""
    profiles = practice.depth_profiles()
    fig, axes = figure(2, width=10.4, height=4.0)
    for ax, activation in zip(axes, ("tanh", "relu")):
        cases = [(label, s) for (act, label), s in profiles.items() if act == activation]
        for color, (label, stds) in zip(COLORS, cases):
            layers = np.arange(1, len(stds) + 1)
            ax.semilogy(layers, stds, "o-", ms=3, color=color, label=f"{label}: {stds[-1]:.2g}")
        ax.set_title(f"{activation}: std of the activations", fontsize=10)
        ax.set_xlabel("layer")
        ax.legend(frameon=False, fontsize=8, title="std at the last layer", title_fontsize=8)
    return fig


@register(alt="Percentage of dead units in each of the 4 hidden layers for biases 0, -0.5, -1, -2 and -5")
def practice_dead_relus() -> Figure:
    r"""Fraction of dead units per hidden layer of the Debug page's He ReLU network, for
    biases from 0 to -5 (`weightinit.diagnose`)."""
    biases = (0.0, -0.5, -1.0, -2.0, -5.0)
    dead = practice.dead_fractions(biases)
    fig, (ax,) = figure()
    for color, (bias, fractions) in zip(COLORS, zip(biases, dead)):
        layers = np.arange(1, len(fractions) + 1)
        ax.plot(layers, 100 * fractions, "o-", color=color, label=f"bias {bias:g}")
    ax.set_xticks(np.arange(1, dead.shape[1] + 1))
    ax.set_xlabel("hidden layer")
    ax.set_ylabel("dead units (%)")
    ax.set_ylim(-5, 105)
    ax.legend(frameon=False, fontsize=8)
    return fig
