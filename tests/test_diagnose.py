"""The diagnostic's verdicts on deliberately broken networks and on healthy ones, and its statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from weightinit.diagnose import FIXES, RULES, diagnose
from weightinit.nn import MLP, Dense

SIZES = [32, 256, 256, 256, 256, 10]


def batch(n=256, seed=1):
    return np.random.default_rng(seed).standard_normal((n, SIZES[0]))


def std(s):
    """A plain normal initializer of standard deviation `s`, whatever the fans."""
    return lambda shape, rng=None: s * rng.standard_normal(shape)


def const(v):
    return lambda shape, rng=None: np.full(shape, v)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_zeros_is_symmetric_everywhere(activation):
    net = MLP.build(SIZES, activation, init="zeros")
    assert diagnose(net, batch()).verdicts == ["symmetric"] * 5


def test_constant_weights_are_symmetric():
    net = MLP.build(SIZES, "tanh", init=const(0.01))
    assert set(diagnose(net, batch()).verdicts) == {"symmetric"}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_std_one_with_tanh_saturates(seed):
    d = diagnose(MLP.build(SIZES, "tanh", init=std(1.0), rng=seed), batch())
    assert d.verdicts[:-1] == ["saturated"] * 4
    # the linear output of 256 saturated units of weight std 1 has std near sqrt(256) = 16
    assert d.verdicts[-1] == "exploding"
    assert all(layer.saturated > 0.5 for layer in d.layers[:-1])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_large_negative_bias_kills_relus(seed):
    net = MLP.build(SIZES, "relu", init="he_normal", bias_init=const(-5.0), rng=seed)
    d = diagnose(net, batch())
    assert d.verdicts[:-1] == ["dead"] * 4
    assert d.layers[1].dead == 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("activation, init", [("relu", "he_normal"), ("tanh", "glorot_normal"),
                                              ("tanh", "lecun_normal"), ("selu", "lecun_normal")])
def test_healthy_networks_pass(activation, init, seed):
    d = diagnose(MLP.build(SIZES, activation, init=init, rng=seed), batch(seed=seed + 10))
    assert d.healthy, str(d)
    assert d.fixes() == []


def test_small_weights_vanish_and_large_relu_weights_explode():
    assert diagnose(MLP.build(SIZES, "tanh", init=std(0.01), rng=0), batch()).verdicts[1:] == \
        ["vanishing"] * 4
    assert diagnose(MLP.build(SIZES, "relu", init=std(1.0), rng=0), batch()).verdicts[1:] == \
        ["exploding"] * 4


def test_overflow_and_nan_input_are_non_finite():
    # nine layers of weight std 1e40 overflow float64 (max about 1.8e308)
    net = MLP.build([32] + [256] * 8 + [10], "relu", init=std(1e40), rng=0)
    assert diagnose(net, batch()).verdicts[-1] == "non-finite"
    x = batch()
    x[3, 5] = np.nan
    net = MLP.build(SIZES, "relu", init="he_normal", rng=0)
    assert diagnose(net, x).verdicts == ["non-finite"] * 5


def test_saturated_fraction_matches_the_normal_tail():
    # One tanh layer whose two units see z = +-s x with x standard normal. Slope 1 - tanh(z)^2
    # is below 1 % of its peak where |z| > atanh(sqrt(0.99)).
    n, s = 20_000, 2.0
    x = np.random.default_rng(0).standard_normal((n, 1))
    net = MLP([Dense(np.array([[s, -s]]), np.zeros(2), "tanh")])
    p = math.erfc(math.atanh(math.sqrt(0.99)) / s / math.sqrt(2))
    got = diagnose(net, x).layers[0].saturated
    assert abs(got - p) < 4 * math.sqrt(p * (1 - p) / n)


def test_dead_counts_units_never_active():
    x = np.random.default_rng(0).standard_normal((500, 1))
    net = MLP([Dense(np.array([[1.0, -1.0, 2.0, 0.5]]), np.array([-100.0, 0.0, -100.0, 0.0]),
                     "relu")])
    layer = diagnose(net, x).layers[0]
    assert layer.dead == 0.5
    assert math.isnan(layer.saturated)


def test_gelu_units_die_on_the_far_negative_side_only():
    # Pre-activation z = x * 1 + b with x in [-0.1, 0.1]: near b for every sample.
    x = np.linspace(-0.1, 0.1, 101)[:, None]
    # GELU's slope is about -0.13 at -1.4 (a unit there learns) and about -1e-5 at -5 (below
    # 1 % of its peak slope, about 1.13: flat).
    net = MLP([Dense(np.ones((1, 3)), np.array([-1.4, -5.0, 0.0]), "gelu")])
    assert diagnose(net, x).layers[0].dead == pytest.approx(1 / 3)


def test_gradient_std_uses_the_loss_when_targets_are_given():
    net = MLP.build([4, 8, 3], "tanh", init="glorot_normal", rng=0)
    x = np.random.default_rng(1).standard_normal((50, 4))
    y = np.random.default_rng(2).integers(0, 3, 50)
    d = diagnose(net, x, y, loss="cross_entropy")
    trace = net.forward(x)
    from weightinit.nn import cross_entropy

    loss, grad = cross_entropy(trace.a[-1], y)
    assert d.loss == loss
    assert [r.grad_std for r in d.layers] == [float(np.std(g)) for g in net.backward(trace, grad).W]


def test_report_formats():
    d = diagnose(MLP.build(SIZES, "tanh", init=std(1.0), rng=0), batch())
    md = d.markdown()
    assert md.splitlines()[0].startswith("| layer | activation")
    assert "**saturated**" in md and "**exploding**" in md
    text = str(d).splitlines()
    assert text[0].split() == ["layer", "activation", "shape", "mean", "std", "saturated",
                               "dead", "grad", "std", "verdict"]
    assert len(text) == 1 + 5 + 2


def test_every_rule_has_a_fix():
    assert set(FIXES) == set(RULES)


def test_bad_arguments():
    with pytest.raises(TypeError, match="net must be"):
        diagnose("net", batch())
    with pytest.raises(ValueError, match="loss must be one of"):
        diagnose(MLP.build([2, 1]), np.ones((3, 2)), np.ones((3, 1)), loss="l1")
    with pytest.raises(ValueError, match="x must have shape"):
        diagnose(MLP.build([2, 1]), np.ones((3, 5)))
