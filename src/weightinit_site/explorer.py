"""The numbers behind the interactive explorer page (docs/explorer/).

`layer_stats` runs the seed notebook's experiment for one choice of scheme, activation,
depth and width and returns per-layer statistics and the singular values of the
network's input-output Jacobian. `explorer_files` runs it over every choice the page
offers and returns the compact JSON documents the page fetches; the build writes them,
the page only draws them.

The network: ``X ~ N(0, 1)`` of shape ``(n_samples, width)``, then `depth` dense layers of
`width` units with zero biases and the activation after each, built by `MLP.build` from
one generator seeded with `seed` (inputs first, then each layer's weights in turn). A
network of depth ``d`` is therefore the first ``d`` layers of a deeper one with the same
seed, which `network_documents` uses to run the forward pass once at the largest depth.

Many choices draw the same network. Every layer is square, so ``glorot_normal`` and
``he_normal`` draw the same weights at equal gain, and ``lecun_normal`` draws them too
at gain 1; a scheme without a gain draws one network for every activation.
`network_key` names what a choice draws, from the registry's parameters. `explorer_grid`
makes one job per (width, network), and `network_documents` builds that network once,
runs each of its activations once, and writes the document of every choice it serves.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from functools import partial

import numpy as np

from weightinit.experiments import edge_of_chaos
from weightinit._checks import check_choice, check_count
from weightinit.initializers import NONLINEARITIES, VARIANCE_SCALING_SCHEMES, gain, variance_scaling_triple
from weightinit.nn import ACTIVATIONS, MLP
from weightinit.recommendations import recommended_gain
from weightinit.schemes import scheme as _scheme

SCHEMES = ("zeros", "normal-0.01", "normal-1", "lecun_normal", "glorot_normal", "he_normal", "orthogonal")
"""Scheme choices of the explorer, in the page's order."""
ACTIVATIONS_SHOWN = ("linear", "tanh", "relu", "sigmoid", "selu", "gelu")
"""Activation choices of the explorer."""
DEPTHS = (1, 2, 3, 5, 10, 20, 30, 50)
"""Depth choices of the explorer; histograms and Jacobian spectra are kept at these layers.

Each depth costs a backward pass through that many layers, so the choices are few.
"""
WIDTHS = (64, 256, 500)
"""Width choices of the explorer."""
N_SAMPLES = 1000
"""Inputs in the forward pass, as in the seed notebook."""
MIN_GRAD_VALUES = 50_000
"""Each gradient statistic covers at least this many values (samples times units)."""
MIN_JACOBIAN_VALUES = 256
"""Each Jacobian spectrum pools at least this many singular values (inputs times width)."""
JACOBIAN_RESOLUTION = 1e-12
"""Singular values below this share of their Jacobian's largest count as zero.

The Jacobian is formed as an explicit float64 product, whose rounding errors are of the
order of ``depth * 1e-16`` times its largest singular value; smaller singular values are
not resolved (a test checks the resolved ones against the product taken in the other
order).
"""
QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)
"""Quantiles of the singular values kept per depth."""
HIST_BINS = 40
JACOBIAN_BIN = 0.25
"""Width of a bin of the histogram of ``log10`` of the singular values, in decades."""
SATURATION = 0.01
"""A value counts as saturated or dead where the slope is below this share of the largest."""
SEED = 0


_GAIN_SCHEMES = ("glorot_normal", "he_normal", "orthogonal")

GAIN_SOURCES = {"calculate_gain": "weightinit.gain, as PyTorch's calculate_gain",
                "exact_gain": "exact gain; calculate_gain has no entry"}
"""Where an activation's gain comes from (see `activation_gain`), as the page labels it."""


def activation_gain(activation):
    """The gain the explorer gives an activation, and where it comes from.

    An activation PyTorch's ``calculate_gain`` knows gets `weightinit.gain` (which mirrors
    it: tanh 5/3, relu sqrt(2)). ``gelu``, for which ``calculate_gain`` raises, gets the
    gain `weightinit.recommendations.RECOMMENDATIONS` gives it, its exact gain at unit
    variance, of the tanh form that `weightinit.nn` computes.

    Returns
    -------
    gain : float
    source : str
        A key of `GAIN_SOURCES`.

    Examples
    --------
    >>> activation_gain("tanh")
    (1.6666666666666667, 'calculate_gain')
    >>> g, source = activation_gain("gelu")
    >>> round(g, 4), source
    (1.5336, 'exact_gain')
    """
    check_choice("activation", activation, ACTIVATIONS_SHOWN)
    if activation in NONLINEARITIES:
        return gain(activation), "calculate_gain"
    return recommended_gain({"gelu": "gelu_tanh"}.get(activation, activation)), "exact_gain"


def _scheme_params(scheme, activation):
    """The registry name and parameters of one of the explorer's schemes, and the gain."""
    check_choice("scheme", scheme, SCHEMES)
    g, _ = activation_gain(activation)
    name, params = {
        "zeros": ("zeros", {}),
        "normal-0.01": ("normal", {"std": 0.01}),
        "normal-1": ("normal", {"std": 1.0}),
        "lecun_normal": ("lecun_normal", {}),
        "glorot_normal": ("glorot_normal", {"gain": g}),
        "he_normal": ("variance_scaling", {"scale": g * g, "mode": "fan_in", "distribution": "normal"}),
        "orthogonal": ("orthogonal", {"gain": g}),
    }[scheme]
    return name, params, (g if scheme in _GAIN_SCHEMES else 1.0)


def scheme_init(scheme, activation):
    """The initializer and its weight scale for one of the explorer's schemes.

    ``normal-0.01`` and ``normal-1`` are `weightinit.normal` with that std. Schemes
    that take a gain get the activation's gain, `activation_gain`: ``glorot_normal`` and
    ``orthogonal`` through their ``gain`` argument, and ``he_normal`` as PyTorch's
    ``kaiming_normal_(nonlinearity=...)`` does, variance ``gain^2 / fan_in`` (which is
    He's ``2 / fan_in`` for relu). For ``gelu``, which ``calculate_gain`` does not know,
    that is its exact gain.

    Parameters
    ----------
    scheme : str
        One of `SCHEMES`.
    activation : str
        One of `ACTIVATIONS_SHOWN`.

    Returns
    -------
    init : callable
        ``init(shape, rng=...) -> array``.
    variance : callable
        ``variance(fan_in, fan_out)``, the variance of one weight, from the registry.
    gain : float
        The gain used (1 for schemes that take none).

    Examples
    --------
    >>> init, variance, g = scheme_init("he_normal", "relu")
    >>> round(variance(500, 500) * 500, 6), round(g ** 2, 6)
    (2.0, 2.0)
    """
    name, params, g, record, full = _registry_entry(scheme, activation)
    return partial(record.function, **params), lambda fi, fo: record.variance(fi, fo, **full), g


def _registry_entry(scheme, activation):
    """`_scheme_params`, with the registry's record of the scheme and its full parameters
    (the record's defaults updated by the choice's)."""
    name, params, g = _scheme_params(scheme, activation)
    record = _scheme(name)
    return name, params, g, record, {**record.params, **params}


def _sigma_w(variance, width) -> float:
    """Weight scale ``sqrt(fan_in * Var(W))`` of a ``(width, width)`` layer."""
    return math.sqrt(width * variance(width, width))


def network_key(scheme, activation, width):
    """What the network of one choice draws at `width`: equal keys, equal weights.

    A variance-scaling scheme (the registry's ``variance_scaling``, or a scheme of
    `weightinit.initializers.VARIANCE_SCALING_SCHEMES`) draws through
    `weightinit.variance_scaling`, whose draw depends on its distribution and on the
    std it takes at the layer's fans. Its key is that pair, read from the registry:
    the distribution of its triple and the square root of its variance at a
    ``(width, width)`` layer. Any other scheme is keyed by its registry name and
    parameters. The seed and the depth are the same for every choice.

    Parameters
    ----------
    scheme, activation : str
        As in `layer_stats`.
    width : int
        Width of every layer.

    Returns
    -------
    tuple
        Hashable.

    Examples
    --------
    >>> network_key("he_normal", "tanh", 64) == network_key("glorot_normal", "tanh", 64)
    True
    >>> network_key("lecun_normal", "sigmoid", 64) == network_key("he_normal", "linear", 64)
    True
    >>> network_key("orthogonal", "relu", 64)
    ('orthogonal', (('gain', 1.4142135623730951),))
    """
    width = check_count("width", width, low=1)
    name, _, _, record, full = _registry_entry(scheme, activation)
    if name == "variance_scaling":
        distribution = full["distribution"]
    elif name in VARIANCE_SCALING_SCHEMES:
        distribution = variance_scaling_triple(name, **full)[2]
    else:
        return name, tuple(sorted(full.items()))
    # The registry's variance is the scale / fan of which variance_scaling takes the root.
    return "variance_scaling", distribution, math.sqrt(record.variance(width, width, **full))


def max_slope(activation):
    """Largest ``|phi'(z)|`` of an activation, over a fine grid of ``z`` in [-10, 10].

    Examples
    --------
    >>> max_slope("tanh"), max_slope("sigmoid")
    (1.0, 0.25)
    """
    check_choice("activation", activation, sorted(ACTIVATIONS))
    return float(np.max(np.abs(ACTIVATIONS[activation][1](np.linspace(-10.0, 10.0, 20001)))))


_GELU_C = np.sqrt(2.0 / np.pi)
"""sqrt(2 / pi), as in `weightinit.nn`'s tanh form of gelu."""
_BLOCK = 8192
"""Elements per block in `phi_and_slope`: its temporaries stay in the CPU's cache."""


def _phi_slope_block(activation, z):
    if activation == "tanh":
        a = np.tanh(z)
        return a, 1.0 - a**2
    if activation == "sigmoid":
        a = 0.5 * (1.0 + np.tanh(0.5 * z))
        return a, a * (1.0 - a)
    if activation == "gelu":
        t = np.tanh(_GELU_C * (z + 0.044715 * (z * z * z)))
        slope = 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t**2) * _GELU_C * (1.0 + 3 * 0.044715 * z**2)
        return 0.5 * z * (1.0 + t), slope
    phi, dphi = ACTIVATIONS[activation]
    return phi(z), dphi(z)


def phi_and_slope(activation, z):
    """``(phi(z), phi'(z))`` of one of `weightinit.nn.ACTIVATIONS`, sharing work.

    The values equal ``ACTIVATIONS[activation]`` applied to `z` bit for bit (a test
    checks it): the same elementwise formulas, with the slope reusing ``phi(z)`` or its
    inner ``tanh`` where the formula allows, evaluated in blocks of `_BLOCK` elements so
    that the many temporaries of a layer stay in cache.

    Examples
    --------
    >>> a, s = phi_and_slope("tanh", np.array([0.0, 1.0]))
    >>> a.round(4).tolist(), s.round(4).tolist()
    ([0.0, 0.7616], [1.0, 0.42])
    """
    check_choice("activation", activation, sorted(ACTIVATIONS))
    z = np.asarray(z, dtype=np.float64)
    if activation not in ("tanh", "sigmoid", "gelu") or z.size <= _BLOCK:
        return _phi_slope_block(activation, z)
    flat = np.ascontiguousarray(z).reshape(-1)
    a, slope = np.empty_like(flat), np.empty_like(flat)
    for i in range(0, flat.size, _BLOCK):
        a[i : i + _BLOCK], slope[i : i + _BLOCK] = _phi_slope_block(activation, flat[i : i + _BLOCK])
    return a.reshape(z.shape), slope.reshape(z.shape)


@dataclass
class LayerStats:
    """Per-layer statistics of one explorer run (see `layer_stats`).

    Attributes
    ----------
    mean, std : numpy.ndarray
        Mean and standard deviation of each layer's activations over all samples and
        units, shape ``(depth,)``.
    grad_std : numpy.ndarray
        Standard deviation of the gradient with respect to each layer's output (its
        activations), over the first `n_grad` samples and all units.
    saturated : numpy.ndarray
        Share of each layer's values where the activation's slope ``|phi'(z)|`` is below
        `SATURATION` times its largest slope: saturated (tanh, sigmoid) or dead (relu).
    histograms : dict of int to (numpy.ndarray, numpy.ndarray)
        Layer number (from 1) -> ``(edges, counts / n)`` of its activations, at the layers
        of `DEPTHS` up to `depth`; the range runs from the smallest to the largest value
        (``[-1, 1]`` for tanh and ``[0, 1]`` for sigmoid).
    n_grad : int
        Samples used for the gradients.
    sigma_w : float
        Weight scale ``sqrt(fan_in * Var(W))``, as in mean-field theory.
    jacobian_sv : numpy.ndarray
        Singular values of the input-output Jacobian ``d a_depth / d x`` at each of the
        first `n_jacobian` inputs, shape ``(n_jacobian, width)``, largest first.
    n_jacobian : int
        Inputs at which the Jacobian is taken.
    """

    mean: np.ndarray
    std: np.ndarray
    grad_std: np.ndarray
    saturated: np.ndarray
    histograms: dict
    n_grad: int
    sigma_w: float
    jacobian_sv: np.ndarray
    n_jacobian: int


def grad_samples(width, n_samples=N_SAMPLES):
    """Samples the gradient statistics use: the fewest that give `MIN_GRAD_VALUES` values.

    Examples
    --------
    >>> [grad_samples(w) for w in WIDTHS]
    [782, 196, 100]
    """
    return min(int(n_samples), math.ceil(MIN_GRAD_VALUES / int(width)))


def jacobian_inputs(width, n_samples=N_SAMPLES):
    """Inputs the Jacobian spectra use: the fewest that give `MIN_JACOBIAN_VALUES` values.

    Examples
    --------
    >>> [jacobian_inputs(w) for w in WIDTHS]
    [4, 1, 1]
    """
    return min(int(n_samples), math.ceil(MIN_JACOBIAN_VALUES / int(width)))


def _network(scheme, activation, width, depth, n_samples, seed):
    """The inputs and the network of one choice, and its weight scale sigma_w."""
    init, variance, _ = scheme_init(scheme, activation)
    gen = np.random.default_rng(seed)
    # The same stream as experiments.activation_stats: inputs, then each layer's weights.
    x = gen.standard_normal((n_samples, width))
    net = MLP.build([width] * (depth + 1), activation, activation, init, rng=gen)
    return x, net, _sigma_w(variance, width)


def _forward(x, net, activation, n_keep):
    """One forward pass: per-layer statistics, and the slopes of the first n_keep samples."""
    threshold = SATURATION * max_slope(activation)
    out = {"mean": [], "std": [], "saturated": [], "histograms": {}, "slopes": []}
    a = x
    for number, layer in enumerate(net.layers, start=1):
        # Same values as MLP.forward's x @ W + b, without the passes that add nothing:
        # the biases are zero here, and zero weights give zero pre-activations.
        if layer.W.any():
            z = a @ layer.W
        else:
            z = np.zeros((a.shape[0], layer.W.shape[1]))
        if layer.b.any():
            z += layer.b
        a, slope = phi_and_slope(activation, z)
        out["mean"].append(a.mean())
        out["std"].append(a.std())
        out["saturated"].append(np.count_nonzero(np.abs(slope) < threshold) / slope.size)
        # The backward passes and the Jacobian need phi'(z) of the first samples only.
        out["slopes"].append(slope[:n_keep].copy())
        if number in DEPTHS:
            if activation in ("tanh", "sigmoid"):
                lo, hi = (-1.0, 1.0) if activation == "tanh" else (0.0, 1.0)
            else:
                lo, hi = float(a.min()), float(a.max())
                if not hi > lo:
                    lo, hi = lo - 1.0, hi + 1.0
            counts, edges = np.histogram(a, bins=HIST_BINS, range=(lo, hi))
            out["histograms"][number] = (edges, counts / a.size)
    return out


def _grad_std(net, slopes, depth, seed):
    """Std of the gradient w.r.t. each of the first `depth` layers' outputs.

    The last layer's output receives a standard-normal upstream gradient drawn from a
    generator of its own, seeded with ``(seed, depth)``. Only the gradients w.r.t. layer
    outputs are formed: `MLP.backward` would also form every weight gradient, which
    this statistic does not need (a test checks the two agree).
    """
    grad = np.random.default_rng([seed, depth]).standard_normal(slopes[0].shape)
    stds = np.empty(depth)
    for i in reversed(range(depth)):
        stds[i] = grad.std()
        if i:
            weights = net.layers[i].W
            grad = (grad * slopes[i]) @ weights.T if weights.any() else np.zeros((len(grad), weights.shape[0]))
    return stds


def jacobian_spectra(net, slopes, depths):
    """Singular values of the input-output Jacobians of the first layers of `net`.

    At input ``x`` the Jacobian of the first ``d`` layers is ``D_d W_d^T ... D_1 W_1^T``
    with ``D_l = diag(phi'(z_l))`` (weights stored ``(fan_in, fan_out)``). It is formed
    as an explicit float64 product, one layer at a time, rescaled by its norm after each
    layer so that it neither overflows nor underflows; singular values below
    `JACOBIAN_RESOLUTION` times the largest of their Jacobian are set to 0.

    Parameters
    ----------
    net : MLP
        The network.
    slopes : list of numpy.ndarray
        ``phi'(z_l)`` of each layer at the inputs, shape ``(n_inputs, width_l)`` each.
    depths : iterable of int
        Depths at which to take the spectrum, each at most ``len(slopes)``.

    Returns
    -------
    dict of int to numpy.ndarray
        Depth -> singular values, shape ``(n_inputs, min(width_0, width_d))``.

    Examples
    --------
    >>> from weightinit.nn import MLP
    >>> net = MLP.build([4, 4, 4], "linear", "linear", "orthogonal", rng=0)
    >>> sv = jacobian_spectra(net, [np.ones((1, 4))] * 2, [1, 2])
    >>> bool(np.allclose(sv[2], 1.0))
    True
    """
    depths = sorted({check_count("depths", d, low=1) for d in depths})
    if depths[-1] > len(slopes) or depths[-1] > len(net.layers):
        raise ValueError(f"depths must be at most {min(len(slopes), len(net.layers))}; got {depths[-1]}")
    k = slopes[0].shape[0]
    out = {}
    jac = None
    log_scale = np.zeros(k)
    for number, (layer, slope) in enumerate(zip(net.layers, slopes), start=1):
        if jac is None:
            jac = layer.W[None, :, :] * slope[:, None, :]
        elif not (layer.W.any() and jac.any()):
            # A zero factor makes the product zero: no need to multiply.
            jac = np.zeros((k, jac.shape[1], layer.W.shape[1]))
        else:
            n_in, n_mid = jac.shape[1:]
            jac = (jac.reshape(k * n_in, n_mid) @ layer.W).reshape(k, n_in, -1) * slope[:, None, :]
        norm = np.sqrt(np.einsum("kij,kij->k", jac, jac))
        scale = np.where(norm > 0, norm, 1.0)
        jac /= scale[:, None, None]
        log_scale += np.log(scale)
        if number in depths:
            sv = np.linalg.svd(jac, compute_uv=False) if jac.any() else np.zeros((k, min(jac.shape[1:])))
            sv[sv < JACOBIAN_RESOLUTION * sv[:, :1]] = 0.0
            out[number] = sv * np.exp(log_scale)[:, None]
        if number == depths[-1]:
            break
    return out


def layer_stats(scheme, activation="tanh", depth=10, width=500, n_samples=N_SAMPLES,
                seed=SEED) -> LayerStats:
    """Run the explorer's experiment for one choice and return per-layer statistics.

    ``X ~ N(0, 1)`` of shape ``(n_samples, width)`` goes through `depth` dense layers of
    `width` units with zero biases and `activation` after each; weights come from
    `scheme_init`. Gradient statistics use the first ``ceil(50000 / width)`` samples,
    so each covers at least `MIN_GRAD_VALUES` values; the Jacobian's singular values are
    taken at the first ``ceil(256 / width)`` inputs (see `jacobian_spectra`).

    Parameters
    ----------
    scheme : str
        One of `SCHEMES`.
    activation : str, default "tanh"
        One of `ACTIVATIONS_SHOWN`.
    depth : int, default 10
        Number of layers, >= 1.
    width : int, default 500
        Width of the inputs and of every layer, >= 1.
    n_samples : int, default 1000
        Number of inputs.
    seed : int, default 0
        Seed of the inputs and weights; the upstream gradient uses ``(seed, depth)``.

    Returns
    -------
    LayerStats

    Examples
    --------
    >>> stats = layer_stats("lecun_normal", "tanh", depth=3, width=64)
    >>> stats.std.shape, stats.n_grad, stats.jacobian_sv.shape
    ((3,), 782, (4, 64))
    """
    depth = check_count("depth", depth, low=1)
    width = check_count("width", width, low=1)
    n_samples = check_count("n_samples", n_samples, low=1)
    x, net, sigma_w = _network(scheme, activation, width, depth, n_samples, seed)
    n_grad, n_jac = grad_samples(width, n_samples), jacobian_inputs(width, n_samples)
    fwd = _forward(x, net, activation, n_grad)
    spectrum = jacobian_spectra(net, [s[:n_jac] for s in fwd["slopes"]], [depth])[depth]
    return LayerStats(
        np.array(fwd["mean"]), np.array(fwd["std"]),
        _grad_std(net, fwd["slopes"], depth, seed),
        np.array(fwd["saturated"]), fwd["histograms"], n_grad, sigma_w, spectrum, n_jac,
    )


def spectrum_summary(sv) -> dict:
    """A Jacobian spectrum in a few numbers, as the page stores it.

    Parameters
    ----------
    sv : array_like
        Singular values (any shape; pooled), >= 0.

    Returns
    -------
    dict
        ``n`` values; ``zero``, the share that is 0; ``q``, the `QUANTILES` of the
        values; ``ms``, the mean squared singular value (``||J||_F^2 / width``
        averaged over the inputs); and the histogram of ``log10`` of the positive
        values in bins `JACOBIAN_BIN` wide centred on multiples of it: ``lo``, the
        centre of the first bin, and ``p``, each bin's share of all ``n`` values.
        Statistics have 4 significant digits.

    Examples
    --------
    >>> s = spectrum_summary([1.0, 1.0, 0.0, 10.0])
    >>> s["n"], s["zero"], s["q"][-1], s["ms"], s["lo"], s["p"]
    (4, 0.25, 10.0, 25.5, 0.0, [0.5, 0.0, 0.0, 0.0, 0.25])
    """
    sv = np.asarray(sv, dtype=np.float64).ravel()
    if sv.size == 0 or not np.all(sv >= 0):
        raise ValueError("sv must hold at least one singular value, all >= 0")
    positive = sv[sv > 0]
    bins = np.rint(np.log10(positive) / JACOBIAN_BIN).astype(np.int64)
    first = int(bins.min()) if bins.size else 0
    counts = np.bincount(bins - first) if bins.size else np.zeros(0)
    return {
        "n": int(sv.size),
        "zero": _round(np.mean(sv == 0)),
        "q": [_round(v) for v in np.quantile(sv, QUANTILES)],
        "ms": _round(np.mean(sv**2)),
        "lo": first * JACOBIAN_BIN,
        "p": [round(float(c) / sv.size, 4) for c in counts],
    }


# ------------------------------------------------------------------------ the page's data


def _round(x, digits=4):
    """Round to `digits` significant digits for JSON; non-finite values become None."""
    x = float(x)
    return float(f"{x:.{digits}g}") if math.isfinite(x) else None


def table_rows(stats: LayerStats) -> list:
    """The rows of the page's table for one run, as the page shows them.

    Each row is ``[layer, mean, std, grad std, saturated %]`` with the statistics rounded
    to 4 significant digits and the percentage to 2 decimals.

    Examples
    --------
    >>> table_rows(layer_stats("zeros", "tanh", depth=2, width=64))[0]
    [1, 0.0, 0.0, 0.0, 0.0]
    """
    return [
        [i + 1, _round(m), _round(s), _round(g), round(100 * float(f), 2)]
        for i, (m, s, g, f) in enumerate(zip(stats.mean, stats.std, stats.grad_std, stats.saturated))
    ]


def network_documents(width, choices, depths=DEPTHS, n_samples=N_SAMPLES, seed=SEED) -> list:
    """The data files of ``(scheme, activation)`` choices that draw one network at `width`.

    The network is built once, at the largest depth. The forward pass, the gradients
    and the Jacobian spectra run once per activation of `choices`. Each choice gets its
    own document (see `explorer_document`); two of the same activation differ only in
    ``scheme``, ``gain`` and ``gain_source``.

    Parameters
    ----------
    width : int
        Width of every layer.
    choices : sequence of (str, str)
        ``(scheme, activation)`` pairs of equal `network_key` at `width`.
    depths, n_samples, seed
        As in `explorer_document`.

    Returns
    -------
    list of dict
        One document per choice, in the order of `choices`.

    Raises
    ------
    ValueError
        If `choices` is empty or its choices draw different networks.

    Examples
    --------
    >>> docs = network_documents(64, [("glorot_normal", "tanh"), ("he_normal", "tanh")], depths=[2])
    >>> [d["scheme"] for d in docs], docs[0]["layers"] == docs[1]["layers"]
    (['glorot_normal', 'he_normal'], True)
    """
    width = check_count("width", width, low=1)
    choices = [tuple(c) for c in choices]
    keys = {network_key(scheme, activation, width) for scheme, activation in choices}
    if len(keys) != 1:
        raise ValueError(f"choices must draw one network at width {width}; got {choices!r}")
    depths = sorted({check_count("depths", d, low=1) for d in depths})
    n_samples = check_count("n_samples", n_samples, low=1)
    n_grad, n_jac = grad_samples(width, n_samples), jacobian_inputs(width, n_samples)
    x, net, _ = _network(*choices[0], width, depths[-1], n_samples, seed)
    runs = {}
    for activation in dict.fromkeys(a for _, a in choices):
        fwd = _forward(x, net, activation, n_grad)
        spectra = jacobian_spectra(net, [s[:n_jac] for s in fwd["slopes"]], depths)
        runs[activation] = {
            "layers": [
                [_round(m), _round(s), round(100 * float(f), 2)]
                for m, s, f in zip(fwd["mean"], fwd["std"], fwd["saturated"])
            ],
            "grad_std": {
                str(d): [_round(v) for v in _grad_std(net, fwd["slopes"][:d], d, seed)]
                for d in depths
            },
            "histograms": {
                str(layer): {"lo": _round(edges[0], 6), "hi": _round(edges[-1], 6),
                             "p": [round(float(p), 4) for p in probs]}
                for layer, (edges, probs) in fwd["histograms"].items()
            },
            "jacobian": {str(d): spectrum_summary(sv) for d, sv in spectra.items()},
        }
    docs = []
    for scheme, activation in choices:
        _, variance, g = scheme_init(scheme, activation)
        docs.append({
            "scheme": scheme,
            "activation": activation,
            "width": width,
            "gain": _round(g, 6),
            "gain_source": (GAIN_SOURCES[activation_gain(activation)[1]] if scheme in _GAIN_SCHEMES
                            else "the scheme takes no gain"),
            "sigma_w": _round(_sigma_w(variance, width), 6),
            "n_samples": n_samples,
            "n_grad": n_grad,
            "n_jacobian": n_jac,
            "jacobian_bin": JACOBIAN_BIN,
            **copy.deepcopy(runs[activation]),  # each document owns its lists, as if alone
        })
    return docs


def explorer_documents(scheme, width, activations=ACTIVATIONS_SHOWN, depths=DEPTHS,
                       n_samples=N_SAMPLES, seed=SEED) -> list:
    """The data files of one scheme and width, one per activation (see `explorer_document`).

    Activations of equal `network_key` share one network (`network_documents`).

    Examples
    --------
    >>> docs = explorer_documents("lecun_normal", 64, ["tanh", "relu"], depths=[2])
    >>> [d["activation"] for d in docs], [len(d["layers"]) for d in docs]
    (['tanh', 'relu'], [2, 2])
    """
    for a in activations:
        check_choice("activation", a, ACTIVATIONS_SHOWN)
    width = check_count("width", width, low=1)
    groups = {}
    for a in activations:
        groups.setdefault(network_key(scheme, a, width), []).append((scheme, a))
    docs = {}
    for choices in groups.values():
        for doc in network_documents(width, choices, depths, n_samples, seed):
            docs[doc["activation"]] = doc
    return [docs[a] for a in activations]


def explorer_document(scheme, activation, width, depths=DEPTHS, n_samples=N_SAMPLES,
                      seed=SEED) -> dict:
    """The data file of one (scheme, activation, width): every depth of `depths`.

    The forward pass runs once at the largest depth; a network of depth ``d`` is its
    first ``d`` layers, so the forward columns of depth ``d`` are the first ``d`` rows.
    The gradients depend on the depth and are computed for each one; so is the
    Jacobian's spectrum. The result equals `layer_stats` run at each depth (a test
    checks it).

    Parameters
    ----------
    scheme, activation : str
        As in `layer_stats`.
    width : int
        Width of every layer.
    depths : sequence of int, default `DEPTHS`
        The depths to cover.
    n_samples, seed : int
        As in `layer_stats`.

    Returns
    -------
    dict
        ``{"scheme", "activation", "width", "gain", "gain_source", "sigma_w", "n_samples", "n_grad",
        "n_jacobian", "jacobian_bin", "layers": [[mean, std, saturated %], ...], "grad_std": {depth:
        [...]}, "histograms": {layer: {"lo", "hi", "p"}}, "jacobian": {depth:
        spectrum_summary}}``, JSON-ready.

    Examples
    --------
    >>> doc = explorer_document("lecun_normal", "tanh", 64, depths=[1, 3])
    >>> len(doc["layers"]), sorted(doc["grad_std"]), sorted(doc["jacobian"])
    (3, ['1', '3'], ['1', '3'])
    """
    return explorer_documents(scheme, width, [activation], depths, n_samples, seed)[0]


def document_rows(document: dict, depth) -> list:
    """Rows of the page's table for one depth, read from a data file (see `table_rows`).

    Examples
    --------
    >>> doc = explorer_document("zeros", "relu", 64, depths=[2])
    >>> document_rows(doc, 2)[0]
    [1, 0.0, 0.0, 0.0, 100.0]
    """
    grads = document["grad_std"][str(depth)]
    return [[i + 1, m, s, g, f] for i, ((m, s, f), g) in enumerate(zip(document["layers"], grads))]


def phase_document() -> dict:
    """The tanh order-to-chaos diagram for the page, from `experiments.edge_of_chaos`.

    Examples
    --------
    >>> doc = phase_document()
    >>> len(doc["chi_1"]) == len(doc["sigma_b"]), [round(v, 3) for v in doc["critical"][0]]
    (True, [1.0, 0.0])
    """
    d = edge_of_chaos()
    return {
        "sigma_w": [_round(v) for v in d.sigma_w],
        "sigma_b": [_round(v) for v in d.sigma_b],
        "chi_1": [[_round(v, 3) for v in row] for row in d.chi_1],
        "critical": [[_round(w, 4), _round(b, 4)] for w, b in zip(d.critical_sigma_w, d.critical_sigma_b)],
    }


def data_path(scheme, activation, width) -> str:
    """Path of one data file below the page's ``data/`` folder.

    Examples
    --------
    >>> data_path("normal-0.01", "tanh", 500)
    'normal-0.01/tanh-500.json'
    """
    return f"{scheme}/{activation}-{width}.json"


def _cost(job):
    """Rough relative cost of one `explorer_grid` job, to hand out the largest first.

    From serial timings: a run of one activation costs about ``width**2``, a third of
    that with zero weights (no products); an orthogonal network adds a QR per layer.
    """
    width, choices = job
    kind = network_key(*choices[0], width)[0]
    runs = len({activation for _, activation in choices})
    qr = width**3 / 1000 if kind == "orthogonal" else 0.0
    return width**2 * runs * (0.3 if kind == "zeros" else 1.0) + qr


def explorer_grid() -> list:
    """The jobs of `explorer_files`, one per (width, network), largest first.

    A job is ``(width, choices)``: the ``(scheme, activation)`` choices of equal
    `network_key` at that width, in the order of `SCHEMES` and `ACTIVATIONS_SHOWN`.
    Every choice of every width is in exactly one job.

    Examples
    --------
    >>> grid = explorer_grid()
    >>> len(grid), sum(len(choices) for _, choices in grid)
    (39, 126)
    >>> [choices for width, choices in grid if width == 64 and ("he_normal", "tanh") in choices]
    [(('glorot_normal', 'tanh'), ('he_normal', 'tanh'))]
    """
    groups = {}
    for width in WIDTHS:
        for scheme in SCHEMES:
            for activation in ACTIVATIONS_SHOWN:
                key = (width, network_key(scheme, activation, width))
                groups.setdefault(key, []).append((scheme, activation))
    jobs = [(width, tuple(choices)) for (width, _), choices in groups.items()]
    return sorted(jobs, key=_cost, reverse=True)


def explorer_files(jobs=None) -> dict:
    """Every data file the page fetches: path below ``data/`` -> JSON bytes.

    Parameters
    ----------
    jobs : callable, optional
        ``jobs(function, list_of_argument_tuples) -> list of results``, to spread the
        grid over processes; runs in order in this process if omitted. The function
        is `network_documents`; the tuples are the jobs of `explorer_grid`, one per
        (width, network), largest first.

    Returns
    -------
    dict of str to bytes
        One file per (scheme, activation, width), plus ``index.json`` (the choices)
        and ``phase.json`` (the tanh phase diagram).
    """
    grid = explorer_grid()
    results = (jobs or (lambda f, args: [f(*x) for x in args]))(network_documents, grid)
    files = {}
    for (width, _), documents in zip(grid, results):
        for doc in documents:
            files[data_path(doc["scheme"], doc["activation"], width)] = _dump(doc)
    files = dict(sorted(files.items()))
    files["phase.json"] = _dump(phase_document())
    files["index.json"] = _dump({
        "schemes": list(SCHEMES), "activations": list(ACTIVATIONS_SHOWN),
        "depths": list(DEPTHS), "widths": list(WIDTHS), "n_samples": N_SAMPLES,
        "min_grad_values": MIN_GRAD_VALUES, "min_jacobian_values": MIN_JACOBIAN_VALUES,
        "jacobian_resolution": JACOBIAN_RESOLUTION, "quantiles": list(QUANTILES),
        "jacobian_bin": JACOBIAN_BIN,
        "saturation": SATURATION, "seed": SEED,
    })
    return files


def _dump(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode()
