"""Figures of training runs: small networks trained from different initializations.

They re-run an experiment from the course notes or a paper in miniature, on whichever
page discusses it; everything they plot comes from `weightinit.experiments`.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.figure import Figure

from weightinit import experiments
from weightinit.initializers import constant, variance_scaling
from ._style import COLORS, figure, grid, layers, legend_below, legend_outside, register, tidy

__all__ = [
    "constant_init_symmetry",
    "orthogonal_learning_time",
    "pitfall_depth_he_glorot",
    "pitfall_framework_defaults",
    "pitfall_symmetry_weights",
    "pitfall_training_curves",
]


@register(alt="Hidden-unit weights over training from zeros, a constant and He normal")
def constant_init_symmetry() -> Figure:
    """The course notes' 2-2-1 network (ReLU hidden, sigmoid output) trained by gradient
    descent from zeros, from the constant 0.5 and from He normal: the incoming weights of
    the two hidden units over training."""
    starts = {"zeros": "zeros", "constant 0.5": partial(constant, value=0.5), "he_normal": "he_normal"}
    fig, axes = figure(3, width=9.6, height=3.2)
    for ax, (label, start) in zip(axes, starts.items()):
        history = experiments.hidden_weight_history(start, steps=300, lr=0.5, rng=3, init_rng=7)
        for unit, ls in ((0, "-"), (1, (0, (4, 3)))):
            for i, color in zip(range(2), COLORS):
                ax.plot(history[:, i, unit], ls=ls, color=color, lw=2.2 if unit == 0 else 1.4,
                        label=f"hidden unit {unit + 1}, from input {i + 1}")
        ax.set_title(label)
        ax.set_xlabel("gradient step")
    axes[0].set_ylabel("incoming weight")
    legend_outside(fig, axes[0], ncols=2)
    fig.suptitle("Two hidden units: equal starts stay equal (dashed lies on solid)", fontsize=11)
    return fig


@register(alt="Steps to train deep linear networks against depth, orthogonal against Gaussian weights")
def orthogonal_learning_time() -> Figure:
    """Steps for deep linear networks (width 16) to fit a linear map, against depth:
    orthogonal against scaled Gaussian weights (Saxe et al. 2013 in miniature)."""
    fig, (ax,) = figure(width=6.4, height=3.6)
    result = experiments.learning_time({"orthogonal": "orthogonal", "Gaussian 1/fan_in": "lecun_normal"},
                                       max_steps=300, rng=0)
    for color, marker, (label, steps) in zip(COLORS, "os", result.steps.items()):
        reached = np.isfinite(steps)
        ax.plot(result.depths[reached], steps[reached], marker + "-", color=color, label=label)
        if not reached.all():
            ax.plot(result.depths[~reached], np.full((~reached).sum(), result.max_steps), "x",
                    color=color, ms=9, mew=2, label=f"{label}: not reached in {result.max_steps} steps")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("depth (linear layers)")
    ax.set_ylabel("steps to 1% of the initial loss")
    ax.set_title("Deep linear networks: time to learn against depth", fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    return fig


@register(alt="The 2-2-1 network's two hidden units before and after training from zeros, a constant and He "
              "normal")
def pitfall_symmetry_weights() -> Figure:
    """The course notes' 2-2-1 network (ReLU hidden, sigmoid output) trained on moons from
    zeros, from the constant 0.5 and from He normal: each hidden unit's parameters against
    the other's, before and after training, and the loss."""
    inits = {"zeros": "zeros", "constant 0.5": partial(constant, value=0.5), "he_normal": "he_normal"}
    fig, axes = grid(8.4, 7.6)
    params = (("w from x1", lambda w: w["W1"][0]), ("w from x2", lambda w: w["W1"][1]),
              ("bias", lambda w: w["b1"]), ("w to output", lambda w: w["W2"][:, 0]))
    for ax, (label, scheme) in zip(axes, inits.items()):
        result = experiments.symmetry(scheme, rng=0)
        span = 0.0
        for color, (name, pick) in zip(COLORS, params):
            (b1, b2), (a1, a2) = pick(result.before), pick(result.after)
            ax.annotate("", (a1, a2), (b1, b2), arrowprops={"arrowstyle": "->", "color": color, "lw": 1})
            ax.plot(b1, b2, "o", mfc="none", color=color, ms=7)
            ax.plot(a1, a2, "o", color=color, ms=7, label=name)
            span = max(span, abs(a1), abs(a2), abs(b1), abs(b2))
        span = 1.15 * span if span > 0 else 1.0
        ax.plot([-span, span], [-span, span], color="0.5", ls=":", lw=1)
        ax.set_xlim(-span, span)
        ax.set_ylim(-span, span)
        ax.set_aspect("equal")
        ax.set_title(f"{label}: twins after training: {result.identical}", fontsize=10)
        ax.set_xlabel("hidden unit 1")
        axes[3].plot(result.losses, color=COLORS[4 + list(inits).index(label) % 2] if label != "zeros" else "0.3",
                     ls="--" if label == "zeros" else "-", lw=1.8, label=label)
    axes[0].set_ylabel("hidden unit 2")
    axes[2].set_ylabel("hidden unit 2")
    axes[0].legend(frameon=False, fontsize=8, loc="upper left", title="hollow: before, filled: after",
                   title_fontsize=8)
    loss = axes[3]
    loss.set_aspect("auto")
    loss.set_title("training loss (binary cross-entropy)", fontsize=10)
    loss.set_xlabel("gradient step")
    loss.legend(frameon=False, fontsize=8)
    fig.suptitle("Hidden unit 2's parameters against hidden unit 1's:\non the dotted diagonal the units are twins",
                 fontsize=11)
    return tidy(fig)


@register(alt="Training loss per step: zeros flat at ln 3, 0.01 * randn flat for a long time, He normal falls "
              "at once")
def pitfall_training_curves() -> Figure:
    """The same ReLU MLP (two hidden layers of 32) trained on a three-arm spiral from zeros,
    from 0.01 * randn and from He normal."""
    curves = experiments.training_curves({"zeros": "zeros", "0.01 * randn": "normal", "he_normal": "he_normal"},
                                         hidden=(32, 32), steps=300, n_samples=300, rng=0)
    fig, (ax,) = figure(width=6.4, height=3.4)
    for color, (label, losses) in zip(COLORS, curves.items()):
        ax.plot(losses, color=color, lw=3.0 if label == "zeros" else 1.8, ls="--" if label == "zeros" else "-",
                label=f"{label} (last loss {losses[-1]:.3g})", zorder=3 if label == "zeros" else 2)
    ax.annotate("ln 3: a uniform guess among 3 classes", (len(losses) - 1, np.log(3)), (0, 6),
                textcoords="offset points", ha="right", va="bottom", fontsize=8, color="0.3")
    ax.set_xlabel("gradient step (full batch, momentum 0.9)")
    ax.set_ylabel("training loss (cross-entropy)")
    ax.set_title("Zeros never learn, tiny weights wait, He starts at once")
    legend_below(ax)
    return tidy(fig)


@register(alt="30-layer ReLU MLP: He trains, Glorot stays at ln 3; activation std at initialization per layer")
def pitfall_depth_he_glorot() -> Figure:
    """He et al. (2015) in miniature: a 30-layer ReLU MLP (width 32) on a three-arm spiral
    with He and Glorot normal: training loss, and activation std per layer at initialization."""
    sweep = experiments.depth_sweep(steps=150, rng=0)
    fig, (loss, std) = figure(2, width=9.6, height=3.6)
    for color, (label, losses) in zip(COLORS, sweep.losses.items()):
        loss.plot(losses, color=color, lw=1.8, label=f"{label} (last loss {losses[-1]:.3g})")
        stds = sweep.stds[label]
        std.semilogy(layers(stds), stds, "o-", ms=3, color=color, label=f"{label} (layer 30: {stds[-1]:.2g})")
    loss.axhline(np.log(3), color="0.4", ls=":", lw=1)
    loss.set_title("30 ReLU layers: training loss", fontsize=10)
    loss.set_xlabel("gradient step")
    loss.set_ylabel("cross-entropy")
    loss.legend(frameon=False, fontsize=8)
    std.set_title("std of activations at initialization", fontsize=10)
    std.set_xlabel("ReLU layer L")
    std.legend(frameon=False, fontsize=8)
    return tidy(fig)


@register(alt="Activation std through 30 ReLU layers and training loss for PyTorch's, Keras' and Flax's "
              "defaults against He normal")
def pitfall_framework_defaults() -> Figure:
    """The default kernel initializers of PyTorch (nn.Linear), Keras (Dense) and Flax (Dense)
    against He normal in a 30-layer ReLU MLP of width 32: activation std per layer at
    initialization, and training loss on a three-arm spiral (Flax's default has Keras'
    variance on square layers, so only its std is shown)."""
    flax = partial(variance_scaling, scale=1.0, distribution="truncated_normal")
    trained = {
        "PyTorch nn.Linear: U(±1/√fan_in)": "pytorch_default",
        "Keras Dense: glorot_uniform": "glorot_uniform",
        "he_normal": "he_normal",
    }
    sweep = experiments.depth_sweep(trained, steps=150, rng=0)
    stds = dict(sweep.stds)
    stds["Flax Dense: lecun_normal (truncated)"] = experiments.activation_stats(
        flax, "relu", widths=[32] * 30, n_samples=100, rng=0).stds
    fig, (std, loss) = figure(2, width=10.4, height=4.4)
    colors = dict(zip([*trained, "Flax Dense: lecun_normal (truncated)"], (COLORS[0], COLORS[1], COLORS[3],
                                                                           COLORS[2])))
    for label, s in stds.items():
        std.semilogy(layers(s), s, "o-", ms=3, color=colors[label], label=f"{label}: {s[-1]:.2g}")
    for label, losses in sweep.losses.items():
        loss.plot(losses, color=colors[label], lw=1.8, label=f"{label}: {losses[-1]:.3g}")
    std.set_title("std of activations at initialization", fontsize=10)
    std.set_xlabel("ReLU layer")
    std.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15),
               title="std at layer 30", title_fontsize=8)
    loss.axhline(np.log(3), color="0.4", ls=":", lw=1)
    loss.set_title("training loss, 30 ReLU layers of 32", fontsize=10)
    loss.set_xlabel("gradient step")
    loss.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15),
                title="loss after the last step", title_fontsize=8)
    return tidy(fig)
