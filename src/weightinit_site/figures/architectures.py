"""Figures for the Architectures pages: transformers, width scaling and recurrent nets.

The numbers come from :mod:`weightinit.architectures` and :mod:`weightinit.meanfield`;
these functions only lay them out.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from weightinit import architectures as arch
from weightinit.meanfield import exact_gain
from ._style import COLORS, figure, legend_outside, register

__all__ = [
    "deepnorm_update_size",
    "exact_gain_by_q",
    "llm_stream_depth",
    "mup_coordinate_check",
    "residual_stream_depth",
    "rnn_gradient_radius",
]


@register(alt="Std of the residual stream against block index: it grows without residual scaling and stays at 1 with output projections at 0.02 / sqrt(2L).")
def residual_stream_depth() -> Figure:
    r"""Std of a pre-LN residual stream against depth, output projections at std 0.02 and
    at $0.02 / \sqrt{2L}$."""
    fig, (ax,) = figure(width=6.4, height=3.6)
    depth = 48
    for color, (label, scaled) in zip(COLORS, (("std 0.02 everywhere", False),
                                                ("output projections 0.02 / sqrt(2L)", True))):
        stds = arch.residual_stream_std(depth=depth, scale_residual=scaled)
        ax.plot(np.arange(depth + 1), stds, color=color, lw=1.8, label=label)
    ax.set_xlabel("block")
    ax.set_ylabel("std of the residual stream")
    ax.set_title(f"Pre-LN stack of {depth} blocks (2 residual layers each), width 128", fontsize=10)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    return fig


@register(alt="Std of a Llama-shaped model's residual stream against block index on a log axis, one line per initialization recipe: Hugging Face Llama and OLMo 2 grow the most, torchtitan starts at 1 and stays near 2, GPT-NeoX stays smallest.")
def llm_stream_depth() -> Figure:
    """Std of the residual stream of a Llama-shaped decoder (width 4096, 32 blocks) at
    initialization, after the embedding (block 0) and after each block, under six recipes."""
    fig, (ax,) = figure(width=6.4, height=4.0)
    n = arch.LLM_SHAPE["n_layers"]
    for color, (recipe, label) in zip(COLORS, arch.LLM_RECIPES.items()):
        r = arch.llm_residual_stream(recipe, **arch.LLM_SHAPE)
        ax.semilogy(np.arange(n + 1), r.std, color=color, lw=1.8, label=label)
    ax.set_xlabel("block (0: the embedding)")
    ax.set_ylabel("std of the residual stream")
    ax.set_title("Width 4096, 32 blocks, SwiGLU width 11008, 16 tokens", fontsize=10)
    legend_outside(fig, ax, ncols=2, fontsize=9)
    return fig


@register(alt="Output change after one SGD step against depth on log axes: Post-LN grows with depth, DeepNorm stays flat.")
def deepnorm_update_size() -> Figure:
    """Change of a Post-LN network's output after one SGD step against depth: Post-LN
    against DeepNorm."""
    fig, (ax,) = figure(width=6.4, height=3.6)
    r = arch.update_size()
    ax.loglog(r.depths, r.post_ln, "o-", color=COLORS[0], lw=1.8, label="Post-LN (alpha = beta = 1)")
    ax.loglog(r.depths, r.deepnorm, "s-", color=COLORS[1], lw=1.8, label="DeepNorm (alpha, beta by depth)")
    ax.set_xticks(r.depths, [str(d) for d in r.depths])
    ax.minorticks_off()
    ax.set_xlabel("blocks N")
    ax.set_ylabel("mean ||F(x; θ') − F(x; θ)||")
    ax.set_title("Output change after one SGD step, lr 1e-4, width 32", fontsize=10)
    ax.legend(frameon=False, fontsize=9, loc="center right")
    return fig


@register(alt="Coordinate check: under the standard parametrization the output moves further as width grows; under muP the curves are flat.")
def mup_coordinate_check() -> Figure:
    """Coordinate check: how far an MLP's output moves in its first SGD steps against width,
    standard parametrization against muP."""
    fig, axes = figure(2, width=9.6, height=3.6)
    axes[1].sharey(axes[0])
    for ax, (name, title) in zip(axes, (("sp", "standard parametrization"), ("mup", "muP"))):
        # Widths to 1024 show the trend; 2048 would cost as much as all the others.
        c = arch.coordinate_check(name, widths=(64, 128, 256, 512, 1024))
        for t, color in zip(range(1, c.output.shape[1]), COLORS):
            ax.loglog(c.widths, c.output[:, t], "o-", color=color, lw=1.6, label=f"after step {t}")
        ax.set_xticks(c.widths, [str(w) for w in c.widths])
        ax.minorticks_off()
        ax.set_xlabel("width")
        ax.set_title(title, fontsize=10)
    axes[0].set_ylabel("mean |f_t(x) − f_0(x)|")
    legend_outside(fig, axes[0], ncols=2, fontsize=9)
    return fig


@register(alt="Gradient norm after 50 steps against the recurrent spectral radius: linear RNN crosses 1 at radius 1; tanh stays far below.")
def rnn_gradient_radius() -> Figure:
    """Norm of a vanilla RNN's gradient carried back 50 steps against the spectral radius
    of its recurrent matrix, linear and tanh."""
    fig, (ax,) = figure(width=6.4, height=3.6)
    radii = np.linspace(0.7, 1.3, 13)
    for color, act in zip(COLORS, ("linear", "tanh")):
        ax.semilogy(radii, arch.rnn_gradient_norm(radii=radii, activation=act), "o-", color=color,
                    lw=1.8, label=act)
    ax.axvline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("spectral radius of the recurrent matrix")
    ax.set_ylabel("||dL/dh_0|| after 50 steps")
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    return fig


@register(alt="Exact gain against the pre-activation variance q for tanh, sigmoid, SELU, ELU, GELU, SiLU, softplus and Mish")
def exact_gain_by_q() -> Figure:
    r"""The second-moment gain `meanfield.exact_gain` of each activation against the
    pre-activation variance $q$ it keeps, with relu's $\sqrt{2}$ and linear's 1 for reference."""
    fig, (ax,) = figure(height=4.2)
    q = np.geomspace(1e-2, 1e2, 81)
    names = ("tanh", "sigmoid", "selu", "elu", "gelu", "silu", "softplus", "mish")
    for k, name in enumerate(names):
        ax.semilogx(q, [exact_gain(name, v) for v in q], color=f"C{k}", lw=1.6, label=name)
    for g, label in ((np.sqrt(2), r"relu, $\sqrt{2}$"), (1.0, "linear, 1")):
        ax.axhline(g, color="0.3", ls="--", lw=1)
        ax.annotate(label, (q[-1], g), xytext=(-4, 3), textcoords="offset points", ha="right",
                    fontsize=8, color="0.3")
    ax.axvline(1.0, color="0.6", lw=0.8)
    ax.set(xlabel="pre-activation variance $q$", ylabel="exact gain $g(q)$", ylim=(0, 4),
           title=r"$g^2 = q \,/\, \mathbb{E}[\phi(u)^2]$, $u \sim \mathcal{N}(0, q)$")
    legend_outside(fig, ax, "right upper")
    return fig
