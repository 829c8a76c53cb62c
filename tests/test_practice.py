"""The experiments behind the Practice pages (weightinit.practice)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import weightinit as wi
from weightinit import practice


def test_bfloat16_round_keeps_the_top_16_bits_and_ties_to_even():
    x = np.array([1.0, 1 + 2**-8, 1 + 3 * 2**-8, 1 + 2**-7, -2.5, 0.0], dtype=np.float32)
    got = practice.bfloat16_round(x)
    # 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1)
    assert got.tolist() == [1.0, 1.0, 1 + 2**-6, 1 + 2**-7, -2.5, 0.0]
    assert np.all(got.view(np.uint32) & 0xFFFF == 0)
    y = np.random.default_rng(0).standard_normal(10_000).astype(np.float32)
    # relative rounding error at most half a unit in the 8th bit
    assert np.max(np.abs(practice.bfloat16_round(y) / y - 1)) <= 2.0**-8


def test_precision_loss_counts_float16_flush_to_zero():
    r = practice.precision_loss(1e-8, "float16", n=20_000)
    # zero when |w| < half the smallest subnormal (2^-25), i.e. |z| < 2^-25 / 1e-8
    p = math.erf(2.0**-25 / 1e-8 / math.sqrt(2))
    assert abs(r.zero - p) < 5 * math.sqrt(p * (1 - p) / 20_000)
    assert practice.precision_loss(1e-8, "bfloat16").zero == 0.0
    assert practice.precision_loss(1.0, "float32").std_ratio == 1.0


def test_first_nonfinite_layer():
    assert practice.first_nonfinite_layer(1.0, depth=10) is not None
    assert practice.first_nonfinite_layer(1.0, depth=10, dtype="float32") is None
    assert practice.first_nonfinite_layer(math.sqrt(2 / 256), depth=30) is None
    # larger weights overflow no later
    layers = [practice.first_nonfinite_layer(s, depth=30) for s in (0.25, 0.5, 1.0)]
    assert layers == sorted(layers, reverse=True)


def test_initial_loss_is_ln_c_for_a_zero_last_layer_and_grows_with_its_scale():
    losses = [practice.initial_loss(s, n_classes=5)[0] for s in (0.0, 1.0, 10.0)]
    assert losses[0] == pytest.approx(math.log(5), abs=1e-12)
    assert losses[0] < losses[1] < losses[2]


def test_initial_loss_last_init_rescales_the_same_draws():
    """LeCun's variance on the last layer is He's halved: the same loss as He times 1/sqrt(2)."""
    assert practice.initial_loss(1.0, last_init="lecun_normal") == pytest.approx(
        practice.initial_loss(1 / math.sqrt(2)), rel=1e-12)
    with pytest.raises(ValueError, match="last_init must be one of"):
        practice.initial_loss(1.0, last_init="orthogonal")


def test_update_ratios_are_linear_in_the_learning_rate():
    from weightinit.nn import MLP

    net = MLP.build([2, 16, 3], "relu", rng=0)
    x = np.random.default_rng(1).standard_normal((32, 2))
    y = np.random.default_rng(2).integers(0, 3, 32)
    np.testing.assert_allclose(practice.update_ratios(net, x, y, 0.1),
                               10 * practice.update_ratios(net, x, y, 0.01))


def test_torch_trunc_normal_cut_is_absolute():
    assert practice.torch_trunc_normal_cut(0.5) == (4.0, pytest.approx(0.99946, abs=1e-5))
    assert practice.torch_trunc_normal_cut(1.0)[1] == pytest.approx(wi.TRUNCATED_STD)


def test_batchnorm_stack():
    small, large = practice.batchnorm_stack(0.01, depth=8), practice.batchnorm_stack(1.0, depth=8)
    np.testing.assert_allclose(small[0], large[0], rtol=1e-2)
    assert small[1][-1] < 1e-6 < 1e6 < large[1][-1]
    res = practice.batchnorm_stack(math.sqrt(2 / 128), depth=8, residual=True)[0]
    assert np.all(np.diff(res) > 0)   # the skip path is not normalized: it grows


def test_reinit_after_loading():
    r = practice.reinit_after_loading(steps=150)
    assert r["load"] == r["trained"] < 0.5 * r["fresh"]
    assert r["load, then zero head"] == pytest.approx(math.log(3))
    assert r["load, then init all"] > 0.5 * r["fresh"]


def test_diagnose_cases_verdicts():
    assert practice.diagnose_case("healthy").healthy
    assert set(practice.diagnose_case("zeros").verdicts) == {"symmetric"}
    assert practice.diagnose_case("relu_negative_bias").verdicts[:4] == ["dead"] * 4
    assert set(practice.diagnose_case("tanh_std001").verdicts) == {"vanishing"}


def test_reproducibility():
    r = practice.reproducibility()
    assert r["same seed"] == 0.0 and r["other seed"] > 1 and r["other generator"] > 1
    assert 0 < r["sum order"] < 1e-3


def test_equivalents_cover_the_registry_and_name_the_right_variance_scaling():
    from weightinit.schemes import variance_scaling_triples

    names = [e.scheme for e in practice.EQUIVALENTS]
    assert set(names) | {"variance_scaling"} == set(wi.SCHEMES)
    vs = {name: (scale, mode, dist) for name, scale, mode, dist in variance_scaling_triples()}
    for e in practice.EQUIVALENTS:
        if e.scheme in vs and "variance_scaling" in (e.jax or ""):
            scale, mode, dist = vs[e.scheme]
            assert f'"{mode}"' in e.jax and f'"{dist}"' in e.jax, e


@pytest.mark.parametrize("call, match", [
    (lambda: practice.precision_loss(0.0), "std"),
    (lambda: practice.precision_loss(1.0, "float8"), "dtype"),
    (lambda: practice.batchnorm_stack(-1.0), "weight_std"),
    (lambda: practice.diagnose_case("broken"), "name"),
])
def test_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("bias_std", [0.0, 1.0])
def test_zero_last_layer_blocks_the_gradient_below_only_at_the_first_step(bias_std):
    weight, bias = practice.zero_last_layer_gradients(output_bias_std=bias_std)
    assert np.all(weight[0, :-1] == 0) and np.all(bias[0, :-1] == 0)
    assert weight[0, -1] > 0 and bias[0, -1] > 0
    assert np.all(weight[1] > 0) and np.all(bias[1] > 0)


def test_zero_last_layer_makes_the_loss_flat_in_the_layers_below():
    # Independent of backprop: with W_last = 0 the logits are the output bias for every
    # input, so moving a first-layer weight leaves the loss exactly where it was.
    rng = np.random.default_rng(0)
    net = wi.nn.MLP.build([8, 16, 16, 4], "relu", init="he_normal", rng=rng)
    net.layers[-1].W[:] = 0.0
    net.layers[-1].b = rng.standard_normal(4)
    x, y = rng.standard_normal((64, 8)), rng.integers(0, 4, 64)
    before = wi.nn.cross_entropy(net.predict(x), y)[0]
    net.layers[0].W[3, 5] += 0.5
    net.layers[1].b[2] -= 0.5
    assert wi.nn.cross_entropy(net.predict(x), y)[0] == before


def test_zero_last_layer_gradients_rejects_bad_arguments():
    with pytest.raises(ValueError, match="output_bias_std"):
        practice.zero_last_layer_gradients(output_bias_std=-1.0)
    with pytest.raises(ValueError, match="lr"):
        practice.zero_last_layer_gradients(lr=0.0)


def test_weight_gradient_ratio_shows_the_chaotic_phase_and_not_the_ordered_one():
    from weightinit.experiments import gradient_stats

    def stats(std):
        return gradient_stats(practice.fixed_normal(std), "tanh", widths=[256] * 20,
                              n_samples=256, rng=0)

    ordered, chaotic = stats(0.01), stats(1.0)
    glorot = gradient_stats("glorot_normal", "tanh", widths=[256] * 20, n_samples=256, rng=0)
    ratio = lambda s: s.weight_grad_norms[0] / s.weight_grad_norms[-1]
    assert ratio(chaotic) > 1e3
    # Ordered: the weight-gradient ratio looks healthy...
    assert 0.5 < ratio(ordered) < 2
    # ...but the back-propagated gradient collapses toward the input,
    dz = np.sqrt(ordered.backprop_grad_vars)
    assert dz[0] / dz[-1] < 1e-6
    # and every weight gradient is orders of magnitude below Glorot's.
    assert ordered.weight_grad_norms.max() < 1e-6 * glorot.weight_grad_norms.min()


def test_loss_not_moving_reports_the_loss_after_the_steps_its_header_names():
    from weightinit.experiments import training_curves
    from weightinit_site.tables import loss_not_moving

    # train() returns the loss before each update: entry k follows k updates.
    curves = training_curves({"std 0.01": "normal"}, steps=101, rng=0)
    header, _, *rows = loss_not_moving().splitlines()
    assert header.split("|")[3].strip() == "step 100"
    row = next(r for r in rows if r.startswith("| std 0.01 "))
    assert row.split("|")[3].strip() == f"{curves['std 0.01'][100]:.4f}"
