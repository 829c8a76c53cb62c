"""Figures for the site: one function per figure, each returning a matplotlib Figure.

The build renders every name in ``__all__`` to ``figures/<name>.svg``. Functions
build their figure with :class:`matplotlib.figure.Figure` directly, never pyplot,
so that no global state leaks between them, and use fixed seeds so that the same
code gives the same bytes.
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.figure import Figure

from . import initializers as init
from .tables import variance_scaling_triples

__all__ = [
    "constant_init_symmetry",
    "exact_gain_by_q",
    "gain_depth",
    "glorot_compromise",
    "he_relu_depth",
    "lecun_width_independence",
    "random_by_activation",
    "random_tanh_histograms",
    "scheme_distributions",
    "truncated_normal_densities",
    "variance_by_fan",
    "variance_scaling_stds",
]

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


# ------------------------------------------------------------------------ helpers

_ACTIVATIONS = {
    "linear": lambda z: z,
    "tanh": np.tanh,
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),
    "relu": lambda z: np.maximum(z, 0.0),
}


def _forward(draw, activation: str, widths, n_samples: int, seed: int) -> list[np.ndarray]:
    """Each layer's activations for N(0, 1) inputs; layer i maps widths[i] to widths[i+1] units.

    ``draw(shape, rng)`` gives one layer's weight; biases are zero.
    """
    rng = np.random.default_rng(seed)
    phi = _ACTIVATIONS[activation]
    h = rng.standard_normal((n_samples, widths[0]))
    acts = []
    for n_in, n_out in itertools.pairwise(widths):
        h = phi(h @ draw((n_in, n_out), rng))
        acts.append(h)
    return acts


def _stds(draw, activation, widths, n_samples=500, seed=0) -> np.ndarray:
    return np.array([a.std() for a in _forward(draw, activation, widths, n_samples, seed)])


def _fixed(std: float):
    return lambda shape, rng: init.normal(shape, std=std, rng=rng)


def _scheme(name: str, **params):
    return lambda shape, rng: getattr(init, name)(shape, **params, rng=rng)


# ---------------------------------------------------------------- zeros and constants


def constant_init_symmetry() -> Figure:
    """The course notes' 2-2-1 network (ReLU hidden, sigmoid output) trained by gradient
    descent from zeros, from the constant 0.5 and from He normal: the incoming weights of
    the two hidden units over training."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((200, 2))
    y = (x[:, :1] + 0.5 * x[:, 1:] > 0).astype(float)
    starts = {
        "zeros": lambda shape: init.zeros(shape),
        "constant 0.5": lambda shape: init.constant(shape, 0.5),
        "he_normal": lambda shape: init.he_normal(shape, rng=7),
    }
    fig, axes = _figure(3, width=9.6, height=3.2)
    steps, lr = 300, 0.5
    for ax, (label, start) in zip(axes, starts.items()):
        W1, b1, W2, b2 = start((2, 2)), np.zeros(2), start((2, 1)), np.zeros(1)
        history = []
        for _ in range(steps):
            history.append(W1.copy())
            z1 = x @ W1 + b1
            a1 = np.maximum(z1, 0.0)
            p = 1.0 / (1.0 + np.exp(-(a1 @ W2 + b2)))
            dz2 = (p - y) / len(x)  # binary cross-entropy through the sigmoid
            dz1 = (dz2 @ W2.T) * (z1 > 0)
            W2, b2 = W2 - lr * a1.T @ dz2, b2 - lr * dz2.sum(0)
            W1, b1 = W1 - lr * x.T @ dz1, b1 - lr * dz1.sum(0)
        history = np.array(history)
        for unit, ls in ((0, "-"), (1, (0, (4, 3)))):
            for i, color in zip(range(2), _COLORS):
                ax.plot(history[:, i, unit], ls=ls, color=color, lw=2.2 if unit == 0 else 1.4,
                        label=f"hidden unit {unit + 1}, from input {i + 1}")
        ax.set_title(label)
        ax.set_xlabel("gradient step")
    axes[0].set_ylabel("incoming weight")
    axes[0].legend(frameon=False, fontsize=7, loc="center right")
    fig.suptitle("Two hidden units: equal starts stay equal (dashed lies on solid)", fontsize=11)
    return fig


# ------------------------------------------------------------------ small and large


def random_by_activation() -> Figure:
    """Per-layer activation std for 0.01 * randn, 1.0 * randn and the scheme that suits the
    activation, through 10 layers of 500 units, for tanh, sigmoid and ReLU."""
    widths = [500] * 11
    matched = {"tanh": ("lecun_normal", _scheme("lecun_normal")),
               "sigmoid": ("glorot_normal", _scheme("glorot_normal")),
               "relu": ("he_normal", _scheme("he_normal"))}
    fig, axes = _figure(3, width=9.6, height=3.4)
    layers = np.arange(1, len(widths))
    for ax, (activation, (name, draw)) in zip(axes, matched.items()):
        inits = {"0.01 * randn": _fixed(0.01), "1.0 * randn": _fixed(1.0), name: draw}
        for color, (label, d) in zip(_COLORS, inits.items()):
            ax.semilogy(layers, _stds(d, activation, widths, n_samples=200), "o-", ms=3, color=color, label=label)
        ax.set_title(activation)
        ax.set_xlabel("layer")
        ax.legend(frameon=False, fontsize=7)
    axes[0].set_ylabel("std of activations")
    return fig


def random_tanh_histograms() -> Figure:
    """The notebook's experiment: histograms of tanh activations at layers 1, 4, 7 and 10
    (1000 inputs, 10 layers of 500 units) for 0.01 * randn and 1.0 * randn."""
    widths = [500] * 11
    inits = {"0.01 * randn: activations collapse to 0": _fixed(0.01),
             "1.0 * randn: tanh saturates at -1 and +1": _fixed(1.0)}
    fig = Figure(figsize=(9.6, 4.6), layout="constrained")
    axes = fig.subplots(2, 4)
    for row, (label, draw) in zip(axes, inits.items()):
        acts = _forward(draw, "tanh", widths, 1000, seed=0)
        for ax, k in zip(row, (0, 3, 6, 9)):
            a = acts[k].ravel()
            span = 1.0 if "1.0" in label else np.abs(a).max()
            ax.hist(a, bins=np.linspace(-span, span, 41), color=_COLORS[0 if "0.01" in label else 1])
            ax.set_title(f"layer {k + 1}: std {a.std():.2g}", fontsize=9)
            ax.set_yticks([])
            ax.spines[["top", "right", "left"]].set_visible(False)
            ax.ticklabel_format(axis="x", style="sci", scilimits=(-2, 2))
        row[0].set_ylabel(label.split(":")[0])
    fig.suptitle("tanh activations, 10 layers of 500 units (note each panel's x range)", fontsize=11)
    return fig


# ------------------------------------------------------------------- LeCun, Glorot, He


def lecun_width_independence() -> Figure:
    """Activation std through 10 linear layers of width 64, 256 and 1024: a fixed
    N(0, 0.05^2) suits one width only, LeCun's 1/fan_in suits all."""
    fig, axes = _figure(2, width=8.4, height=3.4)
    inits = {"fixed std 0.05": _fixed(0.05), "lecun_normal, Var = 1/fan_in": _scheme("lecun_normal")}
    for ax, (label, draw) in zip(axes, inits.items()):
        for color, n in zip(_COLORS, (64, 256, 1024)):
            stds = _stds(draw, "linear", [n] * 11, n_samples=200)
            ax.semilogy(np.arange(1, 11), stds, "o-", ms=3, color=color, label=f"width {n}")
        ax.axhline(1.0, color="0.4", ls=":", lw=1)
        ax.set_title(label)
        ax.set_xlabel("layer (linear)")
        ax.set_ylim(1e-4, 1e4)
    axes[0].set_ylabel("std of outputs")
    axes[0].legend(frameon=False, fontsize=8)
    return fig


def glorot_compromise() -> Figure:
    """Variance of the forward signal and of the backward gradient through a linear funnel
    whose width shrinks by sqrt(2) per layer (1024 to 64), with Var(w) = 1/fan_in, 1/fan_out
    and 2/(fan_in + fan_out)."""
    widths = [round(1024 * 2 ** (-k / 2)) for k in range(9)]
    modes = {"1/fan_in (LeCun)": "fan_in", "1/fan_out": "fan_out", "2/(fan_in + fan_out) (Glorot)": "fan_avg"}
    fig, (fwd, bwd) = _figure(2, width=8.4, height=3.4)
    layers = np.arange(len(widths))
    for color, (label, mode) in zip(_COLORS, modes.items()):
        rng = np.random.default_rng(0)
        Ws = [init.variance_scaling((a, b), 1.0, mode, rng=rng) for a, b in itertools.pairwise(widths)]
        h = rng.standard_normal((500, widths[0]))
        forward = [h.var()]
        for W in Ws:
            h = h @ W
            forward.append(h.var())
        g = rng.standard_normal((500, widths[-1]))
        backward = [g.var()]
        for W in reversed(Ws):
            g = g @ W.T
            backward.append(g.var())
        fwd.semilogy(layers, forward, "o-", ms=3, color=color, label=label, base=2)
        bwd.semilogy(layers, backward[::-1], "o-", ms=3, color=color, label=label, base=2)
    for ax, title in ((fwd, "forward: Var of activations"), (bwd, "backward: Var of gradients")):
        ax.axhline(1.0, color="0.4", ls=":", lw=1)
        ax.set_title(title)
        ax.set_xlabel(f"layer (widths {widths[0]} down to {widths[-1]})")
    fwd.legend(frameon=False, fontsize=8)
    return fig


def he_relu_depth() -> Figure:
    """Activation std through 30 ReLU layers of 256 units for He, LeCun, Glorot and
    PyTorch's layer default."""
    widths = [256] * 31
    fig, (ax,) = _figure()
    # On square layers Glorot's variance equals LeCun's: its dashed line lies on LeCun's.
    for color, name, ls in zip(_COLORS, ("he_normal", "lecun_normal", "glorot_normal", "pytorch_default"),
                               ("-", "-", "--", "-")):
        stds = _stds(_scheme(name), "relu", widths, n_samples=300)
        ax.semilogy(np.arange(1, 31), stds, marker="o" if ls == "-" else None, ms=3, ls=ls, color=color,
                    label=f"{name} (layer 30: {stds[-1]:.2g})")
    ax.set_xlabel("ReLU layer")
    ax.set_ylabel("std of activations")
    ax.set_title("Only He keeps a ReLU signal alive through depth")
    ax.legend(frameon=False, fontsize=8)
    return fig


def gain_depth() -> Figure:
    """Activation std through 50 layers of 256 units: tanh with gain 1 and 5/3, ReLU with
    gain 1 and sqrt(2); weights N(0, gain^2 / fan_in)."""
    widths = [256] * 51
    cases = {"tanh": (("1", 1.0), ("5/3", init.gain("tanh"))),
             "relu": (("1", 1.0), ("sqrt(2)", init.gain("relu")))}
    fig, axes = _figure(2, width=8.4, height=3.4)
    for ax, (activation, gains) in zip(axes, cases.items()):
        for color, (label, g) in zip(_COLORS, gains):
            draw = lambda shape, rng, g=g: init.variance_scaling(shape, g * g, rng=rng)
            stds = _stds(draw, activation, widths, n_samples=200)
            ax.semilogy(np.arange(1, 51), stds, "-", color=color, label=f"gain {label} (layer 50: {stds[-1]:.2g})")
        ax.set_title(activation)
        ax.set_xlabel("layer")
        ax.legend(frameon=False, fontsize=8)
    axes[0].set_ylabel("std of activations")
    return fig


# ------------------------------------------------------------------ truncated normal


def truncated_normal_densities() -> Figure:
    """A N(0, 1) parent, the same Gaussian cut at +-2 (std shrinks to TRUNCATED_STD), and the
    cut Gaussian rescaled by 1 / TRUNCATED_STD (std back to 1): densities and samples."""
    fig, (ax,) = _figure(width=7.2, height=3.8)
    grid = np.linspace(-4, 4, 801)
    pdf = np.exp(-0.5 * grid**2) / np.sqrt(2 * np.pi)
    mass = 2 * init._normal_mass(0.0, 2.0)
    k = init.TRUNCATED_STD
    ax.plot(grid, pdf, color="0.5", lw=1.2, ls="--", label="N(0, 1), the parent: std 1")
    cases = (
        (f"cut at ±2, uncorrected: std {k:.4f}", init.truncated_normal((400, 400), std=1.0, rng=0), 1.0),
        (f"cut at ±2, times 1/{k:.4f}: std 1", init.variance_scaling((400, 400), 400.0, rng=0,
                                                                      distribution="truncated_normal"), 1 / k),
    )
    for color, (label, w, s) in zip(_COLORS, cases):
        inside = np.abs(grid) < 2 * s
        # The parent N(0, s^2) restricted to +-2s, renormalised by the mass it keeps.
        density = np.exp(-0.5 * (grid[inside] / s) ** 2) / (np.sqrt(2 * np.pi) * s * mass)
        ax.plot(grid[inside], density, color=color, lw=2, label=f"{label} (sampled: {w.std():.4f})")
        ax.hist(w.ravel(), bins=np.linspace(-4, 4, 81), density=True, color=color, alpha=0.18)
    ax.set_xlabel("weight value (in units of the parent's std)")
    ax.set_ylabel("density")
    ax.set_title("Cutting the tails shrinks the spread; the correction puts it back")
    ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=1)
    return fig


# ------------------------------------------------------------------ variance scaling


def variance_scaling_stds() -> Figure:
    """The weight std of every named variance-scaling scheme on one 512 x 128 dense
    layer: sampled (bars) against scale / n (ticks), coloured by mode."""
    fan_in, fan_out = 512, 128
    fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
    mode_colors = dict(zip(fans, _COLORS))
    fig, (ax,) = _figure(width=7.2, height=3.6)
    triples = variance_scaling_triples()
    for x, (name, scale, mode, distribution) in enumerate(triples):
        w = init.variance_scaling((fan_in, fan_out), scale, mode, distribution, rng=x)
        ax.bar(x, w.std(), color=mode_colors[mode], alpha=0.85, hatch="//" if distribution == "uniform" else None,
               edgecolor="white")
        ax.plot([x - 0.4, x + 0.4], [np.sqrt(scale / fans[mode])] * 2, color="black", lw=1.5)
    ax.set_xticks(range(len(triples)), [t[0] for t in triples], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("std of one weight")
    ax.set_title(f"One {fan_in} x {fan_out} layer: bars sampled, black lines sqrt(scale / n)")
    for mode, color in mode_colors.items():
        if any(t[2] == mode for t in triples):
            ax.bar(0, 0, color=color, label=f'mode="{mode}" (n = {fans[mode]:g})')
    ax.bar(0, 0, color="0.8", hatch="//", edgecolor="white", label="uniform (hatched)")
    ax.set_ylim(0, 1.3 * max(np.sqrt(scale / fans[mode]) for _, scale, mode, _ in triples))
    ax.legend(frameon=False, fontsize=8, loc="upper left", ncols=3)
    return fig


def exact_gain_by_q() -> Figure:
    """The second-moment gain ``meanfield.exact_gain`` of each activation against the
    pre-activation variance q it keeps, with relu's sqrt(2) and linear's 1 for reference."""
    from .meanfield import exact_gain

    fig, (ax,) = _figure(height=4.2)
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
    ax.legend(ncols=4, fontsize=8, loc="upper center")
    return fig
