"""The numbers quoted in prose: each is a string that matches an independent computation."""

from __future__ import annotations

import math
import re

import pytest

from weightinit_site import values


def number(text: str) -> float:
    return float(re.search(r"-?\d+(\.\d+)?", text.replace("$", "")).group())


@pytest.mark.parametrize("name", values.__all__)
def test_every_value_is_short_text(name):
    text = getattr(values, name)()
    assert isinstance(text, str) and 0 < len(text) < 40
    assert re.search(r"\d", text)


def test_tanh_saturation_and_growth():
    assert 80 <= number(values.random_large_tanh_saturated()) <= 95
    assert 10 <= number(values.random_large_tanh_grad_growth()) <= 14
    assert number(values.random_large_tanh_weight_grad_growth()) == pytest.approx(
        number(values.random_large_tanh_grad_growth()), abs=1
    )
    # tanh is linear near 0: n Var(w) = 500 * 1e-4.
    assert number(values.random_small_tanh_grad_growth()) == pytest.approx(0.05, rel=0.05)
    assert number(values.random_large_sigmoid_grad_growth()) > 1


def test_relu_both_passes_explode_and_weight_gradients_are_level():
    # n Var(w) / 2 = 250 per layer, forward and backward.
    assert number(values.random_large_relu_grad_growth()) == pytest.approx(250, rel=0.1)
    assert number(values.random_large_relu_act_growth()) == pytest.approx(250, rel=0.1)
    assert number(values.random_large_relu_weight_grad_growth()) == pytest.approx(1, abs=0.1)


def test_selu_unit_sums():
    # omega ~ N(0, 1) over 500 units: its std within 4 standard errors, 4 / sqrt(2 * 500).
    assert abs(number(values.selu_omega_std()) - 1) < 4 / math.sqrt(1000)
    lo, hi = (float(x) for x in re.findall(r"-?\d+\.\d+", values.selu_omega_range()))
    assert -2.5 < lo < -1.5 and 1.5 < hi < 2.5
    lo, hi = (float(x) for x in re.findall(r"-?\d+\.\d+", values.selu_tau_range()))
    assert lo < 1 < hi


def test_truncated_normal_values():
    # Var(Z | |Z| < 2) = 1 - 4 phi(2) / (Phi(2) - Phi(-2)), computed here with math only.
    phi2 = math.exp(-2) / math.sqrt(2 * math.pi)
    mass = math.erf(2 / math.sqrt(2))
    assert values.trunc_normal_std1_variance() == f"{1 - 4 * phi2 / mass:.3f}"
    assert values.trunc_normal_std1_variance() == "0.774"
    assert values.trunc_normal_small_std_cut() == "100"
    # The page says a draw beyond 100 standard deviations has a probability below float64's
    # smallest number: the mass kept rounds to exactly 1, and the std to exactly 1.
    from weightinit._sampling import normal_mass, truncated_moments

    assert normal_mass(-100.0, 100.0) == 1.0 and truncated_moments(-100.0, 100.0)[1] == 1.0
    outside = 1 - mass  # P(|Z| > 2)
    assert number(values.keras_torch_escape_per_million()) == pytest.approx(
        1e6 * outside**4, abs=0.05
    )


def test_three_std_cut_shrink():
    # Var(Z | |Z| < 3) = 1 - 6 phi(3) / (Phi(3) - Phi(-3)), with math only.
    phi3 = math.exp(-4.5) / math.sqrt(2 * math.pi)
    ratio = math.sqrt(1 - 6 * phi3 / math.erf(3 / math.sqrt(2)))
    assert values.llm_cut3_std_shrink() == f"{100 * (1 - ratio):.1f} %"


def test_small_init_emb_layer_norm_rms():
    # The same LayerNorm in NumPy: eps 1e-5 dominates a variance of 1e-8 / 3.
    import numpy as np

    x = np.random.default_rng(0).uniform(-1e-4, 1e-4, size=(64, 4096))
    x = x - x.mean(axis=1, keepdims=True)
    y = x / np.sqrt((x**2).mean(axis=1, keepdims=True) + 1e-5)
    rms = float(np.sqrt((y**2).mean()))
    assert values.small_init_emb_ln_rms() == f"{rms:.2g}"


def test_unit_cosines():
    assert number(values.dense_unit_cosine()) == pytest.approx(
        number(values.dense_unit_cosine_theory()), abs=0.002
    )
    p_disjoint = math.comb(784 - 15, 15) / math.comb(784, 15)
    assert number(values.sparse_disjoint_pairs()) == pytest.approx(100 * p_disjoint, abs=3)


def test_version_is_the_package_version():
    from importlib import metadata

    import weightinit

    assert values.version() == weightinit.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", values.version())
    # The installed metadata (pyproject's dynamic version) says the same.
    assert metadata.version("weightinit") == weightinit.__version__


def test_gelu_is_flat_far_on_its_negative_side():
    # A central difference of GELU itself, u Phi(u), at -5.
    gelu = lambda u: u * 0.5 * math.erfc(-u / math.sqrt(2))
    h = 1e-4
    slope = (gelu(-5 + h) - gelu(-5 - h)) / (2 * h)
    text = values.gelu_slope_at_minus_five()
    assert text.startswith(f"${slope:.1e}".split("e")[0]) and "10^{-6}" in text
    # far under the diagnostic's 1 % of GELU's peak slope (about 1.13)
    assert abs(slope) < 0.01 * 1.12
    # GELU's slope Phi(u) + u phi(u) is about -0.0119 at -3 and -0.0104 at -3.05: its size
    # crosses 1 % of the peak between the two.
    assert number(values.gelu_flat_below()) == pytest.approx(-3.0, abs=0.05)
