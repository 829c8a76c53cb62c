"""Figures for the Basics pages: fans and gains."""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.figure import Figure

from weightinit import experiments
from weightinit.initializers import gain, variance_scaling
from ._style import COLORS, figure, register

__all__ = ["gain_depth", "glorot_compromise", "variance_by_fan"]


@register(alt="Weight standard deviation of LeCun, Glorot, He and PyTorch's default against the fan of a "
              "square layer: every curve falls like one over the square root of the fan")
def variance_by_fan() -> Figure:
    """Weight standard deviation prescribed by LeCun, Glorot and He against the fan-in
    of a square layer, measured on sampled weights."""
    fig, (ax,) = figure()
    fans = np.array([16, 32, 64, 128, 256, 512, 1024])
    for color, (name, stds) in zip(COLORS, experiments.std_by_fan(fans=fans, rng=1).items()):
        ax.loglog(fans, stds, "o-", color=color, label=name, base=2)
    ax.set_xlabel("fan_in (= fan_out)")
    ax.set_ylabel("std of the sampled weights")
    ax.set_title("Wider layers get smaller weights")
    ax.legend(frameon=False)
    return fig


@register(alt="Forward and backward variance through a narrowing linear network for fan_in, fan_out and "
              "fan_avg")
def glorot_compromise() -> Figure:
    r"""Variance of the forward signal and of the backward gradient through a linear funnel
    whose width shrinks by $\sqrt{2}$ per layer (1024 to 64), with
    $\operatorname{Var}(w) = 1/n_\text{in}$, $1/n_\text{out}$ and $2/(n_\text{in} + n_\text{out})$."""
    modes = {"1/fan_in (LeCun)": "fan_in", "1/fan_out": "fan_out", "2/(fan_in + fan_out) (Glorot)": "fan_avg"}
    fig, (fwd, bwd) = figure(2, width=8.4, height=3.4)
    for color, (label, mode) in zip(COLORS, modes.items()):
        funnel = experiments.funnel_variances(mode, n_samples=200, rng=0)
        layers = np.arange(len(funnel.widths))
        fwd.semilogy(layers, funnel.forward, "o-", ms=3, color=color, label=label, base=2)
        bwd.semilogy(layers, funnel.backward, "o-", ms=3, color=color, label=label, base=2)
    for ax, title in ((fwd, "forward: Var of activations"), (bwd, "backward: Var of gradients")):
        ax.axhline(1.0, color="0.4", ls=":", lw=1)
        ax.set_title(title)
        ax.set_xlabel(f"layer (widths {funnel.widths[0]} down to {funnel.widths[-1]})")
    fwd.legend(frameon=False, fontsize=8)
    return fig


@register(alt="Activation std through 50 tanh and ReLU layers for two gains each")
def gain_depth() -> Figure:
    r"""Activation std through 50 layers of 128 units: tanh with gain 1 and 5/3, ReLU with
    gain 1 and $\sqrt{2}$; weights $\mathcal{N}(0,\ \text{gain}^2 / n_\text{in})$."""
    cases = {"tanh": (("1", 1.0), ("5/3", gain("tanh"))),
             "relu": (("1", 1.0), ("sqrt(2)", gain("relu")))}
    fig, axes = figure(2, width=8.4, height=3.4)
    for ax, (activation, gains) in zip(axes, cases.items()):
        for color, (label, g) in zip(COLORS, gains):
            stds = experiments.activation_stats(partial(variance_scaling, scale=g * g), activation,
                                                widths=[128] * 50, n_samples=200, rng=0).stds
            ax.semilogy(np.arange(1, 51), stds, "-", color=color, label=f"gain {label} (layer 50: {stds[-1]:.2g})")
        ax.set_title(activation)
        ax.set_xlabel("layer")
        ax.legend(frameon=False, fontsize=8)
    axes[0].set_ylabel("std of activations")
    return fig
