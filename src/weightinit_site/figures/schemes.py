"""Figures for the scheme pages, all at initialization (training runs are in `experiments`)."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
from matplotlib.figure import Figure

from weightinit import experiments
from weightinit.initializers import TRUNCATED_STD, he_normal, he_uniform, lecun_normal, normal, truncated_normal, variance_scaling
from ._style import COLORS, MAX_WIDTH, figure, legend_below, legend_outside, register

__all__ = [
    "bias_initial_loss",
    "embedding_scales",
    "he_relu_depth",
    "identity_dirac_copy",
    "lecun_width_independence",
    "lsuv_variances",
    "orthogonal_spectrum",
    "random_by_activation",
    "random_tanh_histograms",
    "residual_variance_growth",
    "scheme_distributions",
    "selu_fixed_point_depth",
    "sparse_patterns",
    "truncated_normal_densities",
    "variance_scaling_stds",
]


def _fixed(std: float):
    return partial(normal, std=std)


# ------------------------------------------------------------------ He, LeCun, Glorot


@register(alt="Histograms of He normal, He uniform and the corrected truncated normal, three distributions "
              "with one variance")
def scheme_distributions() -> Figure:
    """Histograms of He normal, He uniform and the corrected truncated normal for one
    256 x 256 layer, with their shared target standard deviation."""
    fig, (ax,) = figure()
    shape = (256, 256)
    std = np.sqrt(2 / shape[0])
    samples = {
        "he_normal": he_normal(shape, rng=0),
        "he_uniform": he_uniform(shape, rng=0),
        "truncated normal, same variance": variance_scaling(shape, 2.0, distribution="truncated_normal", rng=0),
    }
    bins = np.linspace(-4 * std, 4 * std, 81)
    for color, (label, w) in zip(COLORS, samples.items()):
        ax.hist(w.ravel(), bins=bins, density=True, histtype="step", lw=1.6, color=color,
                label=f"{label} (std {w.std():.4f})")
    for k in (-1, 1):
        ax.axvline(k * std, color="0.4", ls=":", lw=1)
    ax.set_xlabel("weight value")
    ax.set_ylabel("density")
    ax.set_title(f"Three distributions, one variance 2/fan_in (target std {std:.4f})", fontsize=10)
    legend_below(ax)
    return fig


@register(alt="Activation std per layer for small random, large random and a fan-scaled scheme, for tanh, "
              "sigmoid and ReLU")
def random_by_activation() -> Figure:
    """Per-layer activation std for 0.01 * randn, 1.0 * randn and the scheme that suits the
    activation, through 10 layers of 500 units, for tanh, sigmoid and ReLU."""
    matched = {"tanh": "lecun_normal", "sigmoid": "glorot_normal", "relu": "he_normal"}
    fig, axes = figure(3, width=9.6, height=3.4)
    for ax, (activation, name) in zip(axes, matched.items()):
        inits = {"0.01 * randn": _fixed(0.01), "1.0 * randn": _fixed(1.0), name: name}
        for color, (label, init) in zip(COLORS, inits.items()):
            stds = experiments.activation_stats(init, activation, widths=[500] * 10, n_samples=200, rng=0).stds
            ax.semilogy(np.arange(1, 11), stds, "o-", ms=3, color=color, label=label)
        ax.set_title(activation)
        ax.set_xlabel("layer")
        legend_below(ax)
    axes[0].set_ylabel("std of activations")
    return fig


@register(alt="Histograms of tanh activations at layers 1, 4, 7 and 10 for small and large random weights")
def random_tanh_histograms() -> Figure:
    """The notebook's experiment: histograms of tanh activations at layers 1, 4, 7 and 10
    (1000 inputs, 10 layers of 500 units) for 0.01 * randn and 1.0 * randn."""
    inits = {"0.01 * randn: activations collapse to 0": _fixed(0.01),
             "1.0 * randn: tanh saturates at -1 and +1": _fixed(1.0)}
    fig = Figure(figsize=(MAX_WIDTH, 4.6), layout="constrained")
    axes = fig.subplots(2, 4)
    for row, color, (label, init) in zip(axes, COLORS, inits.items()):
        acts = experiments.activation_stats(init, "tanh", widths=[500] * 10, n_samples=1000, rng=0).activations
        for ax, k in zip(row, (0, 3, 6, 9)):
            a = acts[k].ravel()
            span = 1.0 if "1.0" in label else np.abs(a).max()
            ax.hist(a, bins=np.linspace(-span, span, 41), color=color)
            ax.set_title(f"layer {k + 1}: std {a.std():.2g}", fontsize=9)
            ax.set_yticks([])
            ax.spines[["top", "right", "left"]].set_visible(False)
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-2, 2))
        row[0].set_ylabel(label.split(":")[0])
    fig.suptitle("tanh activations, 10 layers of 500 units (note each panel's x range)", fontsize=11)
    return fig


@register(alt="Output std through 10 linear layers for widths 64, 256 and 1024, fixed std against LeCun")
def lecun_width_independence() -> Figure:
    r"""Activation std through 10 linear layers of width 64, 256 and 1024: a fixed
    $\mathcal{N}(0, 0.05^2)$ suits one width only, LeCun's $1/n_\text{in}$ suits all."""
    fig, axes = figure(2, width=8.4, height=3.4)
    inits = {"fixed std 0.05": _fixed(0.05), "lecun_normal, Var = 1/fan_in": "lecun_normal"}
    for ax, (label, init) in zip(axes, inits.items()):
        for color, n in zip(COLORS, (64, 256, 1024)):
            stds = experiments.activation_stats(init, "linear", widths=[n] * 10, n_samples=100, rng=0).stds
            ax.semilogy(np.arange(1, 11), stds, "o-", ms=3, color=color, label=f"width {n}")
        ax.axhline(1.0, color="0.4", ls=":", lw=1)
        ax.set_title(label)
        ax.set_xlabel("layer (linear)")
        ax.set_ylim(1e-4, 1e4)
    axes[0].set_ylabel("std of outputs")
    axes[0].legend(frameon=False, fontsize=8)
    return fig


@register(alt="Activation std through 30 ReLU layers for He, LeCun, Glorot and PyTorch's default")
def he_relu_depth() -> Figure:
    """Activation std through 30 ReLU layers of 256 units for He, LeCun, Glorot and
    PyTorch's layer default."""
    fig, (ax,) = figure()
    # On square layers Glorot's variance equals LeCun's: its dashed line lies on LeCun's.
    for color, name, ls in zip(COLORS, ("he_normal", "lecun_normal", "glorot_normal", "pytorch_default"),
                               ("-", "-", "--", "-")):
        stds = experiments.activation_stats(name, "relu", widths=[256] * 30, n_samples=200, rng=0).stds
        ax.semilogy(np.arange(1, 31), stds, marker="o" if ls == "-" else None, ms=3, ls=ls, color=color,
                    label=f"{name} (layer 30: {stds[-1]:.2g})")
    ax.set_xlabel("ReLU layer")
    ax.set_ylabel("std of activations")
    ax.set_title("Only He keeps a ReLU signal alive through depth")
    ax.legend(frameon=False, fontsize=8)
    return fig


# ------------------------------------------------------------------ truncated normal


@register(alt="Densities of a normal, the uncorrected and the corrected truncated normal")
def truncated_normal_densities() -> Figure:
    """A N(0, 1) parent, the same Gaussian cut at ±2 (its std shrinks), and the cut
    Gaussian rescaled so that its std is 1 again: densities and samples."""
    fig, (ax,) = figure(width=7.2, height=3.8)
    grid = np.linspace(-4, 4, 801)
    k = TRUNCATED_STD
    ax.plot(grid, experiments.truncated_normal_density(grid, cut=np.inf), color="0.5", lw=1.2, ls="--",
            label="N(0, 1), the parent: std 1")
    cases = (
        (f"cut at ±2, uncorrected: std {k:.4f}", truncated_normal((400, 400), std=1.0, rng=0), 1.0),
        (f"cut at ±2, times 1/{k:.4f}: std 1", variance_scaling((400, 400), 400.0, rng=0,
                                                                 distribution="truncated_normal"), 1 / k),
    )
    for color, (label, w, s) in zip(COLORS, cases):
        inside = np.abs(grid) < 2 * s
        density = experiments.truncated_normal_density(grid[inside], std=s)
        ax.plot(grid[inside], density, color=color, lw=2, label=f"{label} (sampled: {w.std():.4f})")
        ax.hist(w.ravel(), bins=np.linspace(-4, 4, 81), density=True, color=color, alpha=0.18)
    ax.set_xlabel("weight value (in units of the parent's std)")
    ax.set_ylabel("density")
    ax.set_title("Cutting the tails shrinks the spread; the correction puts it back")
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=1)
    return fig


# ------------------------------------------------------------------ variance scaling


@register(alt="Sampled standard deviation of every named variance-scaling scheme on a 512 x 128 layer")
def variance_scaling_stds() -> Figure:
    r"""The weight std of every named variance-scaling scheme on one 512 x 128 dense
    layer: sampled (bars) against $\sqrt{\text{scale} / n}$ (the line across each bar),
    coloured by mode."""
    fan_in, fan_out = 512, 128
    fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
    mode_colors = dict(zip(fans, COLORS))
    fig, (ax,) = figure(width=7.2, height=3.6)
    rows = experiments.variance_scaling_stds(fan_in, fan_out)
    for x, (name, scale, mode, distribution, sampled, target) in enumerate(rows):
        ax.bar(x, sampled, color=mode_colors[mode], alpha=0.85, hatch="//" if distribution == "uniform" else None,
               edgecolor="white")
        ax.plot([x - 0.4, x + 0.4], [target] * 2, color="black", lw=1.5)
    ax.set_xticks(range(len(rows)), [r[0] for r in rows], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("std of one weight")
    ax.set_title(f"One {fan_in} x {fan_out} layer: bars sampled, the line across each √(scale / n)")
    for mode, color in mode_colors.items():
        if any(r[2] == mode for r in rows):
            ax.bar(0, 0, color=color, label=f'mode="{mode}" (n = {fans[mode]:g})')
    ax.bar(0, 0, color="0.8", hatch="//", edgecolor="white", label="uniform (hatched)")
    ax.set_ylim(0, 1.3 * max(r[5] for r in rows))
    ax.legend(frameon=False, fontsize=8, loc="upper left", ncols=3)
    return fig


# ------------------------------------------------------------------------ orthogonal


@register(alt="Jacobian singular values of deep linear and tanh networks, orthogonal against Gaussian weights")
def orthogonal_spectrum() -> Figure:
    """Singular values of the input-output Jacobian of deep networks at initialization:
    orthogonal against scaled Gaussian weights, linear and tanh, over depth."""
    fig, (left, right) = figure(2, width=9.6, height=3.8)
    width = 128
    inits = {"orthogonal": "orthogonal", "Gaussian 1/fan_in": "lecun_normal"}
    for color, (label, scheme) in zip(COLORS, inits.items()):
        for act, ls in (("linear", "-"), ("tanh", "--")):
            s = experiments.jacobian_spectrum({label: scheme}, depth=32, width=width, activation=act, rng=0)[label]
            left.semilogy(np.arange(1, width + 1), s, ls, color=color, lw=1.6,
                          label=f"{label}, {act}: {s[0] / s[-1]:.3g}")
    left.set_xlabel("singular value index (largest first)")
    left.set_ylabel("singular value")
    left.set_title("Jacobian spectrum, depth 32, width 128", fontsize=10)
    legend_below(left, title="max/min singular value")

    depths = np.array([1, 2, 4, 8, 16, 32, 64])
    conditions = experiments.condition_by_depth(inits, depths=depths, width=64, rng=1)
    for color, (label, ratios) in zip(COLORS, conditions.items()):
        right.semilogy(depths, ratios, "o-", color=color, label=f"{label}, linear")
    right.set_xscale("log", base=2)
    right.set_xlabel("depth (layers of width 64)")
    right.set_ylabel("largest / smallest singular value")
    right.set_title("Condition number of the product", fontsize=10)
    legend_below(right)
    return fig


# -------------------------------------------------------------------------- identity


@register(alt='A two-channel image through "same"-padded convolutions, with the input\'s outline drawn on each '
              "output and the difference from the input below: Dirac kernels copy it, a He kernel scrambles it, an "
              "even kernel with the centre tap at k//2 shifts it by one pixel")
def identity_dirac_copy() -> Figure:
    r"""Convolutions with "same" padding applied to a two-channel image; top row: channel 0
    of each output, with the input's outline in orange; bottom row: output minus input (red
    above, blue below). A 3x3 Dirac kernel copies the image; a He-initialized one scrambles
    it. For an even 4x4 kernel the centre tap at `k // 2` (PyTorch's `dirac_`, weightinit's
    `identity`) shifts the image by one pixel, so its edges light up in the difference; the
    tap at `(k - 1) // 2` (JAX's `delta_orthogonal`) copies it."""
    fig = Figure(figsize=(MAX_WIDTH, 3.2), layout="constrained")
    axes = fig.subplots(2, 5)
    outputs = experiments.identity_conv_outputs(rng=0)
    x = outputs["input"][..., 0]
    for (top, bottom), (title, y) in zip(axes.T, outputs.items()):
        y = y[..., 0]
        top.imshow(y, cmap="Greys", interpolation="nearest")
        top.contour(x, levels=[0.5], colors=COLORS[1], linewidths=1.2)
        top.set_title(f"{title}\nmax |out - in| = {np.abs(y - x).max():.3g}", fontsize=8)
        bottom.imshow(y - x, cmap="RdBu_r", vmin=-1.5, vmax=1.5, interpolation="nearest")
        for ax in (top, bottom):
            ax.set_xticks([])
            ax.set_yticks([])
    axes[0, 0].set_ylabel("output", fontsize=9)
    axes[1, 0].set_ylabel("output - input", fontsize=9)
    return fig


# ---------------------------------------------------------------------------- sparse


@register(alt="Nonzero pattern of a 60 by 40 sparse weight: weightinit gives each output unit the same number "
              "of inputs, PyTorch's sparse_ gives each input the same number of outputs")
def sparse_patterns() -> Figure:
    r"""Nonzero pattern of a 60 x 40 (`fan_in` x `fan_out`) weight: weightinit's `sparse`
    gives every output unit the same number of inputs; PyTorch's `sparse_` on the
    `(out, in)` matrix gives every input the same number of outputs instead."""
    from weightinit.initializers import sparse

    fan_in, fan_out, sparsity = 60, 40, 0.75
    ours = sparse((fan_in, fan_out), sparsity=sparsity, std=1.0, rng=0) != 0
    # PyTorch stores (out, in); transposed back to (in, out) to compare.
    theirs = experiments.torch_sparse_mask(fan_out, fan_in, sparsity, rng=0).T
    fig = Figure(figsize=(MAX_WIDTH, 4.4), layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[1, 1, 1.1])
    for ax, (title, mask) in zip(axes[:2], {"weightinit.sparse": ours, "PyTorch sparse_ (transposed)": theirs}.items()):
        ax.imshow(mask, cmap="Greys", interpolation="nearest", aspect="auto")
        per_unit = mask.sum(axis=0)
        ax.set_title(f"{title}\ninputs per output unit: {per_unit.min()} to {per_unit.max()}", fontsize=9)
        ax.set_xlabel("output unit")
        ax.set_ylabel("input")
    ax = axes[2]
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    bins = np.arange(-0.5, fan_in * (1 - sparsity) * 2 + 1.5)
    for color, (label, mask) in zip(COLORS, {"weightinit.sparse": ours, "PyTorch sparse_": theirs}.items()):
        ax.hist(mask.sum(axis=0), bins=bins, color=color, histtype="step", lw=1.8, label=label)
    ax.set_xlabel("inputs per output unit")
    ax.set_ylabel("output units")
    ax.set_title(f"fan_in {fan_in}, sparsity {sparsity}", fontsize=9)
    legend_below(ax)
    return fig


# ------------------------------------------------------------------------------ LSUV


@register(alt="Variance of each layer's pre-activations in 10-layer ReLU and tanh MLPs: orthonormal weights "
              "alone decay, LSUV holds every layer at 1")
def lsuv_variances() -> Figure:
    """Pre-activation variance per layer of a 10-layer ReLU and tanh MLP: orthonormal
    weights alone, and after LSUV's rescaling."""
    fig, axes = figure(2, width=9.6, height=3.6)
    widths = (256,) * 10
    layers = np.arange(1, len(widths) + 1)
    for ax, act in zip(axes, ("relu", "tanh")):
        plain = experiments.orthogonal_preactivation_variances(widths, act, 200, rng=0)
        result = experiments.lsuv(widths=widths, activation=act, n_samples=200, rng=0)
        before = np.array([v[0] for v in result.variances])
        after = np.array([v[-1] for v in result.variances])
        steps = [len(v) - 1 for v in result.variances]
        ax.semilogy(layers, plain, "o-", color=COLORS[0], label="orthonormal only")
        ax.semilogy(layers, before, "s--", color=COLORS[1], label="LSUV: before this layer's rescale")
        ax.semilogy(layers, after, "^-", color=COLORS[2], label="LSUV: after")
        ax.axhspan(0.9, 1.1, color=COLORS[2], alpha=0.1)
        ax.set_xlabel("layer")
        ax.set_ylabel("variance of pre-activations")
        ax.set_title(f"{act}: rescalings per layer {min(steps)} to {max(steps)}", fontsize=10)
    legend_outside(fig, axes[0], ncols=3)
    return fig


# ------------------------------------------------------------------------------ SELU


@register(alt="Mean and variance of SELU activations over 50 layers: LeCun normal converges to (0, 1), "
              "PyTorch's gain 3/4 and He normal do not")
def selu_fixed_point_depth() -> Figure:
    """Mean and variance of SELU activations over 50 layers for inputs with mean 1 and
    std 2: LeCun normal weights go to (0, 1); weights with PyTorch's selu gain 3/4 settle
    elsewhere."""
    fig, (left, right) = figure(2, width=9.6, height=3.6)
    runs = {
        "lecun_normal": "lecun_normal",
        "gain 3/4 (PyTorch 'selu')": lambda shape, rng=None: lecun_normal(shape, rng=rng) * 0.75,
        "he_normal": "he_normal",
    }
    for color, (label, scheme) in zip(COLORS, runs.items()):
        r = experiments.selu_fixed_point(scheme, depth=50, width=128, n_samples=200, rng=0)
        layers = np.arange(1, len(r.means) + 1)
        left.plot(layers, r.means, color=color, lw=1.6, label=f"{label}: {r.means[-1]:.3f}")
        right.plot(layers, r.variances, color=color, lw=1.6, label=f"{label}: {r.variances[-1]:.3f}")
    for ax, target, name in ((left, 0.0, "mean"), (right, 1.0, "variance")):
        ax.axhline(target, color="0.3", ls=":", lw=1)
        ax.set_xlabel("layer")
        ax.set_ylabel(f"{name} of activations")
        legend_below(ax, title=f"{name} at layer 50")
    left.set_title("inputs: mean 1, std 2; width 128", fontsize=10)
    right.set_title("(0, 1) attracts only with Var(w) = 1/fan_in", fontsize=10)
    right.set_yscale("log")
    return fig


# -------------------------------------------------------------------------- residual


@register(alt="A residual stack of 64 blocks: on a log axis the unscaled stream's variance doubles at every "
              "block; on a linear axis the branch scaled by 1/sqrt(L) grows it by 1 + 1/L per block and stays "
              "below e, and a zero last layer keeps it at 1")
def residual_variance_growth() -> Figure:
    r"""The residual stream's variance over 64 blocks $x + F(x)$,
    $F = W_2 \operatorname{relu}(W_1 x)$, He / LeCun weights, width 128, relative to the
    input's: unscaled, branch scaled by $1/\sqrt{L}$, and Fixup's zero last layer. Left, on a
    log axis: the unscaled stream doubles at every block. Right, on a linear axis: the scaled
    stream follows $(1 + 1/L)^l$ and stays below $e$; the zero last layer keeps it at 1; the
    unscaled stream leaves the axis after one block."""
    fig, (log, linear) = figure(2, width=7.0, height=3.9)
    blocks = 64
    runs = {
        "unscaled branch": {"branch_scale": 1.0},
        "branch x 1/sqrt(L)": {"branch_scale": 1 / math.sqrt(blocks)},
        "zero last layer (Fixup)": {"branch_scale": 1.0, "zero_last": True},
    }
    depth = np.arange(blocks + 1)
    top = 3.6
    for color, (label, kw) in zip(COLORS, runs.items()):
        v = experiments.residual_stack_variance(blocks, **kw, width=128, rng=0)
        v = v / v[0]
        log.semilogy(depth, v, color=color, lw=1.8, label=f"{label}: {v[-1]:.3g}")
        shown = v <= top
        linear.plot(depth[shown], v[shown], color=color, lw=1.8, marker="o" if not shown.all() else None, ms=3)
        if not shown.all():
            linear.annotate(f"{label}:\noff the axis after block {depth[shown][-1]}",
                            (depth[shown][-1], v[shown][-1]), (6, 0), textcoords="offset points", va="center",
                            fontsize=8, color=color)
    log.semilogy(depth, 2.0 ** depth, ":", color="0.3", lw=1)
    log.annotate("2^l", (40, 2.0 ** 40), (-4, 4), textcoords="offset points", ha="right", fontsize=8, color="0.3")
    log.set_ylim(0.3, 2.0 ** 70)
    linear.plot(depth, (1 + 1 / blocks) ** depth, ":", color="0.3", lw=1)
    linear.axhline(math.e, color="0.6", lw=0.8)
    linear.annotate("e", (0, math.e), (2, 2), textcoords="offset points", va="bottom", fontsize=8, color="0.3")
    linear.annotate("(1 + 1/L)^l", (blocks / 2, (1 + 1 / blocks) ** (blocks / 2)), (6, -8),
                    textcoords="offset points", va="top", fontsize=8, color="0.3")
    linear.set_ylim(0, top)
    log.set_title("log axis: doubling per block", fontsize=10)
    linear.set_title("linear axis: bounded, or constant", fontsize=10)
    log.set_ylabel("Var(x_l) / Var(x_0)")
    for ax in (log, linear):
        ax.set_xlabel("block l")
    legend_outside(fig, log, ncols=3, title=f"L = {blocks} blocks; variance after the last block")
    return fig


# ---------------------------------------------------------------------------- biases


@register(alt="Loss at initialization: binary cross-entropy against the positive rate with zero and prior "
              "bias; softmax cross-entropy against the number of classes with a small and a large output layer")
def bias_initial_loss() -> Figure:
    """Loss at initialization. Left: binary cross-entropy of a sigmoid output on data
    with positive rate pi, zero bias against the prior bias -log((1-pi)/pi). Right:
    softmax cross-entropy over C classes against ln C, small against large last layer."""
    fig, (left, right) = figure(2, width=9.6, height=3.6)
    r = experiments.initial_loss(rng=0)
    left.semilogx(r.positive_rates, r.bce_zero_bias, "o-", color=COLORS[1], label="b = 0")
    left.semilogx(r.positive_rates, r.bce_prior_bias, "s-", color=COLORS[0], label="b = -log((1 - pi) / pi)")
    left.semilogx(r.positive_rates, r.label_entropy, ":", color="0.3", label="entropy of the labels")
    left.set_xlabel("positive rate pi")
    left.set_ylabel("binary cross-entropy at init")
    left.set_title("Sigmoid output, 4000 samples", fontsize=10)
    left.legend(frameon=False, fontsize=8)
    for color, (label, losses) in zip(COLORS, r.softmax.items()):
        right.semilogx(r.classes, losses, "o-", color=color, label=label)
    right.semilogx(r.classes, np.log(r.classes), ":", color="0.3", label="ln C")
    right.set_xlabel("number of classes C")
    right.set_ylabel("cross-entropy at init")
    right.set_title("Softmax output, balanced labels", fontsize=10)
    right.legend(frameon=False, fontsize=8)
    return fig


# ------------------------------------------------------------------------ embeddings


@register(alt="Root mean square of one token's embedding entries under the frameworks' defaults, with and "
              "without the sqrt(d_model) factor, next to the sinusoidal positional encodings")
def embedding_scales() -> Figure:
    r"""Root mean square of a token's embedding entries under the frameworks' default
    initializers, with and without the Transformer's $\sqrt{d_\text{model}}$ factor, next to
    the RMS of sinusoidal positional encodings."""
    fig, (ax,) = figure(width=6.8, height=3.8)
    s = experiments.embedding_scales(vocab=1000, d_model=512, rng=0)
    names = list(s.rms)
    rms = np.array(list(s.rms.values()))
    scaled = rms * math.sqrt(s.d_model)
    y = np.arange(len(names))
    ax.barh(y + 0.2, rms, 0.4, color=COLORS[0], label="embedding")
    ax.barh(y - 0.2, scaled, 0.4, color=COLORS[1], label="embedding x sqrt(d_model)")
    for k, (a, b) in enumerate(zip(rms, scaled)):
        ax.text(a * 1.1, k + 0.2, f"{a:.3g}", va="center", fontsize=8)
        ax.text(b * 1.1, k - 0.2, f"{b:.3g}", va="center", fontsize=8)
    ax.axvline(s.positional_rms, color=COLORS[2], ls="--", label=f"sinusoidal positions ({s.positional_rms:.3g})")
    ax.set_xscale("log")
    ax.set_xlim(None, 200)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlabel(f"RMS of one token's entries (d_model = {s.d_model})")
    ax.set_title("Embedding scale against positional-encoding scale", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig
