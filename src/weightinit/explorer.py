"""The numbers behind the interactive explorer page (docs/explorer/).

`layer_stats` runs the seed notebook's experiment for one choice of scheme, activation,
depth and width and returns per-layer statistics. `explorer_grid` runs it over every
choice the page offers and returns the compact JSON documents the page fetches; the
build writes them, the page only draws them.

The network: ``X ~ N(0, 1)`` of shape ``(n_samples, width)``, then `depth` dense layers of
`width` units with zero biases and the activation after each, built by `MLP.build` from
one generator seeded with `seed` (inputs first, then each layer's weights in turn). A
network of depth ``d`` is therefore the first ``d`` layers of a deeper one with the same
seed, which `explorer_grid` uses to run the forward pass once per (scheme, activation,
width) at the largest depth.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import partial

import numpy as np

from .experiments import edge_of_chaos
from ._checks import check_choice, check_count
from .initializers import NONLINEARITIES, gain
from .nn import ACTIVATIONS, MLP
from .schemes import scheme as _scheme

SCHEMES = ("zeros", "normal-0.01", "normal-1", "lecun_normal", "glorot_normal", "he_normal", "orthogonal")
"""Scheme choices of the explorer, in the page's order."""
ACTIVATIONS_SHOWN = ("linear", "tanh", "relu", "sigmoid", "selu", "gelu")
"""Activation choices of the explorer."""
DEPTHS = (1, 2, 3, 5, 10, 20, 30, 50)
"""Depth choices of the explorer; histograms are kept at these layers.

Each depth costs a backward pass through that many layers, so the choices are few.
"""
WIDTHS = (64, 256, 500)
"""Width choices of the explorer."""
N_SAMPLES = 1000
"""Inputs in the forward pass, as in the seed notebook."""
MIN_GRAD_VALUES = 50_000
"""Each gradient statistic covers at least this many values (samples times units)."""
HIST_BINS = 40
SATURATION = 0.01
"""A value counts as saturated or dead where the slope is below this share of the largest."""
SEED = 0


def scheme_init(scheme, activation):
    """The initializer and its weight scale for one of the explorer's schemes.

    ``normal-0.01`` and ``normal-1`` are `weightinit.normal` with that std. Schemes
    that take a gain get the activation's `weightinit.gain`: ``glorot_normal`` and
    ``orthogonal`` through their ``gain`` argument, and ``he_normal`` as PyTorch's
    ``kaiming_normal_(nonlinearity=...)`` does, variance ``gain^2 / fan_in`` (which is
    He's ``2 / fan_in`` for relu). `weightinit.gain` has no entry for ``gelu``; it gets
    a gain of 1.

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
    check_choice("scheme", scheme, SCHEMES)
    check_choice("activation", activation, ACTIVATIONS_SHOWN)
    g = gain(activation) if activation in NONLINEARITIES else 1.0
    name, params = {
        "zeros": ("zeros", {}),
        "normal-0.01": ("normal", {"std": 0.01}),
        "normal-1": ("normal", {"std": 1.0}),
        "lecun_normal": ("lecun_normal", {}),
        "glorot_normal": ("glorot_normal", {"gain": g}),
        "he_normal": ("variance_scaling", {"scale": g * g, "mode": "fan_in", "distribution": "normal"}),
        "orthogonal": ("orthogonal", {"gain": g}),
    }[scheme]
    record = _scheme(name)
    full = {**record.params, **params}
    takes_gain = scheme in ("glorot_normal", "he_normal", "orthogonal")
    return (partial(record.function, **params), lambda fi, fo: record.variance(fi, fo, **full),
            g if takes_gain else 1.0)


def max_slope(activation):
    """Largest ``|phi'(z)|`` of an activation, over a fine grid of ``z`` in [-10, 10].

    Examples
    --------
    >>> max_slope("tanh"), max_slope("sigmoid")
    (1.0, 0.25)
    """
    check_choice("activation", activation, sorted(ACTIVATIONS))
    return float(np.max(np.abs(ACTIVATIONS[activation][1](np.linspace(-10.0, 10.0, 20001)))))


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
    """

    mean: np.ndarray
    std: np.ndarray
    grad_std: np.ndarray
    saturated: np.ndarray
    histograms: dict
    n_grad: int
    sigma_w: float


def grad_samples(width, n_samples=N_SAMPLES):
    """Samples the gradient statistics use: the fewest that give `MIN_GRAD_VALUES` values.

    Examples
    --------
    >>> [grad_samples(w) for w in WIDTHS]
    [782, 196, 100]
    """
    return min(int(n_samples), math.ceil(MIN_GRAD_VALUES / int(width)))


def _forward(scheme, activation, width, depth, n_samples, seed):
    """One forward pass: per-layer statistics and what the backward pass needs."""
    init, variance, _ = scheme_init(scheme, activation)
    gen = np.random.default_rng(seed)
    # The same stream as experiments.activation_stats: inputs, then each layer's weights.
    a = gen.standard_normal((n_samples, width))
    net = MLP.build([width] * (depth + 1), activation, activation, init, rng=gen)
    phi, dphi = ACTIVATIONS[activation]
    threshold = SATURATION * max_slope(activation)
    n_grad = grad_samples(width, n_samples)
    out = {"mean": [], "std": [], "saturated": [], "histograms": {}, "slopes": []}
    for number, layer in enumerate(net.layers, start=1):
        z = a @ layer.W + layer.b
        a = phi(z)
        out["mean"].append(a.mean())
        out["std"].append(a.std())
        slope = dphi(z)
        out["saturated"].append(np.mean(np.abs(slope) < threshold))
        # The backward passes need phi'(z) of the first n_grad samples only.
        out["slopes"].append(slope[:n_grad].copy())
        if number in DEPTHS:
            if activation in ("tanh", "sigmoid"):
                lo, hi = (-1.0, 1.0) if activation == "tanh" else (0.0, 1.0)
            else:
                lo, hi = float(a.min()), float(a.max())
                if not hi > lo:
                    lo, hi = lo - 1.0, hi + 1.0
            counts, edges = np.histogram(a, bins=HIST_BINS, range=(lo, hi))
            out["histograms"][number] = (edges, counts / a.size)
    sigma_w = math.sqrt(width * variance(width, width))
    return net, out, n_grad, sigma_w


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
            grad = (grad * slopes[i]) @ net.layers[i].W.T
    return stds


def layer_stats(scheme, activation="tanh", depth=10, width=500, n_samples=N_SAMPLES,
                seed=SEED) -> LayerStats:
    """Run the explorer's experiment for one choice and return per-layer statistics.

    ``X ~ N(0, 1)`` of shape ``(n_samples, width)`` goes through `depth` dense layers of
    `width` units with zero biases and `activation` after each; weights come from
    `scheme_init`. Gradient statistics use the first ``ceil(50000 / width)`` samples,
    so each covers at least `MIN_GRAD_VALUES` values.

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
    >>> stats.std.shape, stats.n_grad
    ((3,), 782)
    """
    depth = check_count("depth", depth, low=1)
    width = check_count("width", width, low=1)
    n_samples = check_count("n_samples", n_samples, low=1)
    net, fwd, n_grad, sigma_w = _forward(scheme, activation, width, depth, n_samples, seed)
    return LayerStats(
        np.array(fwd["mean"]), np.array(fwd["std"]),
        _grad_std(net, fwd["slopes"], depth, seed),
        np.array(fwd["saturated"]), fwd["histograms"], n_grad, sigma_w,
    )


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


def explorer_document(scheme, activation, width, depths=DEPTHS, n_samples=N_SAMPLES,
                      seed=SEED) -> dict:
    """The data file of one (scheme, activation, width): every depth of `depths`.

    The forward pass runs once at the largest depth; a network of depth ``d`` is its
    first ``d`` layers, so the forward columns of depth ``d`` are the first ``d`` rows.
    The gradients depend on the depth and are computed for each one. The result equals
    `layer_stats` run at each depth (a test checks it).

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
        ``{"scheme", "activation", "width", "gain", "sigma_w", "n_samples", "n_grad",
        "layers": [[mean, std, saturated %], ...], "grad_std": {depth: [...]},
        "histograms": {layer: {"lo", "hi", "p"}}}``, JSON-ready.

    Examples
    --------
    >>> doc = explorer_document("lecun_normal", "tanh", 64, depths=[1, 3])
    >>> len(doc["layers"]), sorted(doc["grad_std"])
    (3, ['1', '3'])
    """
    depths = sorted({check_count("depths", d, low=1) for d in depths})
    width = check_count("width", width, low=1)
    net, fwd, n_grad, sigma_w = _forward(scheme, activation, width, depths[-1], n_samples, seed)
    _, _, g = scheme_init(scheme, activation)
    return {
        "scheme": scheme,
        "activation": activation,
        "width": width,
        "gain": _round(g, 6),
        "sigma_w": _round(sigma_w, 6),
        "n_samples": n_samples,
        "n_grad": n_grad,
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
    }


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


def explorer_files(jobs=None) -> dict:
    """Every data file the page fetches: path below ``data/`` -> JSON bytes.

    Parameters
    ----------
    jobs : callable, optional
        ``jobs(function, list_of_argument_tuples) -> list of results``, to spread the
        grid over processes; runs in order in this process if omitted.

    Returns
    -------
    dict of str to bytes
        One file per (scheme, activation, width), plus ``index.json`` (the choices)
        and ``phase.json`` (the tanh phase diagram).
    """
    grid = [(s, a, w) for s in SCHEMES for a in ACTIVATIONS_SHOWN for w in WIDTHS]
    documents = (jobs or (lambda f, args: [f(*x) for x in args]))(explorer_document, grid)
    files = {data_path(*key): _dump(doc) for key, doc in zip(grid, documents)}
    files["phase.json"] = _dump(phase_document())
    files["index.json"] = _dump({
        "schemes": list(SCHEMES), "activations": list(ACTIVATIONS_SHOWN),
        "depths": list(DEPTHS), "widths": list(WIDTHS), "n_samples": N_SAMPLES,
        "min_grad_values": MIN_GRAD_VALUES, "saturation": SATURATION, "seed": SEED,
    })
    return files


def _dump(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode()
