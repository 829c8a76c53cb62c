"""Tests for weightinit.nn: exact gradients, losses, training and argument checking."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special

from weightinit.nn import (
    ACTIVATIONS,
    LOSSES,
    MLP,
    SELU_ALPHA,
    SELU_LAMBDA,
    Dense,
    activation,
    binary_cross_entropy,
    cross_entropy,
    mse,
    train,
)

EPS = 1e-6
# Central differences err by O(EPS^2 f''') plus rounding O(macheps / EPS); 1e-6 relative
# leaves a wide margin over both in float64.
RTOL = 1e-6


def gaussian(std):
    return lambda shape, rng=None: std * np.random.default_rng(rng).standard_normal(shape)


def numeric_grad(f, array):
    """Central-difference gradient of the scalar f() with respect to array, in place."""
    grad = np.zeros_like(array)
    for idx in np.ndindex(array.shape):
        saved = array[idx]
        array[idx] = saved + EPS
        up = f()
        array[idx] = saved - EPS
        down = f()
        array[idx] = saved
        grad[idx] = (up - down) / (2 * EPS)
    return grad


def assert_grads_match(net, x, y, loss):
    trace = net.forward(x)
    _, grad_out = LOSSES[loss](trace.a[-1], y)
    grads = net.backward(trace, grad_out)

    def value():
        return LOSSES[loss](net.predict(x), y)[0]

    scale = max(np.abs(g).max() for g in grads.W)
    for layer, gW, gb in zip(net.layers, grads.W, grads.b):
        np.testing.assert_allclose(gW, numeric_grad(value, layer.W), rtol=RTOL, atol=RTOL * scale)
        np.testing.assert_allclose(gb, numeric_grad(value, layer.b), rtol=RTOL, atol=RTOL * scale)
    np.testing.assert_allclose(grads.x, numeric_grad(value, x), rtol=RTOL, atol=RTOL * scale)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_matches_finite_differences(name):
    # Stay clear of the kink at 0 that relu and leaky_relu have.
    z = np.concatenate([np.linspace(-6, -0.01, 200), np.linspace(0.01, 6, 200)])
    phi, dphi = activation(name)
    numeric = (phi(z + EPS) - phi(z - EPS)) / (2 * EPS)
    np.testing.assert_allclose(dphi(z), numeric, rtol=RTOL, atol=RTOL)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_backward_matches_finite_differences_mse(name):
    rng = np.random.default_rng(0)
    net = MLP.build([3, 5, 4, 2], name, name, gaussian(0.8), bias_init=gaussian(0.3), rng=1)
    assert_grads_match(net, rng.standard_normal((6, 3)), rng.standard_normal((6, 2)), "mse")


def test_backward_matches_finite_differences_cross_entropy():
    rng = np.random.default_rng(2)
    net = MLP.build([3, 6, 4], "tanh", "linear", gaussian(0.8), bias_init=gaussian(0.3), rng=3)
    assert_grads_match(net, rng.standard_normal((7, 3)), rng.integers(0, 4, 7), "cross_entropy")


def test_backward_matches_finite_differences_binary_cross_entropy():
    rng = np.random.default_rng(4)
    net = MLP.build([2, 5, 1], "relu", "sigmoid", gaussian(0.8), bias_init=gaussian(0.3), rng=5)
    assert_grads_match(net, rng.standard_normal((8, 2)), rng.integers(0, 2, 8), "binary_cross_entropy")


def test_gelu_is_the_tanh_approximation_of_the_exact_form():
    z = np.linspace(-6, 6, 1001)
    exact = 0.5 * z * (1 + scipy.special.erf(z / np.sqrt(2)))
    # The tanh approximation's largest error on the real line is a few 1e-4.
    assert np.abs(ACTIVATIONS["gelu"][0](z) - exact).max() < 1e-3


def test_selu_constants_give_a_unit_variance_fixed_point():
    # Klambauer et al. chose lambda and alpha so that N(0, 1) inputs give mean 0, variance 1.
    # Closed forms for z ~ N(0, 1): E[z; z > 0] = 1 / sqrt(2 pi), P(z < 0) = 1 / 2 and
    # E[exp(k z); z < 0] = exp(k^2 / 2) Phi(-k).
    def tail(k):
        return math.exp(k * k / 2) * 0.5 * math.erfc(k / math.sqrt(2))

    mean = SELU_LAMBDA * (1 / math.sqrt(2 * math.pi) + SELU_ALPHA * (tail(1) - 0.5))
    second = SELU_LAMBDA**2 * (0.5 + SELU_ALPHA**2 * (tail(2) - 2 * tail(1) + 0.5))
    assert abs(mean) < 1e-9 and abs(second - 1) < 1e-9


def test_losses_at_known_points():
    logits = np.zeros((5, 4))
    assert cross_entropy(logits, np.arange(5) % 4)[0] == pytest.approx(np.log(4))
    assert binary_cross_entropy(np.full((3, 1), 0.5), np.array([0, 1, 1]))[0] == pytest.approx(np.log(2))
    assert mse(np.ones((2, 2)), np.zeros((2, 2)))[0] == 1.0


def test_cross_entropy_is_stable_for_huge_logits():
    loss, grad = cross_entropy(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    assert loss == pytest.approx(500.0)


def test_forward_records_every_layer():
    net = MLP.build([3, 4, 2], "tanh", "sigmoid", gaussian(1.0), rng=0)
    x = np.random.default_rng(1).standard_normal((5, 3))
    trace = net.forward(x)
    assert [z.shape for z in trace.z] == [(5, 4), (5, 2)]
    np.testing.assert_array_equal(trace.z[0], x @ net.layers[0].W + net.layers[0].b)
    np.testing.assert_array_equal(trace.a[0], np.tanh(trace.z[0]))
    np.testing.assert_array_equal(trace.a[1], net.predict(x))


def test_build_uses_scheme_names_and_bias_init():
    net = MLP.build([500, 400, 3], init="he_normal", bias_init=gaussian(2.0), rng=0)
    W = net.layers[0].W
    # The sample std of N entries has relative standard error 1 / sqrt(2 N); allow 5 of them.
    assert W.std() == pytest.approx(np.sqrt(2 / 500), rel=5 / np.sqrt(2 * W.size))
    assert np.all(net.layers[0].b != 0)
    assert [layer.activation for layer in net.layers] == ["relu", "linear"]


def test_default_biases_are_zero_and_layers_get_fresh_draws():
    net = MLP.build([4, 4, 4], init=gaussian(1.0), rng=0)
    assert all(np.all(layer.b == 0) for layer in net.layers)
    assert not np.array_equal(net.layers[0].W, net.layers[1].W)


def test_same_seed_same_network():
    a = MLP.build([3, 4, 2], init="glorot_uniform", rng=7)
    b = MLP.build([3, 4, 2], init="glorot_uniform", rng=np.random.default_rng(7))
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_array_equal(la.W, lb.W)


def test_train_applies_sgd_with_momentum():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((10, 3)), rng.standard_normal((10, 1))
    lr, momentum = 0.1, 0.9
    net = MLP.build([3, 1], activation="linear", init=gaussian(1.0), rng=1)
    W, b = net.layers[0].W.copy(), net.layers[0].b.copy()
    train(net, x, y, "mse", steps=2, lr=lr, momentum=momentum)
    # A linear model under MSE: dL/dW = 2 x^T r / n, dL/db = 2 sum(r) / n, r = x W + b - y.
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    for _ in range(2):
        r = x @ W + b - y
        vW = momentum * vW - lr * 2 * x.T @ r / r.size
        vb = momentum * vb - lr * 2 * r.sum(axis=0) / r.size
        W, b = W + vW, b + vb
    np.testing.assert_allclose(net.layers[0].W, W, rtol=1e-12)
    np.testing.assert_allclose(net.layers[0].b, b, rtol=1e-12)


def test_train_reduces_loss_with_minibatches():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 2))
    y = (x[:, :1] * x[:, 1:] > 0).astype(float)
    net = MLP.build([2, 16, 1], "tanh", "sigmoid", "glorot_uniform", rng=1)
    history = train(net, x, y, "binary_cross_entropy", steps=300, lr=0.5, batch_size=32, rng=2)
    assert history.shape == (300,)
    assert history[-50:].mean() < 0.5 * history[:10].mean()


def test_train_stops_at_target_loss():
    x = np.linspace(-1, 1, 20)[:, None]
    net = MLP.build([1, 1], activation="linear", init="zeros")
    history = train(net, x, 2 * x, steps=500, lr=0.1, target_loss=1e-3)
    done = np.isfinite(history)
    assert history[done][-1] <= 1e-3 < history[done][-2]
    assert np.all(np.isnan(history[done.sum():])) and done.sum() < 500


def test_train_stops_when_the_loss_blows_up():
    x = np.linspace(-1, 1, 20)[:, None]
    net = MLP.build([1, 8, 1], activation="linear", init=gaussian(1.0), rng=0)
    with np.errstate(over="ignore", invalid="ignore"):
        history = train(net, x, 5 * x, steps=200, lr=50.0)
    assert np.isfinite(history[0]) and np.isnan(history[-1])


# ----------------------------------------------------------------------------- errors


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(ValueError, match="activation must be one of .*'gelu'.*'tanh'"):
        MLP.build([2, 2], activation="swish", output_activation="swish")
    with pytest.raises(ValueError, match="activation"):
        Dense(np.eye(2), np.zeros(2), "softmax")
    with pytest.raises(ValueError, match="activation"):
        activation(None)


def test_unknown_loss_lists_the_valid_ones():
    net = MLP.build([1, 1], init="zeros")
    with pytest.raises(ValueError, match="loss must be one of .*'cross_entropy'.*'mse'"):
        train(net, np.zeros((2, 1)), np.zeros((2, 1)), loss="hinge")


def test_bad_initializers():
    with pytest.raises(TypeError, match="init must be a scheme name or a callable"):
        MLP.build([2, 2], init=0.01)
    with pytest.raises(TypeError, match="bias_init"):
        MLP.build([2, 2], bias_init=3)
    with pytest.raises(ValueError, match=r"init returned shape \(3,\); expected \(2, 3\)"):
        Dense.create(2, 3, init=lambda shape, rng=None: np.zeros(3))


def test_bad_shapes():
    with pytest.raises(ValueError, match="sizes"):
        MLP.build([3])
    with pytest.raises(ValueError, match="sizes"):
        MLP.build([3, 0, 1])
    with pytest.raises(ValueError, match="fan_in 4 but layers"):
        MLP([Dense(np.ones((2, 3)), np.zeros(3)), Dense(np.ones((4, 1)), np.zeros(1))])
    with pytest.raises(ValueError, match="b of shape"):
        Dense(np.ones((2, 3)), np.zeros(2))
    net = MLP.build([3, 2], init="zeros")
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, 3\)"):
        net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="grad_output"):
        net.backward(net.forward(np.zeros((4, 3))), np.zeros((4, 3)))


def test_bad_targets_and_hyperparameters():
    with pytest.raises(ValueError, match="y must have the predictions' shape"):
        mse(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="integer class labels"):
        cross_entropy(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match=r"labels in 0\.\.1"):
        cross_entropy(np.zeros((3, 2)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="n_samples, 1"):
        binary_cross_entropy(np.zeros((3, 2)), np.zeros(3))
    net = MLP.build([1, 1], init="zeros")
    x = np.zeros((4, 1))
    for kwargs in ({"lr": 0.0}, {"momentum": 1.0}, {"steps": 0}):
        with pytest.raises(ValueError, match="lr > 0 and 0 <= momentum < 1"):
            train(net, x, x, **kwargs)
    with pytest.raises(ValueError, match="same number of samples"):
        train(net, x, x[:3])
