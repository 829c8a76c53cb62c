"""Figures for the structured and special-purpose schemes: orthogonal, identity, sparse,
LSUV, SELU, residual scaling, biases and embeddings.

The build renders every name in ``__all__`` to ``figures/<name>.svg``. Each function
builds its figure with :class:`matplotlib.figure.Figure` (never pyplot), uses fixed
seeds and runs in well under a second.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from . import experiments
from . import initializers as init
from .figures import _COLORS, _figure
from .nn import activation, binary_cross_entropy, cross_entropy

__all__ = [
    "bias_initial_loss",
    "embedding_scales",
    "identity_dirac_copy",
    "lsuv_variances",
    "orthogonal_learning_time",
    "orthogonal_spectrum",
    "residual_variance_growth",
    "selu_fixed_point_depth",
    "sparse_patterns",
]



# ------------------------------------------------------------------------ orthogonal


def orthogonal_spectrum() -> Figure:
    """Singular values of the input-output Jacobian of deep networks at initialization:
    orthogonal against scaled Gaussian weights, linear and tanh, over depth."""
    fig, (left, right) = _figure(2, width=9.6, height=3.8)
    width = 128
    inits = {"orthogonal": "orthogonal", "Gaussian 1/fan_in": "lecun_normal"}
    styles = {"linear": "-", "tanh": "--"}
    for color, (label, scheme) in zip(_COLORS, inits.items()):
        for act, ls in styles.items():
            s = experiments.jacobian_spectrum({label: scheme}, depth=32, width=width,
                                              activation=act, rng=0)[label]
            left.semilogy(np.arange(1, width + 1), s, ls, color=color, lw=1.6,
                          label=f"{label}, {act} (max/min {s[0] / s[-1]:.3g})")
    left.set_xlabel("singular value index (largest first)")
    left.set_ylabel("singular value")
    left.set_title("Jacobian spectrum at depth 32, width 128", fontsize=10)
    left.legend(frameon=False, fontsize=7)

    depths = np.array([1, 2, 4, 8, 16, 32, 64])
    for color, (label, scheme) in zip(_COLORS, inits.items()):
        ratios = []
        for depth in depths:
            s = experiments.jacobian_spectrum({label: scheme}, depth=int(depth), width=64, rng=1)[label]
            ratios.append(s[0] / s[-1])
        right.loglog(depths, ratios, "o-", color=color, base=2, label=f"{label}, linear")
    right.set_xlabel("depth (layers of width 64)")
    right.set_ylabel("largest / smallest singular value")
    right.set_title("Condition number of the product of weights", fontsize=10)
    right.legend(frameon=False, fontsize=8)
    return fig


def orthogonal_learning_time() -> Figure:
    """Steps for deep linear networks (width 16) to fit a linear map, against depth:
    orthogonal against scaled Gaussian weights (Saxe et al. 2013 in miniature)."""
    fig, (ax,) = _figure(width=6.4, height=3.6)
    result = experiments.learning_time({"orthogonal": "orthogonal", "Gaussian 1/fan_in": "lecun_normal"}, rng=0)
    for color, marker, (label, steps) in zip(_COLORS, "os", result.steps.items()):
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


# -------------------------------------------------------------------------- identity


def _conv2d_same(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlation of ``x`` (h, w, in) with ``kernel`` (kh, kw, in, out) and "same"
    zero padding as PyTorch, TensorFlow and XLA place it: ``(k - 1) // 2`` before, the rest
    after, so tap ``(k - 1) // 2`` sits over the output pixel."""
    kh, kw = kernel.shape[:2]
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    padded = np.pad(x, ((ph, kh - 1 - ph), (pw, kw - 1 - pw), (0, 0)))
    h, w = x.shape[:2]
    out = np.zeros((h, w, kernel.shape[3]))
    for i in range(kh):
        for j in range(kw):
            out += padded[i:i + h, j:j + w] @ kernel[i, j]
    return out


def identity_dirac_copy() -> Figure:
    """Convolutions with "same" padding applied to a two-channel image. A 3x3 Dirac kernel
    copies it; a He-initialized one scrambles it. For an even 4x4 kernel the centre tap at
    k // 2 (PyTorch's dirac_, weightinit's identity) shifts the image by one pixel, the tap
    at (k - 1) // 2 (JAX's delta_orthogonal) copies it."""
    fig = Figure(figsize=(10.5, 2.8), layout="constrained")
    axes = fig.subplots(1, 5)
    yy, xx = np.mgrid[:24, :24]
    image = ((np.abs(xx - 8) + np.abs(yy - 9) < 6) | ((xx - 16) ** 2 + (yy - 15) ** 2 < 20)).astype(float)
    x = np.stack([image, image.T], axis=-1)
    jax_centre = np.zeros((4, 4, 2, 2))
    jax_centre[1, 1] = np.eye(2)
    outputs = {
        "input": x,
        "3x3 identity": _conv2d_same(x, init.identity((3, 3, 2, 2))),
        "3x3 he_normal": _conv2d_same(x, init.he_normal((3, 3, 2, 2), rng=0)),
        "4x4, tap k//2": _conv2d_same(x, init.identity((4, 4, 2, 2))),
        "4x4, tap (k-1)//2": _conv2d_same(x, jax_centre),
    }
    for ax, (title, y) in zip(axes, outputs.items()):
        ax.imshow(y[..., 0], cmap="viridis", interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{title}\nmax |out - in| = {np.abs(y - x).max():.3g}", fontsize=8)
    return fig


# ---------------------------------------------------------------------------- sparse


def _torch_sparse_pattern(rows: int, cols: int, sparsity: float, rng) -> np.ndarray:
    """The zero pattern of PyTorch's ``sparse_`` on a ``(rows, cols)`` tensor: in each
    column, ``ceil(sparsity * rows)`` random rows are zeroed."""
    mask = np.ones((rows, cols), dtype=bool)
    n_zero = math.ceil(sparsity * rows)
    for c in range(cols):
        mask[rng.permutation(rows)[:n_zero], c] = False
    return mask


def sparse_patterns() -> Figure:
    """Nonzero pattern of a 60 x 40 (fan_in x fan_out) weight: weightinit's sparse gives
    every output unit the same number of inputs; PyTorch's sparse_ on the (out, in)
    matrix gives every input the same number of outputs instead."""
    fan_in, fan_out, sparsity = 60, 40, 0.75
    ours = init.sparse((fan_in, fan_out), sparsity=sparsity, std=1.0, rng=0) != 0
    # PyTorch stores (out, in); transposed back to (in, out) to compare.
    theirs = _torch_sparse_pattern(fan_out, fan_in, sparsity, np.random.default_rng(0)).T
    fig = Figure(figsize=(9.6, 4.2), layout="constrained")
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
    for color, (label, mask) in zip(_COLORS, {"weightinit.sparse": ours, "PyTorch sparse_": theirs}.items()):
        ax.hist(mask.sum(axis=0), bins=bins, color=color, histtype="step", lw=1.8, label=label)
    ax.set_xlabel("nonzero incoming weights per output unit")
    ax.set_ylabel("output units")
    ax.set_title(f"fan_in {fan_in}, sparsity {sparsity}", fontsize=9)
    ax.legend(frameon=False, fontsize=8)
    return fig


# ------------------------------------------------------------------------------ LSUV


def _orthogonal_preactivation_variances(widths, name, n_samples, rng) -> np.ndarray:
    """Variance of each layer's pre-activations with orthonormal weights and no rescaling."""
    gen = np.random.default_rng(rng)
    phi = activation(name)[0]
    x = gen.standard_normal((n_samples, widths[0]))
    out = []
    for n_in, n_out in zip([widths[0], *widths], widths):
        z = x @ init.orthogonal((n_in, n_out), rng=gen)
        out.append(z.var())
        x = phi(z)
    return np.array(out)


def lsuv_variances() -> Figure:
    """Pre-activation variance per layer of a 10-layer ReLU and tanh MLP: orthonormal
    weights alone, and after LSUV's rescaling."""
    fig, axes = _figure(2, width=9.6, height=3.6)
    widths = (256,) * 10
    layers = np.arange(1, len(widths) + 1)
    for ax, act in zip(axes, ("relu", "tanh")):
        plain = _orthogonal_preactivation_variances(widths, act, 500, 0)
        result = experiments.lsuv(widths=widths, activation=act, n_samples=500, rng=0)
        before = np.array([v[0] for v in result.variances])
        after = np.array([v[-1] for v in result.variances])
        steps = [len(v) - 1 for v in result.variances]
        ax.semilogy(layers, plain, "o-", color=_COLORS[0], label="orthonormal only")
        ax.semilogy(layers, before, "s--", color=_COLORS[1], label="LSUV: before this layer's rescale")
        ax.semilogy(layers, after, "^-", color=_COLORS[2], label="LSUV: after")
        ax.axhspan(0.9, 1.1, color=_COLORS[2], alpha=0.1)
        ax.set_xlabel("layer")
        ax.set_ylabel("variance of pre-activations")
        ax.set_title(f"{act}: rescalings per layer {min(steps)} to {max(steps)}", fontsize=10)
        ax.legend(frameon=False, fontsize=8)
    return fig


# ------------------------------------------------------------------------------ SELU


def selu_fixed_point_depth() -> Figure:
    """Mean and variance of SELU activations over 50 layers for inputs with mean 1 and
    std 2: LeCun normal weights go to (0, 1); weights with PyTorch's selu gain 3/4 settle
    elsewhere."""
    fig, (left, right) = _figure(2, width=9.6, height=3.6)
    runs = {
        "lecun_normal": "lecun_normal",
        "gain 3/4 (PyTorch 'selu')": lambda shape, rng=None: init.lecun_normal(shape, rng=rng) * 0.75,
        "he_normal": "he_normal",
    }
    for color, (label, scheme) in zip(_COLORS, runs.items()):
        r = experiments.selu_fixed_point(scheme, depth=50, width=256, n_samples=500, rng=0)
        layers = np.arange(1, len(r.means) + 1)
        left.plot(layers, r.means, color=color, lw=1.6, label=f"{label} (last {r.means[-1]:.3f})")
        right.plot(layers, r.variances, color=color, lw=1.6, label=f"{label} (last {r.variances[-1]:.3f})")
    for ax, target, name in ((left, 0.0, "mean"), (right, 1.0, "variance")):
        ax.axhline(target, color="0.3", ls=":", lw=1)
        ax.set_xlabel("layer")
        ax.set_ylabel(f"{name} of activations")
        ax.legend(frameon=False, fontsize=8)
    left.set_title("inputs: mean 1, std 2; width 256", fontsize=10)
    right.set_title("(0, 1) attracts only with Var(w) = 1/fan_in", fontsize=10)
    right.set_yscale("log")
    return fig


# -------------------------------------------------------------------------- residual


def _residual_stack_variance(blocks: int, branch_scale: float, zero_last: bool = False,
                             width: int = 256, n_samples: int = 256, rng=0) -> np.ndarray:
    """Variance of x after each block of x <- x + branch_scale * W2 relu(W1 x), He weights."""
    gen = np.random.default_rng(rng)
    x = gen.standard_normal((n_samples, width))
    out = [x.var()]
    for _ in range(blocks):
        h = np.maximum(x @ init.he_normal((width, width), rng=gen), 0.0)
        w2 = np.zeros((width, width)) if zero_last else init.lecun_normal((width, width), rng=gen)
        x = x + branch_scale * (h @ w2)
        out.append(x.var())
    return np.array(out)


def residual_variance_growth() -> Figure:
    """Variance of the residual stream over 64 blocks x + F(x), F = W2 relu(W1 x) with
    He / LeCun weights: unscaled, branch scaled by 1/sqrt(L), and Fixup's zero last layer."""
    fig, (ax,) = _figure(width=6.8, height=3.8)
    blocks = 64
    runs = {
        "unscaled branch": {"branch_scale": 1.0},
        "branch x 1/sqrt(L)": {"branch_scale": 1 / math.sqrt(blocks)},
        "last layer of branch zero (Fixup, zero-gamma)": {"branch_scale": 1.0, "zero_last": True},
    }
    depth = np.arange(blocks + 1)
    for color, (label, kw) in zip(_COLORS, runs.items()):
        v = _residual_stack_variance(blocks, **kw)
        ax.semilogy(depth, v, color=color, lw=1.8, label=f"{label}: {v[-1]:.3g} at L = {blocks}")
    ax.semilogy(depth, 2.0 ** depth, ":", color="0.4", lw=1, label="2^l")
    ax.semilogy(depth, (1 + 1 / blocks) ** depth, ":", color="0.6", lw=1, label="(1 + 1/L)^l")
    ax.set_ylim(0.5, 2.0 ** 70)
    ax.set_xlabel("block l")
    ax.set_ylabel("variance of the residual stream")
    ax.set_title("A residual stack of L = 64 blocks at initialization", fontsize=10)
    ax.legend(frameon=False, fontsize=8)
    return fig


# ---------------------------------------------------------------------------- biases


def bias_initial_loss() -> Figure:
    """Loss at initialization. Left: binary cross-entropy of a sigmoid output on data
    with positive rate pi, zero bias against the prior bias -log((1-pi)/pi). Right:
    softmax cross-entropy over C classes against ln C, small against large last layer."""
    fig, (left, right) = _figure(2, width=9.6, height=3.6)
    gen = np.random.default_rng(0)
    n, width = 4000, 128
    features = np.maximum(gen.standard_normal((n, width)), 0.0)
    w = init.glorot_normal((width, 1), rng=gen) * 0.1
    pis = np.array([0.5, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001])
    zero, prior = [], []
    for pi in pis:
        y = (gen.random(n) < pi).astype(float)
        logit = features @ w
        for store, b in ((zero, 0.0), (prior, -math.log((1 - pi) / pi))):
            p = 0.5 * (1 + np.tanh(0.5 * (logit + b)))
            store.append(binary_cross_entropy(p, y)[0])
    entropy = -(pis * np.log(pis) + (1 - pis) * np.log1p(-pis))
    left.semilogx(pis, zero, "o-", color=_COLORS[1], label="b = 0")
    left.semilogx(pis, prior, "s-", color=_COLORS[0], label="b = -log((1 - pi) / pi)")
    left.semilogx(pis, entropy, ":", color="0.3", label="entropy of the labels")
    left.set_xlabel("positive rate pi")
    left.set_ylabel("binary cross-entropy at init")
    left.set_title("Sigmoid output, 4000 samples", fontsize=10)
    left.legend(frameon=False, fontsize=8)

    classes = np.array([2, 5, 10, 100, 1000])
    for color, (label, std) in zip(_COLORS, {"last layer std 0.01": 0.01, "last layer std 1": 1.0}.items()):
        losses = []
        for c in classes:
            logits = features[:1000] @ (std * gen.standard_normal((width, c)))
            losses.append(cross_entropy(logits, gen.integers(0, c, 1000))[0])
        right.semilogx(classes, losses, "o-", color=color, label=label)
    right.semilogx(classes, np.log(classes), ":", color="0.3", label="ln C")
    right.set_xlabel("number of classes C")
    right.set_ylabel("cross-entropy at init")
    right.set_title("Softmax output, balanced labels", fontsize=10)
    right.legend(frameon=False, fontsize=8)
    return fig


# ------------------------------------------------------------------------ embeddings


def embedding_scales() -> Figure:
    """Root mean square of a token's embedding entries under the frameworks' default
    initializers, with and without the Transformer's sqrt(d_model) factor, next to the
    RMS of sinusoidal positional encodings."""
    fig, (ax,) = _figure(width=6.8, height=3.8)
    vocab, d_model = 1000, 512
    gen = np.random.default_rng(0)
    tables = {
        "Keras U(-0.05, 0.05)": init.uniform((vocab, d_model), low=-0.05, high=0.05, rng=gen),
        "PyTorch N(0, 1)": init.normal((vocab, d_model), std=1.0, rng=gen),
        "BERT, GPT-2 N(0, 0.02^2)": init.normal((vocab, d_model), std=0.02, rng=gen),
        "N(0, 1/d_model)": init.normal((vocab, d_model), std=d_model**-0.5, rng=gen),
    }
    pos = np.arange(vocab)[:, None] / 10000 ** (np.arange(0, d_model, 2) / d_model)
    pe_rms = math.sqrt(np.mean(np.concatenate([np.sin(pos), np.cos(pos)], axis=1) ** 2))
    names = list(tables)
    rms = np.array([math.sqrt(np.mean(t**2)) for t in tables.values()])
    y = np.arange(len(names))
    ax.barh(y + 0.2, rms, 0.4, color=_COLORS[0], label="embedding")
    ax.barh(y - 0.2, rms * math.sqrt(d_model), 0.4, color=_COLORS[1], label="embedding x sqrt(d_model)")
    for k, (a, b) in enumerate(zip(rms, rms * math.sqrt(d_model))):
        ax.text(a * 1.1, k + 0.2, f"{a:.3g}", va="center", fontsize=7)
        ax.text(b * 1.1, k - 0.2, f"{b:.3g}", va="center", fontsize=7)
    ax.axvline(pe_rms, color=_COLORS[2], ls="--", label=f"sinusoidal positions ({pe_rms:.3g})")
    ax.set_xscale("log")
    ax.set_xlim(None, 200)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlabel("RMS of one token's entries (d_model = 512)")
    ax.set_title("Embedding scale against positional-encoding scale", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig
