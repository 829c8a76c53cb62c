"""weightinit.meanfield: the quadrature against adaptive quadrature, closed forms and Monte Carlo;
the variance and correlation maps against the papers' fixed points and a finite network."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

import weightinit as wi
from weightinit import meanfield as mf
from weightinit_site import values

SEED = 0
QS = (1e-6, 1e-2, 1.0, 10.0, 1e4)


def adaptive(f, q):
    """E[f(u)], u ~ N(0, q), by scipy's adaptive quadrature, split at the kink 0 and at +-sqrt(q)."""
    s = math.sqrt(q)
    density = lambda u: math.exp(-u * u / (2 * q)) / math.sqrt(2 * math.pi * q)
    g = lambda u: float(f(np.float64(u))) * density(u)
    pieces = [(-40 * s, -s), (-s, 0.0), (0.0, s), (s, 40 * s)]
    return sum(integrate.quad(g, a, b, epsabs=0, epsrel=1e-13, limit=500)[0] for a, b in pieces)


# ----------------------------------------------------------------------- the quadrature


@pytest.mark.parametrize("name", mf.ACTIVATIONS)
@pytest.mark.parametrize("q", QS)
def test_quadrature_matches_adaptive_quadrature(name, q):
    phi = mf._resolve(name, None)
    dphi = mf._resolve(name, None, derivative=True)
    for f in (lambda u: phi(u) ** 2, lambda u: dphi(u) ** 2):
        assert float(mf.expect(f, q)) == pytest.approx(adaptive(f, q), rel=1e-10)


def test_gauss_hermite_would_not_do():
    # The claim in expect's docstring: 300 Gauss-Hermite nodes miss E[tanh'(u)^2] at q = 20
    # by 0.4%, where the split composite rule agrees with adaptive quadrature to 1e-10.
    x, w = np.polynomial.hermite_e.hermegauss(300)
    dtanh2 = lambda u: (1 - np.tanh(u) ** 2) ** 2
    hermite = dtanh2(math.sqrt(20) * x) @ w / math.sqrt(2 * math.pi)
    exact = adaptive(dtanh2, 20.0)
    assert round(abs(hermite / exact - 1), 3) == 0.004
    assert float(mf.expect(dtanh2, 20.0)) == pytest.approx(exact, rel=1e-10)


def test_quadrature_is_exact_for_gaussian_moments():
    # E[u^(2k)] = q^k (2k - 1)!!, polynomials times the density: only the cut at |z| = 12 errs.
    for k, double_factorial in ((1, 1), (2, 3), (3, 15), (4, 105)):
        for q in (0.5, 3.0):
            got = float(mf.expect(lambda u, k=k: u ** (2 * k), q))
            assert got == pytest.approx(q**k * double_factorial, rel=1e-13)


def test_closed_forms_and_quadrature_agree():
    assert wi.exact_gain("linear") == 1.0
    assert wi.exact_gain("relu") == math.sqrt(2.0)
    assert wi.exact_gain("leaky_relu") == math.sqrt(2 / (1 + 0.01**2))
    for q in QS:
        assert wi.second_moment("linear", q) == pytest.approx(q, rel=1e-12)
        assert wi.second_moment("relu", q) == pytest.approx(q / 2, rel=1e-12)
        for slope in (0.01, 0.2, -0.5):
            assert wi.exact_gain("leaky_relu", q, slope) == math.sqrt(2 / (1 + slope**2))
            m2 = wi.second_moment("leaky_relu", q, slope)
            assert m2 == pytest.approx(q * (1 + slope**2) / 2, rel=1e-12)


def test_gain_is_the_second_moment_rule_and_matches_torch_where_derived():
    # g^2 E[phi^2] = q: the weights' variance g^2 / fan_in brings the layer back to q.
    for name in mf.ACTIVATIONS:
        for q in (0.1, 1.0, 5.0):
            g = wi.exact_gain(name, q)
            assert float(wi.variance_map(q, g, 0.0, name)) == pytest.approx(q, rel=1e-12)
    # The gains derived by the gain rule coincide with weightinit.gain (PyTorch's table).
    for name in ("linear", "relu", "leaky_relu"):
        assert wi.exact_gain(name) == pytest.approx(wi.gain(name), rel=1e-15)


@pytest.mark.parametrize("name", mf.ACTIVATIONS)
@pytest.mark.parametrize("q", (1.0, 4.0))
def test_second_moment_matches_monte_carlo(name, q):
    n = 400_000
    u = math.sqrt(q) * np.random.default_rng(SEED).standard_normal(n)
    f2 = mf._resolve(name, None)(u) ** 2
    standard_error = f2.std() / math.sqrt(n)
    assert abs(f2.mean() - wi.second_moment(name, q)) < 5 * standard_error


def test_the_gains_the_pages_quote():
    # Issue #8: at unit variance GELU's gain is about 1.53 and SiLU's about 1.68, not He's sqrt(2).
    assert round(wi.exact_gain("gelu"), 2) == 1.53
    assert round(wi.exact_gain("silu"), 2) == 1.68
    assert round(wi.exact_gain("tanh"), 2) == 1.59
    # SELU's alpha and lambda make (mean 0, second moment 1) a fixed point (Klambauer et al.).
    assert wi.exact_gain("selu") == pytest.approx(1.0, abs=1e-8)
    assert float(mf.expect(mf._resolve("selu", None), 1.0)) == pytest.approx(0.0, abs=1e-8)
    # The tanh approximation of GELU differs from the exact form only in the fourth decimal.
    assert abs(wi.exact_gain("gelu_tanh") - wi.exact_gain("gelu")) < 1e-3
    # ELU's alpha is its param; alpha = 0 is relu.
    assert wi.exact_gain("elu", param=0.0) == pytest.approx(math.sqrt(2), rel=1e-12)


def test_callables_are_accepted():
    softsign = lambda u: u / (1 + np.abs(u))
    assert wi.second_moment(softsign) == pytest.approx(adaptive(lambda u: softsign(u) ** 2, 1.0), rel=1e-10)
    assert wi.exact_gain(np.tanh) == wi.exact_gain("tanh")


def test_bad_input():
    with pytest.raises(ValueError, match="nonlinearity must be one of 'linear', 'relu'.*'mish'"):
        wi.exact_gain("swish")
    with pytest.raises(TypeError, match="nonlinearity must be one of .* or a callable"):
        wi.exact_gain(3)
    for q in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="q must be a positive finite number"):
            wi.exact_gain("tanh", q)
    with pytest.raises(ValueError, match="param is only used by nonlinearity 'leaky_relu', 'elu'"):
        wi.exact_gain("tanh", param=0.1)
    with pytest.raises(ValueError, match="param is only used by"):
        wi.exact_gain("relu", param=0.1)
    with pytest.raises(ValueError, match="param must be finite"):
        wi.exact_gain("leaky_relu", param=math.nan)
    with pytest.raises(TypeError, match="param must be a real number"):
        wi.exact_gain("elu", param="1")
    with pytest.raises(ValueError, match="param applies to named activations only"):
        wi.exact_gain(np.tanh, param=1.0)
    with pytest.raises(ValueError, match="activation must be one of"):
        wi.variance_map(1.0, 1.0, 0.0, "sin")
    with pytest.raises(TypeError, match="needs phi'"):
        wi.chi_1(1.0, 0.0, np.tanh)
    with pytest.raises(ValueError, match="c must be in"):
        wi.correlation_map(1.5, 1.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="sigma_b must be finite and >= 0"):
        wi.critical_sigma_w(-0.1)


# ---------------------------------------------------------- LeCun et al.'s scaled tanh


def test_lecun_tanh_constants_and_variance():
    # Efficient BackProp (1998), Sec. 4.4: f(+-1) = +-1 ...
    assert float(mf.lecun_tanh(1.0)) == pytest.approx(1.0, abs=1e-5)
    assert float(mf.lecun_tanh(-1.0)) == pytest.approx(-1.0, abs=1e-5)
    # ... and |f''| is largest at +-1 (to the two digits of 2/3: at atanh(1/sqrt(3)) / (2/3)).
    # Central second differences (step 1e-3, error about 1e-7) on a grid of step 1e-4.
    x, h = np.linspace(0.0, 3.0, 30_001), 1e-3
    second = (mf.lecun_tanh(x + h) - 2 * mf.lecun_tanh(x) + mf.lecun_tanh(x - h)) / h**2
    x_max = x[np.argmax(np.abs(second))]
    assert x_max == pytest.approx(1.5 * math.atanh(1 / math.sqrt(3)), abs=2e-4)
    assert abs(x_max - 1) < 0.02
    assert values.lecun_tanh_curvature_peak() == f"{x_max:.3f}"
    # It does not keep unit variance under LeCun normal weights (sigma_w = 1, no bias).
    q1 = float(wi.variance_map(1.0, 1.0, 0.0, mf.lecun_tanh))
    assert q1 == pytest.approx(adaptive(lambda u: mf.lecun_tanh(u) ** 2, 1.0), rel=1e-10)
    assert q1 < 0.8
    q_star = float(wi.fixed_point(1.0, 0.0, mf.lecun_tanh))
    assert float(wi.variance_map(q_star, 1.0, 0.0, mf.lecun_tanh)) == pytest.approx(q_star, rel=1e-12)
    assert 0.3 < q_star < 0.5


# ------------------------------------------------------------- fixed points and chi_1


def test_selu_fixed_point_is_klambauer_s():
    for q0 in (0.1, 1.0, 4.0):
        assert float(wi.fixed_point(1.0, 0.0, "selu", q0=q0)) == pytest.approx(1.0, abs=1e-8)


def test_fixed_points_of_homogeneous_and_ordered_maps():
    # Under He's sigma_w^2 = 2 every q is a relu fixed point; below it q falls to 0.
    assert float(wi.fixed_point(math.sqrt(2), 0.0, "relu", q0=3.0)) == pytest.approx(3.0, rel=1e-12)
    assert float(wi.fixed_point(1.0, 0.0, "relu")) < 1e-100
    assert float(wi.fixed_point(0.5, 0.0)) < 1e-12
    # With a bias, the tanh fixed point solves q = sigma_w^2 E[tanh^2] + sigma_b^2.
    q = wi.fixed_point([1.2, 2.0], [0.3, 0.5])
    np.testing.assert_allclose(wi.variance_map(q, [1.2, 2.0], [0.3, 0.5]), q, rtol=1e-13)


def test_relu_mean_field_is_exact_at_he():
    # E[relu(sqrt(q) z)^2] = q / 2 and E[relu'^2] = 1 / 2: sigma_w^2 = 2 is critical for any q.
    assert float(wi.variance_map(3.0, math.sqrt(2), 0.0, "relu")) == pytest.approx(3.0, rel=1e-12)
    assert float(wi.chi_1(math.sqrt(2), 0.0, "relu", q=3.0)) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(wi.critical_sigma_w([0.0, 0.5, 1.0], "relu"), math.sqrt(2), rtol=1e-12)


def test_tanh_boundary_starts_at_sigma_w_one_and_rises_with_sigma_b():
    assert float(wi.critical_sigma_w(0.0)) == pytest.approx(1.0, abs=1e-6)
    sigma_b = np.array([0.1, 0.05**0.5, 0.3, 0.5, 1.0])
    sigma_w = wi.critical_sigma_w(sigma_b)
    assert np.all(np.diff(sigma_w) > 0)
    # Each point is on chi_1 = 1, with its own fixed point.
    np.testing.assert_allclose(wi.chi_1(sigma_w, sigma_b), 1.0, atol=1e-9)
    # sigma_b^2 = 0.05 (the value of Schoenholz et al.'s Fig. 1): about 1.33.
    assert round(float(sigma_w[1]), 2) == 1.33


def test_boundary_for_other_activations_is_where_chi_1_is_one_or_an_error():
    for name in ("sigmoid", "elu", "selu"):
        sigma_w = wi.critical_sigma_w(0.3, name)
        assert float(wi.chi_1(sigma_w, 0.3, name)) == pytest.approx(1.0, abs=1e-9)
    # GELU's critical point at sigma_b = 0.3 needs sigma_w^2 > 2, where its variance runs off.
    with pytest.raises(ValueError, match="does not reach"):
        wi.critical_sigma_w(0.3, "gelu")
    with pytest.raises(ValueError, match="no point of the 'softplus' critical line"):
        wi.critical_sigma_w(0.3, "softplus")


def test_edge_of_chaos_grid_and_line():
    diagram = wi.meanfield.edge_of_chaos()
    assert diagram.chi_1.shape == diagram.q_star.shape == (len(diagram.sigma_b), len(diagram.sigma_w))
    assert diagram.critical_sigma_w[0] == pytest.approx(1.0, abs=1e-3)
    assert diagram.critical_sigma_b[0] == pytest.approx(0.0, abs=1e-3)
    # Ordered below sigma_w = 1, chaotic above, on the sigma_b = 0 row.
    row = diagram.chi_1[diagram.sigma_b == 0][0]
    assert np.all(row[diagram.sigma_w < 0.95] < 1) and np.all(row[diagram.sigma_w > 1.05] > 1)
    inside = (diagram.critical_sigma_b > 0.1) & (diagram.critical_sigma_w < 4)
    assert inside.sum() > 10
    # The traced line is the one critical_sigma_w solves for, and chi_1 = 1 on it.
    np.testing.assert_allclose(wi.critical_sigma_w(diagram.critical_sigma_b[inside]),
                               diagram.critical_sigma_w[inside], rtol=1e-9)
    np.testing.assert_allclose(
        wi.chi_1(diagram.critical_sigma_w[inside], diagram.critical_sigma_b[inside]), 1.0, atol=1e-6
    )
    assert np.all(np.diff(diagram.critical_sigma_w) > 0)


# ------------------------------------------------------------------- correlation map


def test_relu_correlation_map_is_the_arc_cosine_kernel():
    # Cho and Saul (2009): E[relu(u1) relu(u2)] = q / (2 pi) (sqrt(1 - c^2) + (pi - acos c) c).
    for c in (-0.9, -0.3, 0.0, 0.3, 0.8, 0.99):
        expected = (math.sqrt(1 - c * c) + (math.pi - math.acos(c)) * c) / math.pi
        assert wi.correlation_map(c, 2.0, math.sqrt(2), 0.0, "relu") == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("sigma_w, sigma_b", [(0.9, 0.3), (1.5, 0.3), (2.5, 0.1)])
def test_correlation_map_at_one_is_fixed_with_slope_chi_1(sigma_w, sigma_b):
    q = float(wi.fixed_point(sigma_w, sigma_b))
    assert wi.correlation_map(1.0, q, sigma_w, sigma_b) == pytest.approx(1.0, rel=1e-12)
    # Poole et al. (2016, Eq. 7): the slope at c = 1 is chi_1. A one-sided difference of
    # step h errs by about h c''/2, well under 1e-4 here.
    h = 1e-5
    slope = (1 - wi.correlation_map(1 - h, q, sigma_w, sigma_b)) / h
    assert slope == pytest.approx(float(wi.chi_1(sigma_w, sigma_b)), rel=1e-4)


# ------------------------------------------------------------ theory against a network


@pytest.mark.parametrize("sigma_w, sigma_b", [(1.5, 0.3), (0.8, 0.3)])
def test_mean_field_matches_a_finite_network(sigma_w, sigma_b):
    check = mf.mean_field_check(sigma_w, sigma_b, rng=SEED)
    depth, width = 30, 500
    assert check.q_theory.shape == check.q_empirical.shape == (depth,)
    assert check.q_theory[0] == sigma_w**2 + sigma_b**2
    # Each layer's q has a relative error of order sqrt(2 / width) = 6%; averaging the
    # last 20 layers (after convergence) shrinks it by about sqrt(20). Allow 4 of those.
    tail = slice(10, None)
    rel = np.mean(check.q_empirical[tail]) / np.mean(check.q_theory[tail]) - 1
    assert abs(rel) < 4 * math.sqrt(2 / width / 20)
    assert check.chi_1_empirical == pytest.approx(check.chi_1_theory, rel=0.03)


@pytest.mark.parametrize("activation, sigma_w, sigma_b", [("selu", 1.0, 0.0), ("gelu", 1.2, 0.2)])
def test_fixed_point_matches_a_wide_deep_network(activation, sigma_w, sigma_b):
    # nn's gelu is the tanh form; mean_field_check maps it to gelu_tanh for the theory.
    width, depth = 500, 30
    check = mf.mean_field_check(sigma_w, sigma_b, activation, depth=depth, width=width, rng=SEED)
    theory = {"gelu": "gelu_tanh"}.get(activation, activation)
    q_star = float(wi.fixed_point(sigma_w, sigma_b, theory))
    # Layers 16-30, after convergence: relative standard error about sqrt(2 / width / 15).
    rel = np.mean(check.q_empirical[15:]) / q_star - 1
    assert abs(rel) < 4 * math.sqrt(2 / width / 15)


def test_quoted_values_are_the_library_s():
    assert values.gelu_gain() == f"{wi.exact_gain('gelu'):.2f}" == "1.53"
    assert values.silu_gain() == f"{wi.exact_gain('silu'):.2f}" == "1.68"
    # The scaled tanh: one step from q = 1 under LeCun normal, then its fixed point.
    assert float(values.lecun_tanh_unit_input()) == pytest.approx(
        adaptive(lambda u: mf.lecun_tanh(u) ** 2, 1.0), abs=5e-4)
    assert float(values.lecun_tanh_fixed_point()) < float(values.lecun_tanh_unit_input()) < 1
    # PyTorch's 5/3 lets tanh's variance settle above 1; chaotic either way (chi_1 > 1).
    assert float(values.tanh_fixed_point_at_five_thirds()) > 1
    assert float(values.tanh_chi_1_at_five_thirds()) > float(values.tanh_chi_1_at_exact_gain()) > 1
    # PyTorch's 3/4 for SELU collapses the variance far below Klambauer et al.'s q = 1.
    assert float(values.selu_fixed_point_at_three_quarters()) < 0.1
