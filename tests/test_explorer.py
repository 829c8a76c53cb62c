"""The explorer's numbers: weightinit.explorer against the library and a direct NumPy run."""

from __future__ import annotations

import importlib.util
import json
import math
from functools import partial
from pathlib import Path

import numpy as np
import pytest

import weightinit as wi
from weightinit import explorer as ex
from weightinit.experiments import activation_stats
from weightinit.nn import MLP, Trace

ROOT = Path(__file__).resolve().parents[1]


def test_forward_statistics_are_the_seed_experiments():
    # Same seed, same stream: the explorer's network is activation_stats' network.
    stats = ex.layer_stats("normal-0.01", "tanh", depth=6, width=64, seed=3)
    ref = activation_stats(partial(wi.normal, std=0.01), "tanh", [64] * 6, 1000, rng=3)
    np.testing.assert_array_equal(stats.mean, ref.means)
    np.testing.assert_array_equal(stats.std, ref.stds)


def test_a_shallow_network_is_the_prefix_of_a_deeper_one():
    short = ex.layer_stats("orthogonal", "relu", depth=3, width=64)
    deep = ex.layer_stats("orthogonal", "relu", depth=8, width=64)
    np.testing.assert_array_equal(short.std, deep.std[:3])
    np.testing.assert_array_equal(short.saturated, deep.saturated[:3])
    # The gradients depend on the depth: a different last layer receives the upstream gradient.
    assert not np.array_equal(short.grad_std, deep.grad_std[:3])


@pytest.mark.parametrize("activation", ["tanh", "gelu", "sigmoid"])
def test_grad_std_matches_mlp_backward(activation):
    depth, width, seed = 4, 64, 5
    init, _, _ = ex.scheme_init("glorot_normal", activation)
    gen = np.random.default_rng(seed)
    x = gen.standard_normal((ex.N_SAMPLES, width))
    net = MLP.build([width] * (depth + 1), activation, activation, init, rng=gen)
    n = ex.grad_samples(width, ex.N_SAMPLES)
    full = net.forward(x)
    trace = Trace(full.x[:n], [z[:n] for z in full.z], [a[:n] for a in full.a])
    upstream = np.random.default_rng([seed, depth]).standard_normal(trace.a[-1].shape)
    grads = net.backward(trace, upstream)
    # Gradient w.r.t. layer i's output = gradient w.r.t. layer i+1's pre-activation times W^T.
    wrt_outputs = [grads.z[i + 1] @ net.layers[i + 1].W.T for i in range(depth - 1)] + [upstream]
    stats = ex.layer_stats("glorot_normal", activation, depth=depth, width=width, seed=seed)
    np.testing.assert_allclose(stats.grad_std, [g.std() for g in wrt_outputs], rtol=1e-12)


def test_each_gradient_statistic_covers_enough_values():
    for width in ex.WIDTHS:
        n = ex.grad_samples(width, ex.N_SAMPLES)
        assert n * width >= ex.MIN_GRAD_VALUES and n <= ex.N_SAMPLES


def test_saturated_or_dead_shares():
    # Zero weights: every pre-activation is 0, where relu's slope is 0 and tanh's is 1.
    assert ex.layer_stats("zeros", "relu", depth=2, width=64).saturated.tolist() == [1.0, 1.0]
    assert ex.layer_stats("zeros", "tanh", depth=2, width=64).saturated.tolist() == [0.0, 0.0]
    assert ex.layer_stats("normal-1", "linear", depth=2, width=64).saturated.tolist() == [0.0, 0.0]
    # He relu: about half of a symmetric pre-activation is negative. The share is a mean of
    # 64 000 indicators, correlated within a sample; 5% is many standard errors.
    share = ex.layer_stats("he_normal", "relu", depth=1, width=64).saturated[0]
    assert abs(share - 0.5) < 0.05


def test_scheme_scales_follow_the_registry():
    for activation, g in [("tanh", 5 / 3), ("relu", math.sqrt(2)), ("linear", 1.0), ("gelu", 1.0)]:
        assert math.isclose(ex.layer_stats("he_normal", activation, depth=1, width=64).sigma_w, g)
        assert math.isclose(ex.layer_stats("orthogonal", activation, depth=1, width=64).sigma_w, g)
        assert math.isclose(ex.layer_stats("glorot_normal", activation, depth=1, width=64).sigma_w, g)
    assert math.isclose(ex.layer_stats("normal-1", "tanh", depth=1, width=256).sigma_w, 16.0)
    assert ex.layer_stats("zeros", "tanh", depth=1, width=64).sigma_w == 0.0


def test_document_equals_layer_stats_at_every_depth():
    depths = [1, 2, 5]
    doc = ex.explorer_document("lecun_normal", "selu", 64, depths=depths)
    for depth in depths:
        assert ex.document_rows(doc, depth) == ex.table_rows(ex.layer_stats("lecun_normal", "selu", depth, 64))
    assert json.loads(ex._dump(doc)) == doc


def test_histograms_sum_to_one_at_the_chosen_layers():
    stats = ex.layer_stats("lecun_normal", "tanh", depth=10, width=64)
    assert sorted(stats.histograms) == [d for d in ex.DEPTHS if d <= 10]
    for edges, probs in stats.histograms.values():
        assert (edges[0], edges[-1]) == (-1.0, 1.0) and len(probs) == ex.HIST_BINS
        assert math.isclose(probs.sum(), 1.0)


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        ({"scheme": "he_uniform"}, ValueError, "scheme"),
        ({"scheme": "he_normal", "activation": "softplus"}, ValueError, "activation"),
        ({"scheme": "he_normal", "depth": 0}, ValueError, "depth"),
        ({"scheme": "he_normal", "depth": 2.5}, TypeError, "depth"),
        ({"scheme": "he_normal", "width": "64"}, TypeError, "width"),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, word):
    with pytest.raises(error, match=word):
        ex.layer_stats(**{"depth": 2, "width": 64, **kwargs})


# ------------------------------------------------------------ the seed notebook's tables


def _direct_stds(std, depth, width, n, seed):
    """The seed notebook's loop in plain NumPy, its own generator and its own seed."""
    gen = np.random.Generator(np.random.PCG64(seed))
    a = gen.standard_normal((n, width))
    stds = []
    for _ in range(depth):
        a = np.tanh(a @ (std(width) * gen.standard_normal((width, width))))
        stds.append(a.std())
    return np.array(stds)


def _relative_tolerance(depth, width, n, k=6.0):
    """k standard errors of the difference of two independent runs' layer stds.

    A layer's variance averages width^2 squared weights per layer passed (relative
    variance 2 / width^2 each, adding up over the layers) and n samples of width units
    (relative variance about 2 / (n width)); the std's relative error is half the
    variance's, and a difference of two independent runs has sqrt(2) times that.
    """
    layers = np.arange(1, depth + 1)
    return k * math.sqrt(2) * 0.5 * np.sqrt(2 * layers / width**2 + 2 / (n * width))


@pytest.mark.parametrize(
    ("scheme", "std"),
    [("normal-0.01", lambda w: 0.01), ("normal-1", lambda w: 1.0), ("lecun_normal", lambda w: 1 / math.sqrt(w))],
)
def test_tanh_500_by_10_reproduces_the_seed_notebook(scheme, std):
    depth, width, n = 10, 500, 1000
    stats = ex.layer_stats(scheme, "tanh", depth=depth, width=width)
    direct = _direct_stds(std, depth, width, n, seed=20260501)
    tol = _relative_tolerance(depth, width, n)
    np.testing.assert_array_less(np.abs(stats.std / direct - 1), tol)
    if scheme == "normal-0.01":
        # Collapse: each layer shrinks the signal by about 0.01 sqrt(500) = 0.224.
        np.testing.assert_allclose(stats.std[1:] / stats.std[:-1], 0.01 * math.sqrt(width), rtol=0.05)
        assert stats.std[-1] < 1e-6
    elif scheme == "normal-1":
        # Saturation: tanh outputs sit near +-1, so the std stays just under 1.
        assert np.all((stats.std > 0.9) & (stats.std < 1.0))
        assert np.all(stats.saturated > 0.5)
    else:
        # Healthy: the std shrinks, but slowly.
        ratios = stats.std[1:] / stats.std[:-1]
        assert np.all((ratios > 0.7) & (ratios < 1.0))
        assert stats.std[-1] > 0.2


# ------------------------------------------------------------------- the build hook


def _hook():
    spec = importlib.util.spec_from_file_location("weightinit_explorer_hook", ROOT / "docs/hooks/explorer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cache_key_covers_every_module_the_explorer_imports():
    names = {p.stem for p in _hook().modules_used()}
    assert {"explorer", "experiments", "nn", "initializers", "schemes", "datasets"} <= names
    assert "figures" not in names


@pytest.mark.site
def test_built_site_serves_every_data_file_under_2_mb(built_site):
    site, log = built_site
    data = site / "explorer" / "data"
    index = json.loads((data / "index.json").read_text())
    expected = {
        ex.data_path(s, a, w) for s in index["schemes"] for a in index["activations"] for w in index["widths"]
    }
    found = {p.relative_to(data).as_posix() for p in data.rglob("*.json")}
    assert found == expected | {"index.json", "phase.json"}
    assert sum(p.stat().st_size for p in data.rglob("*.json")) < 2_000_000
    assert "explorer:" in log
    assert not list((ROOT / "docs" / "explorer").glob("data"))
