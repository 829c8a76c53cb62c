"""Figures for the pitfall pages, at initialization: what goes wrong when the init is wrong.

Sizes are kept small (a few hundred samples) so that each figure renders in about a
second. Figures of training runs are in `experiments`.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from matplotlib.figure import Figure

from weightinit import experiments
from weightinit.initializers import gain, normal, variance_scaling
from ._style import COLORS, figure, grid, layers, legend_below, register, tidy

__all__ = [
    "pitfall_gain_mismatch",
    "pitfall_relu_explosion",
    "pitfall_saturation",
    "pitfall_vanishing_activations",
    "pitfall_vanishing_gradients",
    "pitfall_wrong_fan_depth",
]

_TINY = partial(normal, std=0.01)
_LARGE = partial(normal, std=1.0)


@register(alt="Activation std per layer: 0.01 * randn collapses in tanh and ReLU and stalls in sigmoid; ReLU "
              "with variance 1/fan_in decays like 2^(-L/2)")
def pitfall_vanishing_activations() -> Figure:
    r"""Left: activation std per layer with `0.01 * randn` weights (10 layers of 256) for tanh,
    sigmoid and ReLU. Right: ReLU through 30 layers of 256 with He and with LeCun's variance
    (Glorot's too, on square layers), against the $2^{-L/2}$ law."""
    fig, (left, right) = figure(2, width=9.6, height=3.6)
    for color, act in zip(COLORS, ("tanh", "sigmoid", "relu")):
        stats = experiments.activation_stats(_TINY, act, widths=[256] * 10, n_samples=200, rng=0)
        left.semilogy(layers(stats.stds), stats.stds, "o-", ms=3, color=color,
                      label=f"{act} (layer 10: {stats.stds[-1]:.2g})")
    left.set_title("0.01 * randn: the spread collapses", fontsize=10)
    left.set_xlabel("layer")
    left.set_ylabel("std of activations")
    left.legend(frameon=False, fontsize=8)
    # Different seeds: with one seed LeCun's weights would be He's divided by sqrt(2), and the
    # 2^(-L/2) law would hold by construction instead of being observed.
    for color, name, seed in zip(COLORS, ("he_normal", "lecun_normal"), (1, 2)):
        stds = experiments.activation_stats(name, "relu", widths=[256] * 30, n_samples=200, rng=seed).stds
        right.semilogy(layers(stds), stds, "o-", ms=3, color=color, label=f"{name} (layer 30: {stds[-1]:.2g})")
        if name == "lecun_normal":
            ls = layers(stds)
            right.semilogy(ls, stds[0] * 2.0 ** (-(ls - 1) / 2), ":", color="0.3", lw=1.2,
                           label="layer 1's std times 2^(-(L-1)/2)")
    right.set_title("ReLU, Var(w) = 1/fan_in (= Glorot here)", fontsize=10)
    right.set_xlabel("ReLU layer L")
    right.legend(frameon=False, fontsize=8)
    return tidy(fig)


@register(alt="Variance of the back-propagated gradient per layer for the standard init, Glorot uniform and "
              "0.01 * randn, with tanh and sigmoid")
def pitfall_vanishing_gradients() -> Figure:
    r"""Glorot and Bengio (2010) in miniature: variance of the back-propagated gradient at each
    of 5 layers of 256 units, for $U(-1/\sqrt{n},\ 1/\sqrt{n})$, Glorot uniform and
    `0.01 * randn`, with tanh and with sigmoid."""
    inits = {"U(±1/√n), the 'standard' init": "pytorch_default", "glorot_uniform": "glorot_uniform",
             "0.01 * randn": _TINY}
    fig, axes = figure(2, width=9.6, height=3.6)
    for ax, act in zip(axes, ("tanh", "sigmoid")):
        for color, (label, scheme) in zip(COLORS, inits.items()):
            v = experiments.gradient_stats(scheme, act, widths=[256] * 5, n_samples=200, rng=0).backprop_grad_vars
            ax.semilogy(layers(v), v, "o-", ms=4, color=color,
                        label=f"{label}: {v[0] / v[-1]:.2g}")
        ax.set_title(f"{act}: gradient variance per layer", fontsize=10)
        ax.set_xlabel("layer (1 = next to the input)")
        ax.set_xticks(range(1, 6))
        legend_below(ax, title="layer 1 / layer 5")
    axes[0].set_ylabel("Var of dLoss/dz at the layer")
    return tidy(fig)


@register(alt="1.0 * randn saturates tanh and sigmoid: activations at plus or minus one, most units "
              "saturated, weight gradients spread over orders of magnitude")
def pitfall_saturation() -> Figure:
    """1.0 * randn against LeCun normal in 10 tanh or sigmoid layers of 256 units: the
    histogram of layer 10's tanh activations, the share of saturated units per layer, and
    the norm of each layer's weight gradient for tanh and for sigmoid."""
    fig, (hist, sat, grad_tanh, grad_sigmoid) = grid(8.4, 7.0)
    inits = {"1.0 * randn": _LARGE, "lecun_normal": "lecun_normal"}
    for color, (label, scheme) in zip(COLORS, inits.items()):
        for act, ls, grad in (("tanh", "-", grad_tanh), ("sigmoid", "--", grad_sigmoid)):
            acts = experiments.activation_stats(scheme, act, widths=[256] * 10, n_samples=200, rng=0).activations
            if act == "tanh":
                hist.hist(acts[-1].ravel(), bins=np.linspace(-1, 1, 51), density=True, color=color, alpha=0.55,
                          label=label)
            share = [experiments.saturated_fraction(act, x) for x in acts]
            sat.plot(layers(share), share, ls, marker="o", ms=3, color=color, label=f"{label}, {act}")
            norms = experiments.gradient_stats(scheme, act, widths=[256] * 10, n_samples=200,
                                               rng=0).weight_grad_norms
            grad.semilogy(layers(norms), norms, "o-", ms=3, color=color,
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
    return tidy(fig)


@register(alt="ReLU activations and weight gradients grow by a constant factor per layer when the weights are "
              "too large")
def pitfall_relu_explosion() -> Figure:
    """10 ReLU layers of 256 units with 1.0 * randn, with twice He's standard deviation and
    with He normal: activation std and weight-gradient norm per layer."""
    inits = {"1.0 * randn": _LARGE, "2 x He std (variance 8/fan_in)": partial(variance_scaling, scale=8.0),
             "he_normal": "he_normal"}
    fig, (fwd, bwd) = figure(2, width=9.6, height=3.6)
    for color, (label, scheme) in zip(COLORS, inits.items()):
        stds = experiments.activation_stats(scheme, "relu", widths=[256] * 10, n_samples=200, rng=0).stds
        fwd.semilogy(layers(stds), stds, "o-", ms=3, color=color, label=f"{label}: {stds[-1]:.2g}")
        norms = experiments.gradient_stats(scheme, "relu", widths=[256] * 10, n_samples=200, rng=0).weight_grad_norms
        bwd.semilogy(layers(norms), norms, "o-", ms=3, color=color, label=label)
    fwd.set_title("ReLU: std of activations", fontsize=10)
    fwd.set_xlabel("layer")
    legend_below(fwd, title="std at layer 10")
    bwd.set_title("ReLU: weight-gradient norm per layer", fontsize=10)
    bwd.set_xlabel("layer (1 = next to the input)")
    legend_below(bwd)
    return tidy(fig)


@register(alt="He normal with the right fan keeps the std level; forgetting the receptive field explodes, "
              "PyTorch's grouped fan_out vanishes, a swapped layout drifts in a funnel")
def pitfall_wrong_fan_depth() -> Figure:
    r"""He normal in 10 ReLU layers with the right fan and with a wrong one: 3x3 convolutions
    of 32 channels (`fan_in` with and without the receptive field), depthwise 3x3
    convolutions with `mode='fan_out'` (the true fan-out against PyTorch's, which is not
    divided by groups), and a dense funnel read in the wrong layout."""
    fig, axes = grid(8.4, 7.0)
    c = 32
    conv, depthwise, dense, spare = axes
    spare.set_visible(False)
    cases = ((conv, f"right, fan_in 3*3*{c}", 9 * c, False),
             (conv, f"no receptive field, fan_in {c}", c, False),
             (depthwise, "right, fan_out 3*3", 9, True),
             (depthwise, f"PyTorch's, fan_out 3*3*{c}", 9 * c, True))
    for k, (ax, label, fan, dw) in enumerate(cases):
        stds = experiments.conv_stack_stds(fan, c, dw, rng=0)
        ax.semilogy(layers(stds), stds, "o-", ms=3, color=COLORS[k % 2], label=f"{label}: {stds[-1]:.2g}")
    conv.set_title(f"3x3 conv, {c} -> {c} channels", fontsize=10)
    depthwise.set_title(f"depthwise 3x3, {c} channels, fan_out", fontsize=10)
    widths = [2048 // 2**k for k in range(8)]
    for color, (label, (in_axis, out_axis)) in zip(COLORS, (("right, fan_in from the in axis", (-2, -1)),
                                                            ("layout mixed up: the out axis", (-1, -2)))):
        stds = experiments.layout_funnel_stds(in_axis, out_axis, widths=widths, n_samples=200, rng=0)
        dense.plot(layers(stds), stds, "o-", ms=3, color=color, label=f"{label}: {stds[-1]:.2g}")
    dense.set_title(f"dense ReLU funnel {widths[0]} -> {widths[-1]}, halving", fontsize=10)
    for ax in (conv, depthwise, dense):
        ax.set_xlabel("layer")
        ax.set_ylabel("std of activations")
        legend_below(ax, title="std at the last layer")
    return tidy(fig)


@register(alt="tanh: gradient variance grows toward the input for gains above 1; SELU: only gain 1 keeps the "
              "variance at 1")
def pitfall_gain_mismatch() -> Figure:
    r"""Two gains that do not match the activation. tanh through 30 layers of 256 with gain 1,
    5/3 and $\sqrt{2}$ (He): variance of the back-propagated gradient per layer, with the
    mean-field growth factor $\chi_1$. SELU through 30 layers of 256 with LeCun normal,
    PyTorch's `selu` gain 3/4 and He: variance of the activations."""
    fig, (tanh, selu) = figure(2, width=10.4, height=4.2)
    tanh_gains = {"gain 1 (lecun_normal)": 1.0, "gain 5/3 (calculate_gain('tanh'))": gain("tanh"),
                  "gain √2 (he_normal)": gain("relu")}
    for color, (label, g) in zip(COLORS, tanh_gains.items()):
        v = experiments.gradient_stats(partial(variance_scaling, scale=g * g), "tanh",
                                       widths=[256] * 30, n_samples=100, rng=0).backprop_grad_vars
        chi = float(experiments.chi_1(g, 0.0, "tanh"))
        tanh.semilogy(layers(v), v, "o-", ms=3, color=color, label=f"{label}: χ₁ = {chi:.3f}")
    tanh.set_title("tanh: Var of dLoss/dz, input side to output side", fontsize=10)
    tanh.set_xlabel("layer (1 = next to the input)")
    tanh.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15),
                title="mean-field gradient growth per layer", title_fontsize=8)
    selu_gains = {"lecun_normal (gain 1)": 1.0, "gain 3/4 (calculate_gain('selu'))": gain("selu"),
                  "he_normal (gain √2)": gain("relu")}
    for color, (label, g) in zip(COLORS, selu_gains.items()):
        result = experiments.selu_fixed_point(partial(variance_scaling, scale=g * g), depth=30, width=256,
                                              n_samples=100, input_mean=0.0, input_std=1.0, rng=0)
        selu.semilogy(layers(result.variances), result.variances, "o-", ms=3, color=color,
                      label=f"{label}: {result.variances[-1]:.2g}")
    selu.axhline(1.0, color="0.4", ls=":", lw=1)
    selu.set_title("SELU: variance of activations", fontsize=10)
    selu.set_xlabel("layer")
    selu.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15),
                title="variance at layer 30", title_fontsize=8)
    return tidy(fig)
