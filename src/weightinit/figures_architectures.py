"""Figures for the Architectures pages: transformers, width scaling and recurrent nets.

The build renders every name in ``__all__`` to ``figures/<name>.svg``. The numbers come
from :mod:`weightinit.architectures`; these functions only lay them out.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from . import architectures as arch
from .figures import _COLORS, _figure

__all__ = [
    "deepnorm_update_size",
    "mup_coordinate_check",
    "residual_stream_depth",
    "rnn_gradient_radius",
]


def residual_stream_depth() -> Figure:
    """Std of a pre-LN residual stream against depth, output projections at std 0.02 and
    at 0.02 / sqrt(2 L)."""
    fig, (ax,) = _figure(width=6.4, height=3.6)
    depth = 48
    for color, (label, scaled) in zip(_COLORS, (("std 0.02 everywhere", False),
                                                ("output projections 0.02 / sqrt(2L)", True))):
        stds = arch.residual_stream_std(depth=depth, scale_residual=scaled)
        ax.plot(np.arange(depth + 1), stds, color=color, lw=1.8, label=label)
    ax.set_xlabel("block")
    ax.set_ylabel("std of the residual stream")
    ax.set_title(f"Pre-LN stack of {depth} blocks (2 residual layers each), width 128", fontsize=10)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    return fig


def deepnorm_update_size() -> Figure:
    """Change of a Post-LN network's output after one SGD step against depth: Post-LN
    against DeepNorm."""
    fig, (ax,) = _figure(width=6.4, height=3.6)
    r = arch.update_size()
    ax.loglog(r.depths, r.post_ln, "o-", color=_COLORS[0], lw=1.8, label="Post-LN (alpha = beta = 1)")
    ax.loglog(r.depths, r.deepnorm, "s-", color=_COLORS[1], lw=1.8, label="DeepNorm (alpha, beta by depth)")
    ax.set_xticks(r.depths, [str(d) for d in r.depths])
    ax.minorticks_off()
    ax.set_xlabel("blocks N")
    ax.set_ylabel("mean ||F(x; θ') − F(x; θ)||")
    ax.set_title("Output change after one SGD step, lr 1e-4, width 32", fontsize=10)
    ax.legend(frameon=False, fontsize=9, loc="center right")
    return fig


def mup_coordinate_check() -> Figure:
    """Coordinate check: how far an MLP's output moves in its first SGD steps against width,
    standard parametrization against muP."""
    fig, axes = _figure(2, width=9.6, height=3.6)
    axes[1].sharey(axes[0])
    for ax, (name, title) in zip(axes, (("sp", "standard parametrization"), ("mup", "muP"))):
        c = arch.coordinate_check(name)
        for t, color in zip(range(1, c.output.shape[1]), _COLORS):
            ax.loglog(c.widths, c.output[:, t], "o-", color=color, lw=1.6, label=f"after step {t}")
        ax.set_xticks(c.widths, [str(w) for w in c.widths])
        ax.minorticks_off()
        ax.set_xlabel("width")
        ax.set_title(title, fontsize=10)
    axes[0].set_ylabel("mean |f_t(x) − f_0(x)|")
    axes[0].legend(frameon=False, fontsize=9, loc="upper left")
    return fig


def rnn_gradient_radius() -> Figure:
    """Norm of a vanilla RNN's gradient carried back 50 steps against the spectral radius
    of its recurrent matrix, linear and tanh."""
    fig, (ax,) = _figure(width=6.4, height=3.6)
    radii = np.linspace(0.7, 1.3, 13)
    for color, act in zip(_COLORS, ("linear", "tanh")):
        ax.semilogy(radii, arch.rnn_gradient_norm(radii=radii, activation=act), "o-", color=color,
                    lw=1.8, label=act)
    ax.axvline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("spectral radius of the recurrent matrix")
    ax.set_ylabel("||dL/dh_0|| after 50 steps")
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    return fig
