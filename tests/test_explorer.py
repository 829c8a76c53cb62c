"""The explorer's numbers: weightinit_site.explorer against the library and a direct NumPy run."""

from __future__ import annotations

import json
import math
from functools import partial
from pathlib import Path

import numpy as np
import pytest

import weightinit as wi
from weightinit_site import explorer as ex
from weightinit.experiments import activation_stats
from weightinit.nn import ACTIVATIONS, MLP, Trace

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
    gelu = wi.exact_gain("gelu_tanh")  # calculate_gain raises for gelu; nn's gelu is the tanh form
    assert abs(gelu - 1.5336) < 1e-4
    for activation, g in [("tanh", 5 / 3), ("relu", math.sqrt(2)), ("linear", 1.0), ("gelu", gelu)]:
        assert math.isclose(ex.layer_stats("he_normal", activation, depth=1, width=64).sigma_w, g)
        assert math.isclose(ex.layer_stats("orthogonal", activation, depth=1, width=64).sigma_w, g)
        assert math.isclose(ex.layer_stats("glorot_normal", activation, depth=1, width=64).sigma_w, g)
    assert math.isclose(ex.layer_stats("normal-1", "tanh", depth=1, width=256).sigma_w, 16.0)
    assert ex.layer_stats("zeros", "tanh", depth=1, width=64).sigma_w == 0.0


def test_document_equals_layer_stats_at_every_depth():
    depths = [1, 2, 5]
    doc = ex.explorer_document("lecun_normal", "selu", 64, depths=depths)
    for depth in depths:
        stats = ex.layer_stats("lecun_normal", "selu", depth, 64)
        assert ex.document_rows(doc, depth) == ex.table_rows(stats)
        assert doc["jacobian"][str(depth)] == ex.spectrum_summary(stats.jacobian_sv)
    assert json.loads(ex._dump(doc)) == doc


def test_shared_networks_give_the_documents_of_separate_runs():
    # explorer_documents builds one network for every activation of equal weights.
    together = ex.explorer_documents("he_normal", 64, ["linear", "sigmoid", "tanh"], depths=[1, 3])
    alone = [ex.explorer_document("he_normal", a, 64, depths=[1, 3]) for a in ["linear", "sigmoid", "tanh"]]
    assert together == alone


def test_each_job_of_the_grid_is_one_network_drawn_by_all_its_choices():
    # A choice would draw its network on its own with layer_stats' stream; every choice
    # of a job must draw the same weights, bit for bit, so that one run serves them all.
    grid = ex.explorer_grid()
    # Every choice of the page is in exactly one job.
    every = sorted((w, s, a) for w, choices in grid for s, a in choices)
    assert every == sorted((w, s, a) for w in ex.WIDTHS for s in ex.SCHEMES for a in ex.ACTIVATIONS_SHOWN)
    for width, choices in grid:
        _, first, _ = ex._network(*choices[0], width, 3, ex.N_SAMPLES, ex.SEED)
        for scheme, activation in choices[1:]:
            _, net, _ = ex._network(scheme, activation, width, 3, ex.N_SAMPLES, ex.SEED)
            for mine, theirs in zip(net.layers, first.layers, strict=True):
                assert mine.W.tobytes() == theirs.W.tobytes(), (width, choices[0], (scheme, activation))
                assert mine.b.tobytes() == theirs.b.tobytes()
    # The grid shares across schemes: glorot and he at equal gain, lecun at gain 1.
    assert (64, (("glorot_normal", "tanh"), ("he_normal", "tanh"))) in grid
    [unit] = [c for w, c in grid if w == 64 and ("lecun_normal", "tanh") in c]
    assert {("glorot_normal", "sigmoid"), ("he_normal", "linear")} <= set(unit)


def test_grouped_documents_are_those_of_each_choice_alone():
    depths = [1, 3]
    for width, choices in ex.explorer_grid():
        if width != 64:
            continue
        together = ex.network_documents(width, choices, depths=depths)
        alone = [ex.explorer_document(s, a, width, depths=depths) for s, a in choices]
        assert together == alone, choices
        # Documents of one activation differ only in the fields that name the scheme.
        by_activation = {}
        for doc in together:
            rest = {k: v for k, v in doc.items() if k not in ("scheme", "gain", "gain_source")}
            by_activation.setdefault(doc["activation"], []).append(rest)
        for docs in by_activation.values():
            assert all(d == docs[0] for d in docs)


def test_network_documents_refuses_choices_of_different_networks():
    with pytest.raises(ValueError, match="choices"):
        ex.network_documents(64, [("lecun_normal", "tanh"), ("he_normal", "tanh")], depths=[1])
    with pytest.raises(ValueError, match="choices"):
        ex.network_documents(64, [], depths=[1])


def test_the_hook_plans_one_task_per_job():
    from conftest import load_hook

    hook = load_hook("explorer")
    grid = ex.explorer_grid()
    assert len({hook._task_id(job) for job in grid}) == len(grid)


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_phi_and_slope_are_the_activation_table_bit_for_bit(activation):
    z = np.concatenate([np.random.default_rng(1).standard_normal(10_000) * 4, [0.0, -0.0, 30.0, -30.0, 1e-300]])
    a, slope = ex.phi_and_slope(activation, z)
    phi, dphi = ACTIVATIONS[activation]
    np.testing.assert_array_equal(a, phi(z))
    np.testing.assert_array_equal(slope, dphi(z))


# ------------------------------------------------------------------ the Jacobian's spectrum


def _explicit_jacobians(scheme, activation, depth, width, seed=ex.SEED):
    """Each input's Jacobian d a_depth / d x as numpy's product of diag(phi') W^T factors."""
    init, _, _ = ex.scheme_init(scheme, activation)
    gen = np.random.default_rng(seed)
    x = gen.standard_normal((ex.N_SAMPLES, width))
    net = MLP.build([width] * (depth + 1), activation, activation, init, rng=gen)
    trace = net.forward(x[: ex.jacobian_inputs(width)])
    dphi = ACTIVATIONS[activation][1]
    jacobians = []
    for k in range(len(trace.x)):
        jac = np.eye(width)
        for layer, z in zip(net.layers, trace.z):
            jac = np.diag(dphi(z[k])) @ layer.W.T @ jac
        jacobians.append(jac)
    return net, trace, jacobians


@pytest.mark.parametrize(("scheme", "activation", "depth"), [("lecun_normal", "tanh", 4), ("he_normal", "relu", 20)])
def test_jacobian_singular_values_are_numpys_svd_of_the_product(scheme, activation, depth):
    width = 32
    _, _, jacobians = _explicit_jacobians(scheme, activation, depth, width)
    direct = np.array([np.linalg.svd(j, compute_uv=False) for j in jacobians])
    mine = ex.layer_stats(scheme, activation, depth, width).jacobian_sv
    assert mine.shape == direct.shape == (ex.jacobian_inputs(width), width)
    # Both are float64 products; they agree to rounding well above the resolution.
    resolved = direct >= 1e-9 * direct[:, :1]
    np.testing.assert_allclose(mine[resolved], direct[resolved], rtol=1e-6)
    assert np.all(mine[~resolved] < 1e-8 * direct[:, :1].repeat(width, axis=1)[~resolved])


def test_jacobian_is_the_finite_difference_derivative():
    width, depth, h = 16, 3, 1e-6
    net, trace, jacobians = _explicit_jacobians("glorot_normal", "gelu", depth, width)
    x = trace.x[0]
    fd = np.empty((width, width))
    for j in range(width):
        e = np.zeros(width)
        e[j] = h
        fd[:, j] = (net.forward((x + e)[None]).a[-1][0] - net.forward((x - e)[None]).a[-1][0]) / (2 * h)
    # Central differences: error of order h^2 times the third derivative, and 1e-16 / h.
    np.testing.assert_allclose(jacobians[0], fd, atol=1e-7)
    np.testing.assert_allclose(
        ex.layer_stats("glorot_normal", "gelu", depth, width).jacobian_sv[0],
        np.linalg.svd(fd, compute_uv=False), atol=1e-7,
    )


def test_linear_orthogonal_network_is_an_isometry():
    # Saxe et al.; Pennington et al. (2017): every singular value of a product of
    # orthogonal matrices is 1, at any depth.
    doc = ex.explorer_document("orthogonal", "linear", 64, depths=[1, 50])
    for depth in ("1", "50"):
        s = doc["jacobian"][depth]
        assert s["q"] == [1.0] * len(ex.QUANTILES) and s["ms"] == 1.0 and s["zero"] == 0.0
        assert s["lo"] == 0.0 and s["p"] == [1.0]
    sv = ex.layer_stats("orthogonal", "linear", 50, 64).jacobian_sv
    np.testing.assert_allclose(sv, 1.0, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_linear_lecun_network_keeps_the_mean_squared_singular_value_at_1(seed):
    # With weights N(0, 1/n), E[||J_l||_F^2 | J_{l-1}] = ||J_{l-1}||_F^2, and the
    # conditional variance of m_l = ||J_l||_F^2 / n is 2 tr(A^2) / n^3 with
    # A = J_{l-1}^T J_{l-1}: relative variance 2 sum(s^4) / (n (sum s^2)^2) per layer,
    # from the previous layer's singular values s (all 1 before the first layer).
    width, depth = 256, 10
    _, net, _ = ex._network("lecun_normal", "linear", width, depth, ex.N_SAMPLES, seed)
    spectra = ex.jacobian_spectra(net, [np.ones((1, width))] * depth, range(1, depth + 1))
    previous = [np.ones(width)] + [spectra[d][0] for d in range(1, depth)]
    rel_var = sum(2 * np.sum(s**4) / (width * np.sum(s**2) ** 2) for s in previous)
    ms = np.mean(spectra[depth] ** 2)
    assert abs(ms - 1.0) < 5 * math.sqrt(rel_var)
    assert ex.explorer_document("lecun_normal", "linear", width, depths=[depth], seed=seed)["jacobian"][str(depth)]["ms"] == ex._round(ms)


def test_spectrum_summary_bins_and_quantiles():
    sv = np.array([0.0, 1e-3, 1.0, 1.0, 1.2, 100.0])
    s = ex.spectrum_summary(sv)
    assert s["n"] == 6 and math.isclose(s["zero"], 1 / 6, rel_tol=1e-3)
    assert s["q"][0] == 0.0 and s["q"][-1] == 100.0 and s["q"][3] == 1.0
    assert s["lo"] == -3.0 and len(s["p"]) == 21 and math.isclose(sum(s["p"]), 5 / 6, abs_tol=1e-3)
    # 1.2 has log10 0.079, in the bin centred on 0 with the two 1.0s.
    assert s["p"][12] == 0.5
    with pytest.raises(ValueError, match="sv"):
        ex.spectrum_summary([-1.0])


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


def test_cache_key_covers_every_module_the_explorer_imports():
    import core

    names = {core.module_path(name).stem for name in core.library_closure(["weightinit_site.explorer"])}
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


def test_gelu_gets_the_gain_of_the_recommendation_table_and_says_so():
    """calculate_gain raises for gelu; the explorer takes the table's exact gain and labels it."""
    from weightinit.recommendations import uses_for

    assert uses_for("gelu") == ("exact_gain",)
    for activation in ex.ACTIVATIONS_SHOWN:
        g, source = ex.activation_gain(activation)
        if activation in wi.NONLINEARITIES:
            assert (g, source) == (wi.gain(activation), "calculate_gain")
        else:
            assert (g, source) == (wi.exact_gain("gelu_tanh"), "exact_gain"), activation
    [doc] = ex.explorer_documents("he_normal", 64, ["gelu"], depths=[1])
    assert doc["gain"] == float(f"{wi.exact_gain('gelu_tanh'):.6g}")  # 6 significant digits
    assert doc["gain_source"] == ex.GAIN_SOURCES["exact_gain"] and "no entry" in doc["gain_source"]
    [doc] = ex.explorer_documents("lecun_normal", 64, ["gelu"], depths=[1])
    assert (doc["gain"], doc["gain_source"]) == (1.0, "the scheme takes no gain")
