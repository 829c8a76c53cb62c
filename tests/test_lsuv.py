"""weightinit.lsuv: Mishkin and Matas (2015), Algorithm 1.

Orthonormal weights, zero biases, then each layer, first to last, divided by the standard
deviation of its pre-activations on the batch until the variance is within ``tol`` of 1.
"""

from __future__ import annotations

import numpy as np
import pytest

import weightinit as wi

DEPTH, WIDTH, N = 12, 128, 512


def batch(scale=1.0, seed=1, n=N, width=WIDTH):
    return scale * np.random.default_rng(seed).standard_normal((n, width))


@pytest.mark.parametrize("activation", ["relu", "tanh"])
@pytest.mark.parametrize("scale", [0.1, 1.0, 7.0])
def test_every_layer_reaches_unit_variance_within_tol(activation, scale):
    """A fresh forward pass of the returned network, not the recorded history, is the check."""
    x = batch(scale)
    tol = 0.05
    result = wi.lsuv(x, [WIDTH] * DEPTH, activation, tol=tol, rng=0)
    trace = result.net.forward(x)
    assert len(trace.z) == len(result.variances) == DEPTH
    for z, history in zip(trace.z, result.variances):
        assert abs(z.var() - 1) < tol
        assert history[-1] == pytest.approx(z.var(), rel=1e-12)
        assert len(history) <= 11


def test_without_lsuv_the_variance_drifts():
    """The property LSUV restores is not there to begin with: orthonormal ReLU layers halve it."""
    x = batch()
    result = wi.lsuv(x, [WIDTH] * DEPTH, "relu", max_iter=0, rng=0)
    last = result.net.forward(x).z[-1].var()
    # Each ReLU layer keeps about half the second moment: 2**-11 after 12 layers, give or take 4x.
    assert 2.0**-13 < last < 2.0**-9
    assert all(len(h) == 1 for h in result.variances)


def test_zero_bias_makes_one_division_exact():
    """With zero biases Var(x W / s) = Var(x W) / s^2: one division lands on 1 up to rounding."""
    result = wi.lsuv(batch(3.0), [WIDTH] * 6, "tanh", tol=1e-9, rng=0)
    for history in result.variances:
        assert len(history) <= 3
        assert history[-1] == pytest.approx(1.0, abs=1e-9)


def test_weights_stay_orthonormal_up_to_scale():
    """LSUV only rescales: each weight is c * Q with orthonormal columns, biases stay zero."""
    result = wi.lsuv(batch(width=64), [128, 64, 32], "relu", rng=0)
    for layer in result.net.layers:
        W = layer.W
        small = min(W.shape)
        gram = W.T @ W if W.shape[0] >= W.shape[1] else W @ W.T
        c2 = np.trace(gram) / small
        np.testing.assert_allclose(gram, c2 * np.eye(small), atol=1e-12 * c2)
        assert np.all(layer.b == 0)
    assert [w.shape for w in result.weights] == [(64, 128), (128, 64), (64, 32)]


def test_max_iter_bounds_the_divisions():
    result = wi.lsuv(batch(100.0), [WIDTH] * 3, "tanh", tol=1e-12, max_iter=1, rng=0)
    assert all(len(h) <= 2 for h in result.variances)


def test_output_activation_only_changes_the_returned_network():
    x = batch()
    linear = wi.lsuv(x, [WIDTH] * 3, "relu", rng=0)
    sigmoid = wi.lsuv(x, [WIDTH] * 3, "relu", "sigmoid", rng=0)
    for a, b in zip(linear.weights, sigmoid.weights):
        np.testing.assert_array_equal(a, b)
    assert sigmoid.net.layers[-1].activation == "sigmoid"


def test_same_seed_same_result_other_seed_other_weights():
    x = batch()
    a, b = (wi.lsuv(x, [64] * 4, "tanh", rng=np.random.default_rng(5)) for _ in range(2))
    c = wi.lsuv(x, [64] * 4, "tanh", rng=6)
    for wa, wb, wc in zip(a.weights, b.weights, c.weights):
        np.testing.assert_array_equal(wa, wb)
        assert not np.allclose(wa, wc)
    for ha, hb in zip(a.variances, b.variances):
        np.testing.assert_array_equal(ha, hb)


def test_experiments_lsuv_is_the_library_function():
    """experiments.lsuv is wi.lsuv on an N(0, 1) batch drawn first from the same generator."""
    from weightinit import experiments

    mine = experiments.lsuv(widths=[32] * 4, activation="tanh", n_samples=100, rng=3)
    gen = np.random.default_rng(3)
    x = gen.standard_normal((100, 32))
    lib = wi.lsuv(x, [32] * 4, "tanh", "tanh", rng=gen)
    for a, b in zip(mine.weights, lib.weights):
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "exc", "pattern"),
    [
        ({"x": np.zeros(8)}, ValueError, r"x must be a 2-D batch"),
        ({"x": np.zeros((1, 8))}, ValueError, r"n_samples >= 2"),
        ({"x": [["a", "b"], ["c", "d"]]}, TypeError, r"x must be an array of real numbers"),
        ({"x": np.full((4, 8), np.nan)}, ValueError, r"x must contain only finite values"),
        ({"widths": []}, ValueError, r"widths must be a non-empty sequence of positive ints"),
        ({"widths": [8, 0]}, ValueError, r"widths must be a non-empty sequence of positive ints"),
        ({"widths": 8}, ValueError, r"widths must be a non-empty sequence of positive ints"),
        ({"widths": [8.0]}, ValueError, r"widths must be a non-empty sequence of positive ints"),
        ({"activation": "swish"}, ValueError, r"activation must be one of .*'relu'.*'tanh'"),
        ({"output_activation": "softmax"}, ValueError, r"activation must be one of"),
        ({"tol": 0.0}, ValueError, r"tol must be a positive finite number"),
        ({"tol": "0.1"}, TypeError, r"tol must be a positive real number"),
        ({"max_iter": -1}, ValueError, r"max_iter must be a non-negative int"),
        ({"max_iter": 2.5}, TypeError, r"max_iter must be a non-negative int"),
        ({"rng": "seed"}, TypeError, r"rng must be None, an int seed or a numpy.random.Generator"),
    ],
)
def test_bad_arguments(kwargs, exc, pattern):
    args = {"x": batch(n=16, width=8), "widths": [8, 8], **kwargs}
    with pytest.raises(exc, match=pattern):
        wi.lsuv(**args)


def test_a_batch_with_no_variance_cannot_be_rescaled():
    with pytest.raises(ValueError, match=r"layer 1's pre-activations have variance 0\.0 on x"):
        wi.lsuv(np.ones((16, 8)) - 1.0, [8, 8], rng=0)
