"""Figures for the pitfall pages: what goes wrong when the initialization is wrong.

Each function plots the result of an experiment in :mod:`weightinit.experiments` at a
fixed seed and returns a :class:`matplotlib.figure.Figure` built without pyplot. The
build renders every name in ``__all__`` to ``figures/<name>.svg``. Sizes are kept small
(a few hundred samples) so that each figure renders in about a second.
"""

from __future__ import annotations

from functools import partial
from itertools import pairwise

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator
from numpy.lib.stride_tricks import sliding_window_view

from . import experiments
from . import initializers as init
from .figures import _COLORS, _figure

__all__ = [
    "pitfall_depth_he_glorot",
    "pitfall_framework_defaults",
    "pitfall_gain_mismatch",
    "pitfall_relu_explosion",
    "pitfall_saturation",
    "pitfall_symmetry_weights",
    "pitfall_training_curves",
    "pitfall_vanishing_activations",
    "pitfall_vanishing_gradients",
    "pitfall_wrong_fan_depth",
]

_TINY = partial(init.normal, std=0.01)
_LARGE = partial(init.normal, std=1.0)


def _grid(width: float = 8.4, height: float = 7.0) -> tuple[Figure, np.ndarray]:
    """A 2 x 2 grid: four panels stay legible at the width of a page."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.spines[["top", "right"]].set_visible(False)
    return fig, axes


def _tidy(fig: Figure) -> Figure:
    """Few, labelled ticks on log axes: minor ticks cost most of the render time."""
    for ax in fig.axes:
        if ax.get_yscale() == "log":
            ax.yaxis.set_major_locator(LogLocator(numticks=7))
            ax.yaxis.set_minor_locator(NullLocator())
    return fig


def _layers(values) -> np.ndarray:
    return np.arange(1, len(values) + 1)


# ------------------------------------------------------------------------- symmetry


def pitfall_symmetry_weights() -> Figure:
    """The course notes' 2-2-1 network (ReLU hidden, sigmoid output) trained on moons from
    zeros, from the constant 0.5 and from He normal: each hidden unit's parameters against
    the other's, before and after training, and the loss."""
    inits = {"zeros": "zeros", "constant 0.5": partial(init.constant, value=0.5), "he_normal": "he_normal"}
    fig, axes = _grid(8.4, 7.6)
    params = (("w from x1", lambda w: w["W1"][0]), ("w from x2", lambda w: w["W1"][1]),
              ("bias", lambda w: w["b1"]), ("w to output", lambda w: w["W2"][:, 0]))
    for ax, (label, scheme) in zip(axes, inits.items()):
        result = experiments.symmetry(scheme, rng=0)
        span = 0.0
        for color, (name, pick) in zip(_COLORS, params):
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
        axes[3].plot(result.losses, color=_COLORS[4 + list(inits).index(label) % 2] if label != "zeros" else "0.3",
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
    return _tidy(fig)


def pitfall_training_curves() -> Figure:
    """The same ReLU MLP (two hidden layers of 32) trained on a three-arm spiral from zeros,
    from 0.01 * randn and from He normal."""
    curves = experiments.training_curves({"zeros": "zeros", "0.01 * randn": "normal", "he_normal": "he_normal"},
                                         hidden=(32, 32), steps=300, n_samples=300, rng=0)
    fig, (ax,) = _figure(width=6.4, height=3.4)
    for color, (label, losses) in zip(_COLORS, curves.items()):
        ax.plot(losses, color=color, lw=3.0 if label == "zeros" else 1.8, ls="--" if label == "zeros" else "-",
                label=f"{label} (last loss {losses[-1]:.3g})", zorder=3 if label == "zeros" else 2)
    ax.annotate("ln 3: a uniform guess among 3 classes", (len(losses) - 1, np.log(3)), (0, 6),
                textcoords="offset points", ha="right", va="bottom", fontsize=8, color="0.3")
    ax.set_xlabel("gradient step (full batch, momentum 0.9)")
    ax.set_ylabel("training loss (cross-entropy)")
    ax.set_title("Zeros never learn, tiny weights wait, He starts at once")
    ax.legend(frameon=False, fontsize=8, loc="center right")
    return _tidy(fig)


# ------------------------------------------------------------------------ vanishing


def pitfall_vanishing_activations() -> Figure:
    """Left: activation std per layer with 0.01 * randn weights (10 layers of 256) for tanh,
    sigmoid and ReLU. Right: ReLU through 30 layers of 256 with He and with LeCun's variance
    (Glorot's too, on square layers), against the 2^(-L/2) law."""
    fig, (left, right) = _figure(2, width=9.6, height=3.6)
    for color, act in zip(_COLORS, ("tanh", "sigmoid", "relu")):
        stats = experiments.activation_stats(_TINY, act, widths=[256] * 10, n_samples=200, rng=0)
        left.semilogy(_layers(stats.stds), stats.stds, "o-", ms=3, color=color,
                      label=f"{act} (layer 10: {stats.stds[-1]:.2g})")
    left.set_title("0.01 * randn: the spread collapses")
    left.set_xlabel("layer")
    left.set_ylabel("std of activations")
    left.legend(frameon=False, fontsize=8)
    # Different seeds: with one seed LeCun's weights would be He's divided by sqrt(2), and the
    # 2^(-L/2) law would hold by construction instead of being observed.
    for color, name, seed in zip(_COLORS, ("he_normal", "lecun_normal"), (1, 2)):
        stds = experiments.activation_stats(name, "relu", widths=[256] * 30, n_samples=200, rng=seed).stds
        right.semilogy(_layers(stds), stds, "o-", ms=3, color=color,
                       label=f"{name} (layer 30: {stds[-1]:.2g})")
        if name == "lecun_normal":
            layers = _layers(stds)
            right.semilogy(layers, stds[0] * 2.0 ** (-(layers - 1) / 2), ":", color="0.3", lw=1.2,
                           label="layer 1's std times 2^(-(L-1)/2)")
    right.set_title("ReLU, variance 1/fan_in (LeCun = Glorot here)")
    right.set_xlabel("ReLU layer L")
    right.legend(frameon=False, fontsize=8)
    return _tidy(fig)


def pitfall_vanishing_gradients() -> Figure:
    """Glorot and Bengio (2010) in miniature: variance of the back-propagated gradient at each
    of 5 layers of 256 units, for U(-1/sqrt(n), 1/sqrt(n)), Glorot uniform and 0.01 * randn,
    with tanh and with sigmoid."""
    inits = {"U(±1/√n), the 'standard' init": "pytorch_default", "glorot_uniform": "glorot_uniform",
             "0.01 * randn": _TINY}
    fig, axes = _figure(2, width=9.6, height=3.6)
    for ax, act in zip(axes, ("tanh", "sigmoid")):
        for color, (label, scheme) in zip(_COLORS, inits.items()):
            v = experiments.gradient_stats(scheme, act, widths=[256] * 5, n_samples=200, rng=0).backprop_grad_vars
            ax.semilogy(_layers(v), v, "o-", ms=4, color=color,
                        label=f"{label} (layer 1 / layer 5: {v[0] / v[-1]:.2g})")
        ax.set_title(f"{act}: gradient variance, input side to output side", fontsize=10)
        ax.set_xlabel("layer (1 = next to the input)")
        ax.set_xticks(range(1, 6))
        ax.legend(frameon=False, fontsize=7)
    axes[0].set_ylabel("Var of dLoss/dz at the layer")
    return _tidy(fig)


# -------------------------------------------------------------- exploding, saturation


def _saturated(act: str, a: np.ndarray) -> float:
    # Fraction of units whose derivative is below 1% of its value at 0.
    slope = 1.0 - a**2 if act == "tanh" else 4.0 * a * (1.0 - a)
    return float(np.mean(slope < 0.01))


def pitfall_saturation() -> Figure:
    """1.0 * randn against LeCun normal in 10 tanh or sigmoid layers of 256 units: the
    histogram of layer 10's tanh activations, the share of saturated units per layer, and
    the norm of each layer's weight gradient for tanh and for sigmoid."""
    fig, (hist, sat, grad_tanh, grad_sigmoid) = _grid(8.4, 7.0)
    inits = {"1.0 * randn": _LARGE, "lecun_normal": "lecun_normal"}
    for color, (label, scheme) in zip(_COLORS, inits.items()):
        for act, ls, grad in (("tanh", "-", grad_tanh), ("sigmoid", "--", grad_sigmoid)):
            acts = experiments.activation_stats(scheme, act, widths=[256] * 10, n_samples=200, rng=0).activations
            if act == "tanh":
                hist.hist(acts[-1].ravel(), bins=np.linspace(-1, 1, 51), density=True, color=color, alpha=0.55,
                          label=label)
            share = [_saturated(act, x) for x in acts]
            sat.plot(_layers(share), share, ls, marker="o", ms=3, color=color, label=f"{label}, {act}")
            norms = experiments.gradient_stats(scheme, act, widths=[256] * 10, n_samples=200,
                                               rng=0).weight_grad_norms
            grad.semilogy(_layers(norms), norms, "o-", ms=3, color=color,
                          label=f"{label} (max/min {norms.max() / norms.min():.2g})")
            grad.set_title(f"{act}: norm of each layer's weight gradient", fontsize=10)
            grad.set_xlabel("layer (1 = next to the input)")
            grad.legend(frameon=False, fontsize=8)
    hist.set_title("tanh, layer 10: where the activations sit", fontsize=10)
    hist.set_xlabel("activation")
    hist.set_yticks([])
    hist.legend(frameon=False, fontsize=8, loc="upper center")
    sat.set_title("share of units with slope < 1% of the slope at 0", fontsize=10)
    sat.set_xlabel("layer")
    sat.set_ylim(-0.03, 1.25)
    sat.legend(frameon=False, fontsize=8, loc="upper center", ncols=2)
    return _tidy(fig)


def pitfall_relu_explosion() -> Figure:
    """10 ReLU layers of 256 units with 1.0 * randn, with twice He's standard deviation and
    with He normal: activation std and weight-gradient norm per layer."""
    inits = {"1.0 * randn": _LARGE, "2 x He std (variance 8/fan_in)": partial(init.variance_scaling, scale=8.0),
             "he_normal": "he_normal"}
    fig, (fwd, bwd) = _figure(2, width=9.6, height=3.6)
    for color, (label, scheme) in zip(_COLORS, inits.items()):
        stds = experiments.activation_stats(scheme, "relu", widths=[256] * 10, n_samples=200, rng=0).stds
        fwd.semilogy(_layers(stds), stds, "o-", ms=3, color=color, label=f"{label} (layer 10: {stds[-1]:.2g})")
        norms = experiments.gradient_stats(scheme, "relu", widths=[256] * 10, n_samples=200, rng=0).weight_grad_norms
        bwd.semilogy(_layers(norms), norms, "o-", ms=3, color=color, label=label)
    fwd.set_title("ReLU: std of activations", fontsize=10)
    fwd.set_xlabel("layer")
    fwd.legend(frameon=False, fontsize=8)
    bwd.set_title("ReLU: norm of each layer's weight gradient", fontsize=10)
    bwd.set_xlabel("layer (1 = next to the input)")
    bwd.legend(frameon=False, fontsize=8)
    return _tidy(fig)


# ------------------------------------------------------------------------ wrong fan


def _conv_stack_stds(fan_in: int, channels: int, depthwise: bool, depth: int = 10, seed: int = 0) -> np.ndarray:
    """Activation std after each 3x3 'same' ReLU convolution, He weights with the given fan_in."""
    rng = np.random.default_rng(seed)
    h = rng.standard_normal((4, 16, 16, channels))
    std = np.sqrt(2.0 / fan_in)
    stds = []
    for _ in range(depth):
        patches = sliding_window_view(np.pad(h, ((0, 0), (1, 1), (1, 1), (0, 0))), (3, 3), axis=(1, 2))
        if depthwise:  # one 3x3 filter per channel: kernel (3, 3, channels)
            z = np.einsum("bhwcij,ijc->bhwc", patches, std * rng.standard_normal((3, 3, channels)))
        else:  # kernel (3, 3, in, out)
            z = np.einsum("bhwcij,ijcd->bhwd", patches, std * rng.standard_normal((3, 3, channels, channels)))
        h = np.maximum(z, 0.0)
        stds.append(h.std())
    return np.array(stds)


def pitfall_wrong_fan_depth() -> Figure:
    """He normal in 10 ReLU layers with the right fan and with a wrong one: 3x3 convolutions
    of 32 channels (fan_in with and without the receptive field), depthwise 3x3 convolutions
    with mode='fan_out' (the true fan-out against PyTorch's, which is not divided by groups),
    and a dense funnel read in the wrong layout."""
    fig, axes = _grid(8.4, 7.0)
    c = 32
    conv, depthwise, dense, spare = axes
    spare.set_visible(False)
    cases = ((conv, f"right, fan_in 3*3*{c}", 9 * c, False),
             (conv, f"no receptive field, fan_in {c}", c, False),
             (depthwise, "right, fan_out 3*3", 9, True),
             (depthwise, f"PyTorch's, fan_out 3*3*{c}", 9 * c, True))
    for k, (ax, label, fan, dw) in enumerate(cases):
        stds = _conv_stack_stds(fan, c, dw)
        ax.semilogy(_layers(stds), stds, "o-", ms=3, color=_COLORS[k % 2], label=f"{label}: {stds[-1]:.2g}")
    conv.set_title(f"3x3 conv, {c} -> {c} channels", fontsize=10)
    depthwise.set_title(f"depthwise 3x3 conv, {c} channels, mode='fan_out'", fontsize=10)
    widths = [2048 // 2**k for k in range(8)]
    for color, (label, axes_) in zip(_COLORS, (("right, fan_in from the in axis", (-2, -1)),
                                               ("layout mixed up: the out axis", (-1, -2)))):
        rng = np.random.default_rng(0)
        h = rng.standard_normal((200, widths[0]))
        stds = []
        for n_in, n_out in pairwise(widths):
            W = init.he_normal((n_in, n_out), in_axis=axes_[0], out_axis=axes_[1], rng=rng)
            h = np.maximum(h @ W, 0.0)
            stds.append(h.std())
        stds = np.array(stds)
        dense.plot(_layers(stds), stds, "o-", ms=3, color=color, label=f"{label}: {stds[-1]:.2g}")
    dense.set_title(f"dense ReLU funnel {widths[0]} -> {widths[-1]}, halving", fontsize=10)
    for ax, where in ((conv, "upper left"), (depthwise, "lower left"), (dense, "upper left")):
        ax.set_xlabel("layer")
        ax.set_ylabel("std of activations")
        ax.legend(frameon=False, fontsize=8, loc=where, title="std at the last layer", title_fontsize=8)
    return _tidy(fig)


# ------------------------------------------------------------------------ wrong gain


def pitfall_depth_he_glorot() -> Figure:
    """He et al. (2015) in miniature: a 30-layer ReLU MLP (width 32) on a three-arm spiral
    with He and Glorot normal: training loss, and activation std per layer at initialization."""
    sweep = experiments.depth_sweep(rng=0)
    fig, (loss, std) = _figure(2, width=9.6, height=3.6)
    for color, (label, losses) in zip(_COLORS, sweep.losses.items()):
        loss.plot(losses, color=color, lw=1.8, label=f"{label} (last loss {losses[-1]:.3g})")
        stds = sweep.stds[label]
        std.semilogy(_layers(stds), stds, "o-", ms=3, color=color, label=f"{label} (layer 30: {stds[-1]:.2g})")
    loss.axhline(np.log(3), color="0.4", ls=":", lw=1)
    loss.set_title("30 ReLU layers: training loss", fontsize=10)
    loss.set_xlabel("gradient step")
    loss.set_ylabel("cross-entropy")
    loss.legend(frameon=False, fontsize=8)
    std.set_title("std of activations at initialization", fontsize=10)
    std.set_xlabel("ReLU layer L")
    std.legend(frameon=False, fontsize=8)
    return _tidy(fig)


def pitfall_gain_mismatch() -> Figure:
    """Two gains that do not match the activation. tanh through 30 layers of 256 with gain 1,
    5/3 and sqrt(2) (He): variance of the back-propagated gradient per layer, with the
    mean-field growth factor chi_1. SELU through 30 layers of 256 with LeCun normal, PyTorch's
    selu gain 3/4 and He: variance of the activations."""
    fig, (tanh, selu) = _figure(2, width=10.4, height=4.2)
    tanh_gains = {"gain 1 (lecun_normal)": 1.0, "gain 5/3 (calculate_gain('tanh'))": init.gain("tanh"),
                  "gain √2 (he_normal)": init.gain("relu")}
    for color, (label, g) in zip(_COLORS, tanh_gains.items()):
        v = experiments.gradient_stats(partial(init.variance_scaling, scale=g * g), "tanh",
                                       widths=[256] * 30, n_samples=200, rng=0).backprop_grad_vars
        chi = float(experiments.chi_1(g, 0.0, "tanh"))
        tanh.semilogy(_layers(v), v, "o-", ms=3, color=color, label=f"{label}: χ₁ = {chi:.3f}")
    tanh.set_title("tanh: Var of dLoss/dz, input side to output side", fontsize=10)
    tanh.set_xlabel("layer (1 = next to the input)")
    tanh.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15),
                title="mean-field gradient growth per layer", title_fontsize=8)
    selu_gains = {"lecun_normal (gain 1)": 1.0, "gain 3/4 (calculate_gain('selu'))": init.gain("selu"),
                  "he_normal (gain √2)": init.gain("relu")}
    for color, (label, g) in zip(_COLORS, selu_gains.items()):
        result = experiments.selu_fixed_point(partial(init.variance_scaling, scale=g * g), depth=30, width=256,
                                              n_samples=200, input_mean=0.0, input_std=1.0, rng=0)
        selu.semilogy(_layers(result.variances), result.variances, "o-", ms=3, color=color,
                      label=f"{label}: {result.variances[-1]:.2g}")
    selu.axhline(1.0, color="0.4", ls=":", lw=1)
    selu.set_title("SELU: variance of activations", fontsize=10)
    selu.set_xlabel("layer")
    selu.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15),
                title="variance at layer 30", title_fontsize=8)
    return _tidy(fig)


# ---------------------------------------------------------------- framework defaults


def pitfall_framework_defaults() -> Figure:
    """The default kernel initializers of PyTorch (nn.Linear), Keras (Dense) and Flax (Dense)
    against He normal in a 30-layer ReLU MLP of width 32: activation std per layer at
    initialization, and training loss on a three-arm spiral (Flax's default has Keras'
    variance on square layers, so only its std is shown)."""
    flax = partial(init.variance_scaling, scale=1.0, distribution="truncated_normal")
    trained = {
        "PyTorch nn.Linear: U(±1/√fan_in)": "pytorch_default",
        "Keras Dense: glorot_uniform": "glorot_uniform",
        "he_normal": "he_normal",
    }
    sweep = experiments.depth_sweep(trained, steps=200, rng=0)
    stds = dict(sweep.stds)
    stds["Flax Dense: lecun_normal (truncated)"] = experiments.activation_stats(
        flax, "relu", widths=[32] * 30, n_samples=100, rng=0).stds
    fig, (std, loss) = _figure(2, width=10.4, height=4.4)
    colors = dict(zip([*trained, "Flax Dense: lecun_normal (truncated)"], (_COLORS[0], _COLORS[1], _COLORS[3],
                                                                           _COLORS[2])))
    for label, s in stds.items():
        std.semilogy(_layers(s), s, "o-", ms=3, color=colors[label], label=f"{label}: {s[-1]:.2g}")
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
    return _tidy(fig)
