"""The initializers draw what the registry says: moments, bounds, distributions, structure.

Every random check uses a fixed seed and a tolerance derived from the sample size
(see the helpers below), so each can fail for a wrong scale, fan, truncation or
layout, and none fails by chance more than about once in a million runs.
"""

from __future__ import annotations

import inspect
import math
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import weightinit as wi
from weightinit._sampling import BLOCK
from weightinit import SCHEMES, compute_fans

# ------------------------------------------------------------------ tolerances

#: Standard errors allowed: a correct implementation fails one check with probability < 1e-6.
Z = 5.0
#: Significance level of the KS tests.
ALPHA = 1e-3
#: Probability allowed for "no sample came near the edge" although the edge is right.
EDGE_P = 1e-12
#: Fourth standardised moment E[(X - mu)^4] / sigma^4 of each distribution.
KURTOSIS = {"normal": 3.0, "uniform": 9.0 / 5.0}


def truncated_kurtosis(a: float, b: float) -> float:
    """Kurtosis (not excess) of N(0, 1) truncated to (a, b), from scipy."""
    return float(stats.truncnorm(a, b).stats(moments="k")) + 3.0


def mean_tolerance(variance: float, n: int) -> float:
    """Allowed |sample mean - mean| for ``n`` iid draws: ``Z`` standard errors sqrt(var / n)."""
    return Z * math.sqrt(variance / n)


def variance_tolerance(variance: float, kurtosis: float, n: int) -> float:
    """Allowed |sample variance - variance| for ``n`` iid draws.

    The sample variance of ``n`` iid draws has standard error sqrt((m4 - sigma^4) / n),
    where m4 = kurtosis * sigma^4 is the distribution's fourth central moment: the
    tolerance is ``Z * sigma^2 * sqrt((kurtosis - 1) / n)``. Estimating the mean from
    the same sample biases the variance by -sigma^2 / n, which is added.
    """
    return variance * (Z * math.sqrt((kurtosis - 1.0) / n) + 1.0 / n)


def edge_gap(n: int, density: float) -> float:
    """Distance from an edge within which ``n`` draws land with probability ``1 - EDGE_P``.

    With density ``f`` at the edge, no draw falls within ``d`` of it with probability
    (1 - f d)^n <= exp(-n f d); solving exp(-n f d) = EDGE_P gives d = -log(EDGE_P) / (n f).
    """
    return -math.log(EDGE_P) / (n * density)


def assert_moments(w: np.ndarray, mean: float, variance: float, kurtosis: float) -> None:
    """Sample mean and variance of ``w`` (computed in float64) within the tolerances above."""
    x = np.asarray(w, dtype=np.float64).ravel()
    assert abs(x.mean() - mean) <= mean_tolerance(variance, x.size), (x.mean(), mean)
    assert abs(x.var() - variance) <= variance_tolerance(variance, kurtosis, x.size), (x.var(), variance)


# ------------------------------------------------------------------- the cases

#: Schemes that need no fans: their functions take no in_axis/out_axis.
FAN_FREE = {name for name, s in SCHEMES.items() if "in_axis" not in inspect.signature(s.function).parameters}
#: Schemes without randomness.
DETERMINISTIC = {name for name, s in SCHEMES.items() if s.distribution in ("constant", "identity")}
RANDOM = sorted(set(SCHEMES) - DETERMINISTIC)
FLOATS = (np.float16, np.float32, np.float64)

#: Parameters tried besides the defaults; every scheme not listed runs with its defaults only.
PARAM_CASES = {
    "constant": [{"value": 2.5}],
    "normal": [{}, {"std": 0.5, "mean": 1.0}],
    "uniform": [{}, {"low": -1.0, "high": 3.0}],
    "truncated_normal": [
        {},
        {"std": 0.5, "mean": 1.0, "a": -1.0, "b": 3.0},
        {"std": 1.0, "a": 3.0, "b": 5.0},
        {"std": 1.0, "a": -5.0, "b": -3.0},
        {"std": 1.0, "a": 0.5, "b": 0.6},
        {"std": 1.0, "a": 8.0, "b": 9.0},
    ],
    "variance_scaling": [
        {"scale": 2.0, "mode": mode, "distribution": dist} for mode in wi.MODES for dist in wi.DISTRIBUTIONS
    ],
    "glorot_normal": [{}, {"gain": 5 / 3}],
    "glorot_uniform": [{}, {"gain": 5 / 3}],
    "he_normal": [{}, {"mode": "fan_out"}, {"mode": "fan_avg", "negative_slope": 0.2}],
    "he_uniform": [{}, {"mode": "fan_out"}, {"mode": "fan_avg", "negative_slope": 0.2}],
    "orthogonal": [{}, {"gain": 2.0}],
    "identity": [{}, {"gain": 3.0}],
    "sparse": [{}, {"sparsity": 0.5, "std": 1.0}, {"sparsity": 0.0, "std": 1.0}],
}

#: (shape, layout) pairs: dense and conv, in the x @ W layout and in PyTorch's.
DEFAULT, TORCH = {}, {"in_axis": 1, "out_axis": 0}
SHAPES = [
    ("dense", (300, 200), DEFAULT),
    ("dense-torch", (200, 300), TORCH),
    ("conv", (3, 3, 32, 48), DEFAULT),
    ("conv-torch", (48, 32, 3, 3), TORCH),
]


def params_of(name: str, override: dict) -> dict:
    return {**SCHEMES[name].params, **override}


def draw(name: str, shape, layout: dict, params: dict, **kw) -> np.ndarray:
    """Call a scheme's initializer, passing the layout only to those that take one."""
    extra = {} if name in FAN_FREE else layout
    return SCHEMES[name].function(shape, **params, **extra, **kw)


def matrix_view(w: np.ndarray, out_axis: int) -> np.ndarray:
    """One column per output unit: the view orthogonal and sparse work on."""
    return np.moveaxis(w, out_axis, -1).reshape(-1, w.shape[out_axis])


def moment_cases():
    for name, scheme in SCHEMES.items():
        for override in PARAM_CASES.get(name, [{}]):
            label = ",".join(f"{k}={v}" for k, v in override.items()) or "defaults"
            shapes = SHAPES[:1] if name in FAN_FREE else SHAPES
            for shape_id, shape, layout in shapes:
                yield pytest.param(name, override, shape, layout, id=f"{name}-{label}-{shape_id}")


def test_param_cases_name_registered_schemes():
    assert set(PARAM_CASES) <= set(SCHEMES)
    for name, cases in PARAM_CASES.items():
        for case in cases:
            assert set(case) <= set(SCHEMES[name].params), (name, case)


# ---------------------------------------------------------------------- moments


@pytest.mark.parametrize(("name", "override", "shape", "layout"), list(moment_cases()))
def test_moments_match_registry(name, override, shape, layout):
    """Sample mean and variance equal ``scheme.mean`` and ``scheme.variance`` at the weight's fans."""
    scheme = SCHEMES[name]
    params = params_of(name, override)
    w = draw(name, shape, layout, params, rng=20240601)
    fan_in, fan_out = compute_fans(w.shape, **layout) if name not in FAN_FREE else w.shape
    mean = scheme.mean(fan_in, fan_out, **params)
    variance = scheme.variance(fan_in, fan_out, **params)
    dist = params.get("distribution", scheme.distribution) if name == "variance_scaling" else scheme.distribution
    assert w.shape == shape and w.dtype == np.float64
    if dist == "constant":
        assert variance == 0.0
        assert np.all(w == mean)
    elif dist == "identity":
        # Deterministic: the registry's formulas are exact, for conv kernels too.
        assert w.mean() == pytest.approx(mean, rel=1e-12)
        assert w.var() == pytest.approx(variance, rel=1e-12)
    elif dist == "orthogonal":
        # The mean square is exact: g^2 min(r, c) / (r c) on the matrix view.
        rows, cols = matrix_view(w, layout.get("out_axis", -1)).shape
        assert np.mean(w**2) == pytest.approx(scheme.variance(rows, cols, **params), rel=1e-12)
        if w.ndim == 2:
            assert (rows, cols) == (fan_in, fan_out)
            assert np.mean(w**2) == pytest.approx(variance, rel=1e-12)
        assert abs(w.mean()) <= mean_tolerance(variance, w.size)
    elif dist == "sparse":
        # A weight is nonzero with probability q and then N(0, std^2): kurtosis 3 / q.
        q = variance / params["std"] ** 2
        assert_moments(w, mean, variance, 3.0 / q)
    elif dist == "truncated_normal":
        a, b = (params["a"], params["b"]) if name == "truncated_normal" else (-2.0, 2.0)
        assert_moments(w, mean, variance, truncated_kurtosis(a, b))
    else:
        assert_moments(w, mean, variance, KURTOSIS[dist])


def test_variance_scaling_modes_use_the_named_fan():
    """fan_geo_avg and fan_avg differ from fan_in and fan_out by known factors."""
    shape = (800, 50)
    for mode, n in [("fan_in", 800), ("fan_out", 50), ("fan_avg", 425), ("fan_geo_avg", 200)]:
        assert wi.select_fan(mode, *shape) == n
        w = wi.variance_scaling(shape, 3.0, mode, rng=7)
        assert_moments(w, 0.0, 3.0 / n, 3.0)


# ------------------------------------------------------------------------ bounds


UNIFORM_WITH_BOUND = [name for name, s in SCHEMES.items() if s.bound_tex is not None]


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(("shape_id", "shape", "layout"), SHAPES, ids=[s[0] for s in SHAPES])
@pytest.mark.parametrize("name", UNIFORM_WITH_BOUND)
def test_uniform_bounds_are_exact(name, shape_id, shape, layout, dtype):
    """Every |w| is within ``scheme.bound`` and the largest gets as close as n draws must."""
    w = draw(name, shape, layout, {}, rng=3, dtype=dtype)
    fan_in, fan_out = compute_fans(shape, **layout)
    bound = SCHEMES[name].bound(fan_in, fan_out)
    top = np.abs(w.astype(np.float64)).max()
    # The library rounds the bound toward zero in the output dtype; the registry
    # evaluates the same real number by another float64 expression (a few ulps apart).
    assert top <= bound * (1 + 4 * np.finfo(np.float64).eps)
    t = -math.log(EDGE_P) / w.size  # P(max |w| < (1 - t) bound) = (1 - t)^n <= EDGE_P
    assert top >= bound * (1 - t - 2 * np.finfo(dtype).eps)


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("mode", wi.MODES)
def test_variance_scaling_uniform_bound(mode, dtype):
    w = wi.variance_scaling((40, 3, 250), 0.7, mode, "uniform", in_axis=0, out_axis=1, rng=5, dtype=dtype)
    fan_in, fan_out = compute_fans(w.shape, 0, 1)
    bound = math.sqrt(3 * 0.7 / wi.select_fan(mode, fan_in, fan_out))
    top = np.abs(w.astype(np.float64)).max()
    assert top <= bound * (1 + 4 * np.finfo(np.float64).eps)
    assert top >= bound * (1 + math.log(EDGE_P) / w.size - 2 * np.finfo(dtype).eps)


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("bit_generator", [np.random.PCG64, np.random.MT19937, np.random.SFC64])
def test_uniform_bounds_hold_for_every_bit_generator(bit_generator, dtype):
    """The fast path reads raw 64-bit words; MT19937's carry 32 bits and take the other path."""
    rng = np.random.Generator(bit_generator(11))
    w = wi.glorot_uniform((500, 300), rng=rng, dtype=dtype).astype(np.float64)
    bound = SCHEMES["glorot_uniform"].bound(500, 300)
    assert np.abs(w).max() <= bound * (1 + 4 * np.finfo(np.float64).eps)
    assert_moments(w, 0.0, bound**2 / 3, KURTOSIS["uniform"])
    assert stats.kstest(w.ravel(), stats.uniform(-bound, 2 * bound).cdf).pvalue > ALPHA


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(("low", "high"), [(-0.3, 0.7), (1e-3, 2e-3), (-5.0, -4.9)])
def test_plain_uniform_is_half_open(low, high, dtype):
    w = wi.uniform((400, 250), low, high, rng=2, dtype=dtype).astype(np.float64)
    assert low <= w.min() and w.max() < high
    slack = edge_gap(w.size, 1 / (high - low)) + 2 * np.finfo(dtype).eps * max(abs(low), abs(high))
    assert w.min() <= low + slack and w.max() >= high - slack


#: (std, mean, a, b) of truncated_normal: symmetric, shifted, one-sided tails, narrow, far tail.
TRUNCATIONS = [
    (1.0, 0.0, -2.0, 2.0),
    (0.02, 0.0, -2.0, 2.0),
    (0.5, 1.0, -1.0, 0.2),
    (1.0, 0.0, 3.0, 5.0),
    (2.0, -1.0, -5.0, -3.0),
    (1.0, 0.0, 0.5, 0.6),
    (0.02, 0.0, -0.01, 0.01),
    (1.0, 0.0, 8.0, 9.0),
]


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(("std", "mean", "a", "b"), TRUNCATIONS)
def test_truncated_normal_lies_strictly_inside(std, mean, a, b, dtype):
    w = wi.truncated_normal((300, 200), std, mean, a, b, rng=4, dtype=dtype).astype(np.float64)
    lo, hi = mean + a * std, mean + b * std
    assert lo < w.min() and w.max() < hi
    # Both ends are reached as closely as n draws must (the density at an end is phi(end) / mass).
    mass = stats.norm.cdf(b) - stats.norm.cdf(a) if b <= 0 else stats.norm.sf(a) - stats.norm.sf(b)
    ulps = 2 * np.finfo(dtype).eps * max(abs(lo), abs(hi))
    assert w.min() <= lo + std * edge_gap(w.size, stats.norm.pdf(a) / mass) + ulps
    assert w.max() >= hi - std * edge_gap(w.size, stats.norm.pdf(b) / mass) - ulps


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(("shape_id", "shape", "layout"), SHAPES, ids=[s[0] for s in SHAPES])
def test_variance_scaling_truncated_lies_strictly_inside_two_sigma(shape_id, shape, layout, dtype):
    fan_in, _ = compute_fans(shape, **layout)
    w = wi.variance_scaling(shape, 2.0, distribution="truncated_normal", **layout, rng=8, dtype=dtype)
    cut = 2 * math.sqrt(2.0 / fan_in) / wi.TRUNCATED_STD
    top = np.abs(w.astype(np.float64)).max()
    assert top < cut
    density = stats.norm.pdf(2) / (2 * stats.norm.cdf(2) - 1)  # per unit of the parent's std, at each end
    parent = cut / 2
    assert top >= cut - parent * edge_gap(w.size, 2 * density) - 2 * np.finfo(dtype).eps * cut


def test_truncated_std_constant():
    assert wi.TRUNCATED_STD == pytest.approx(stats.truncnorm(-2, 2).std(), rel=4e-16)
    assert wi.TRUNCATED_STD == pytest.approx(0.87962566103423978, rel=4e-16)


@pytest.mark.parametrize(
    ("a", "b", "rel"),
    [(-2, 2, 1e-15), (3, 5, 1e-13), (-5, -3, 1e-13), (-1, 0.2, 1e-14), (0.5, 0.6, 1e-11), (8, 9, 1e-10), (-9, -8, 1e-10), (20, 21, 1e-8)],
)
def test_truncated_moments_match_scipy(a, b, rel):
    """The registry's mean and variance of truncated_normal, including far tails where erf would cancel.

    The closed form subtracts numbers of size a^2 to get a variance near 1/a^2, so
    its relative precision degrades like a^4 * 1e-16 in the far tails.
    """
    s = SCHEMES["truncated_normal"]
    ref = stats.truncnorm(a, b, loc=0.5, scale=2.0)
    assert s.mean(1, 1, std=2.0, mean=0.5, a=a, b=b) == pytest.approx(ref.mean(), rel=1e-13)
    assert s.variance(1, 1, std=2.0, mean=0.5, a=a, b=b) == pytest.approx(ref.var(), rel=rel)


def test_truncated_moments_far_beyond_float64():
    with pytest.raises(ValueError, match="too little probability"):
        SCHEMES["truncated_normal"].variance(1, 1, std=1.0, mean=0.0, a=40.0, b=41.0)


# --------------------------------------------------------------------- KS tests


def ks_cases():
    """(id, draw, target cdf) for every random distribution against its exact target."""
    n_shape = (250, 160)
    fan_in, fan_out = n_shape
    for name in RANDOM:
        scheme = SCHEMES[name]
        for override in PARAM_CASES.get(name, [{}]):
            params = params_of(name, override)
            dist = params.get("distribution", scheme.distribution) if name == "variance_scaling" else scheme.distribution
            var = scheme.variance(fan_in, fan_out, **params)
            mean = scheme.mean(fan_in, fan_out, **params)
            if dist == "normal":
                target = stats.norm(mean, math.sqrt(var))
            elif dist == "uniform":
                half = math.sqrt(3 * var)
                target = stats.uniform(mean - half, 2 * half)
            elif dist == "truncated_normal" and name == "truncated_normal":
                target = stats.truncnorm(params["a"], params["b"], loc=params["mean"], scale=params["std"])
            elif dist == "truncated_normal":
                target = stats.truncnorm(-2, 2, scale=math.sqrt(var) / wi.TRUNCATED_STD)
            else:
                continue  # orthogonal, sparse: tested on their structure below
            label = ",".join(f"{k}={v}" for k, v in override.items()) or "defaults"
            for dtype in (np.float64, np.float32):
                yield pytest.param(name, params, dtype, target.cdf, id=f"{name}-{label}-{np.dtype(dtype).name}")


@pytest.mark.parametrize(("name", "params", "dtype", "cdf"), list(ks_cases()))
def test_ks_against_target(name, params, dtype, cdf):
    w = draw(name, (250, 160), {}, params, rng=99, dtype=dtype)
    assert stats.kstest(w.astype(np.float64).ravel(), cdf).pvalue > ALPHA


def test_ks_sparse_nonzeros_are_normal():
    w = wi.sparse((400, 300), sparsity=0.75, std=0.3, rng=1)
    assert stats.kstest(w[w != 0], stats.norm(0, 0.3).cdf).pvalue > ALPHA


# ------------------------------------------------------------------- orthogonal


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(
    ("shape", "layout"),
    [
        ((300, 200), DEFAULT),  # tall
        ((200, 300), DEFAULT),  # wide
        ((3, 3, 16, 32), DEFAULT),  # conv, tall matrix view (144, 32)
        ((1, 1, 16, 64), DEFAULT),  # conv, wide matrix view (16, 64)
        ((32, 16, 3, 3), TORCH),  # PyTorch conv layout
        ((64, 16, 1), TORCH),  # PyTorch conv1d, wide
        ((5, 40, 7), {"in_axis": 1, "out_axis": 0}),  # odd layout
    ],
    ids=str,
)
@pytest.mark.parametrize("gain", [1.0, 2.5])
def test_orthogonal_is_orthogonal(shape, layout, gain, dtype):
    w = wi.orthogonal(shape, gain, **layout, rng=12, dtype=dtype)
    assert w.shape == shape and w.dtype == dtype
    m = matrix_view(w, layout.get("out_axis", -1)).astype(np.float64)
    rows, cols = m.shape
    gram = m.T @ m if rows >= cols else m @ m.T
    atol = {np.float16: 3e-2, np.float32: 1e-5, np.float64: 1e-12}[dtype] * gain**2
    np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), atol=atol)


def test_orthogonal_is_haar():
    """With the sign fix E[Q_00] = 0; without it LAPACK's Householder QR makes Q_00 < 0 always."""
    rng = np.random.default_rng(5)
    q00 = np.array([wi.orthogonal((3, 3), rng=rng)[0, 0] for _ in range(2000)])
    # Q_00 of a Haar n x n orthogonal matrix has mean 0, variance 1/n and E[Q_00^4] = 3/(n(n+2)).
    assert abs(q00.mean()) <= mean_tolerance(1 / 3, q00.size)
    assert abs(q00.var() - 1 / 3) <= variance_tolerance(1 / 3, (3 / 15) / (1 / 3) ** 2, q00.size)


def test_orthogonal_columns_are_not_all_alike():
    w = wi.orthogonal((64, 64), rng=0)
    assert not np.allclose(np.abs(w), np.abs(w[:, :1]))


# --------------------------------------------------------------------- identity


@pytest.mark.parametrize(("n_in", "n_out"), [(4, 4), (3, 5), (5, 3)])
def test_identity_dense_is_eye(n_in, n_out):
    np.testing.assert_array_equal(wi.identity((n_in, n_out), 2.0), 2.0 * np.eye(n_in, n_out))
    np.testing.assert_array_equal(wi.identity((n_out, n_in), **TORCH), np.eye(n_out, n_in))


@pytest.mark.parametrize("kernel", [(3,), (5,), (3, 3), (4, 4), (3, 5), (3, 3, 3)], ids=str)
@pytest.mark.parametrize(("c_in", "c_out"), [(4, 4), (3, 6), (6, 3)])
def test_identity_conv_is_centre_dirac(kernel, c_in, c_out):
    w = wi.identity((*kernel, c_in, c_out), 1.5)
    centre = tuple(k // 2 for k in kernel)
    expected = np.zeros_like(w)
    for i in range(min(c_in, c_out)):
        expected[(*centre, i, i)] = 1.5
    np.testing.assert_array_equal(w, expected)
    torch_layout = wi.identity((c_out, c_in, *kernel), 1.5, **TORCH)
    np.testing.assert_array_equal(torch_layout, np.moveaxis(expected, (-1, -2), (0, 1)))


def same_conv2d(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Cross-correlation with "same" zero padding: x (H, W, C_in), kernel (kh, kw, C_in, C_out), odd sizes."""
    kh, kw = kernel.shape[:2]
    padded = np.pad(x, ((kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(0, 1))  # (H, W, C, kh, kw)
    return np.einsum("hwcyx,yxco->hwo", windows, kernel)


@pytest.mark.parametrize("kernel", [(1, 1), (3, 3), (5, 3)], ids=str)
def test_identity_conv_copies_its_input(kernel):
    x = np.random.default_rng(0).standard_normal((7, 9, 4))
    y = same_conv2d(x, wi.identity((*kernel, 4, 6)))
    np.testing.assert_allclose(y[..., :4], x, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(y[..., 4:], 0.0)


# ----------------------------------------------------------------------- sparse


@pytest.mark.parametrize("sparsity", [0.0, 0.1, 0.5, 0.9, 0.999])
@pytest.mark.parametrize(
    ("shape", "layout"), [((100, 30), DEFAULT), ((30, 100), TORCH), ((3, 3, 8, 20), DEFAULT), ((20, 8, 3, 3), TORCH)], ids=str
)
def test_sparse_zero_count_per_unit(shape, layout, sparsity):
    w = wi.sparse(shape, sparsity, 1.0, **layout, rng=6)
    m = matrix_view(w, layout.get("out_axis", -1))
    rows = m.shape[0]
    assert rows == compute_fans(shape, **layout)[0]
    np.testing.assert_array_equal(np.count_nonzero(m == 0, axis=0), wi.initializers.n_zero(sparsity, rows))


@pytest.mark.parametrize("rows", [10, 17, 22, 26, 43, 100, 4999])
def test_sparse_keeps_exactly_the_requested_count_despite_float_noise(rows):
    """sparsity = 1 - k/rows must keep exactly k weights per unit, for any rows."""
    for keep in (1, 3, 7):
        if keep < rows:
            w = wi.sparse((rows, 4), 1 - keep / rows, 1.0, rng=0)
            np.testing.assert_array_equal(np.count_nonzero(w, axis=0), keep)


def test_sparse_zero_sets_are_uniform_and_independent():
    """Each row is zeroed in a fraction ``sparsity`` of the units; units differ."""
    rows, cols, sparsity = 50, 4000, 0.6
    zero = wi.sparse((rows, cols), sparsity, rng=10) == 0
    per_row = zero.mean(axis=1)
    q = wi.initializers.n_zero(sparsity, rows) / rows
    # Each column's zero set is a uniform subset: a row is in it with probability q.
    assert np.all(np.abs(per_row - q) <= Z * math.sqrt(q * (1 - q) / cols))
    assert len({col.tobytes() for col in zero.T}) > cols - 5


# ------------------------------------------------------------- property-based


@st.composite
def shapes_and_axes(draw_, min_dims=2):
    ndim = draw_(st.integers(min_dims, 4))
    shape = tuple(draw_(st.lists(st.integers(0, 6), min_size=ndim, max_size=ndim)))
    in_axis = draw_(st.integers(-ndim, ndim - 1))
    out_axis = draw_(st.integers(-ndim, ndim - 1).filter(lambda a: a % ndim != in_axis % ndim))
    return shape, in_axis, out_axis


PROPERTY_SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)


@PROPERTY_SETTINGS
@given(case=shapes_and_axes(), dtype=st.sampled_from(FLOATS))
@pytest.mark.parametrize("name", sorted(set(SCHEMES) - FAN_FREE))
def test_property_fan_schemes(name, case, dtype):
    """Any shape and layout: right shape and dtype, finite, deterministic, silent; empty when zero-size."""
    shape, in_axis, out_axis = case
    f = SCHEMES[name].function
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = f(shape, in_axis=in_axis, out_axis=out_axis, rng=1, dtype=dtype)
        again = f(shape, in_axis=in_axis, out_axis=out_axis, rng=1, dtype=dtype)
    assert isinstance(w, np.ndarray) and w.shape == shape and w.dtype == dtype
    assert np.all(np.isfinite(w))
    np.testing.assert_array_equal(w, again)
    if 0 in shape:
        assert w.size == 0
    fan_in, fan_out = compute_fans(shape, in_axis, out_axis)
    if SCHEMES[name].bound_tex is not None and w.size:
        bound = SCHEMES[name].bound(fan_in, fan_out)
        assert np.abs(w.astype(np.float64)).max() <= bound * (1 + 4 * np.finfo(np.float64).eps)


@PROPERTY_SETTINGS
@given(case=shapes_and_axes())
def test_property_compute_fans(case):
    shape, in_axis, out_axis = case
    fan_in, fan_out = compute_fans(shape, in_axis, out_axis)
    ndim = len(shape)
    i, o = in_axis % ndim, out_axis % ndim
    receptive = math.prod(d for k, d in enumerate(shape) if k not in (i, o))
    assert (fan_in, fan_out) == (shape[i] * receptive, shape[o] * receptive)
    # The same weight moved to the default (..., in, out) layout has the same fans.
    assert compute_fans(np.moveaxis(np.empty(shape), (i, o), (-2, -1)).shape) == (fan_in, fan_out)
    # PyTorch's rule on its (out, in, *k) layout agrees.
    torch_shape = np.moveaxis(np.empty(shape), (o, i), (0, 1)).shape
    rf = math.prod(torch_shape[2:])
    assert (torch_shape[1] * rf, torch_shape[0] * rf) == (fan_in, fan_out)


@PROPERTY_SETTINGS
@given(shape=st.lists(st.integers(0, 6), max_size=3).map(tuple), dtype=st.sampled_from(FLOATS))
@pytest.mark.parametrize("name", sorted(FAN_FREE))
def test_property_fan_free_schemes(name, shape, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = SCHEMES[name].function(shape, rng=2, dtype=dtype)
        again = SCHEMES[name].function(shape, rng=2, dtype=dtype)
    assert isinstance(w, np.ndarray) and w.shape == shape and w.dtype == dtype
    assert np.all(np.isfinite(w))
    np.testing.assert_array_equal(w, again)


@pytest.mark.parametrize("name", sorted(SCHEMES))
@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0), (3, 0, 4, 4), (0, 3, 4, 4)], ids=str)
def test_zero_size_returns_empty(name, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = SCHEMES[name].function(shape, rng=0)
    assert w.shape == shape and w.size == 0 and w.dtype == np.float64


# ------------------------------------------------------------------ determinism


@pytest.mark.parametrize("name", RANDOM)
def test_determinism(name):
    f = SCHEMES[name].function
    shape = (40, 30)
    np.testing.assert_array_equal(f(shape, rng=123), f(shape, rng=123))
    assert not np.array_equal(f(shape, rng=123), f(shape, rng=124))
    gen = np.random.default_rng(123)
    first, second = f(shape, rng=gen), f(shape, rng=gen)
    np.testing.assert_array_equal(first, f(shape, rng=np.random.default_rng(123)))
    assert not np.array_equal(first, second), "the Generator must be advanced"
    assert not np.array_equal(f(shape), f(shape)), "rng=None draws fresh entropy"


@pytest.mark.parametrize("name", sorted(DETERMINISTIC))
def test_deterministic_schemes_ignore_rng(name):
    f = SCHEMES[name].function
    np.testing.assert_array_equal(f((4, 5), rng=1), f((4, 5), rng=2))


# ------------------------------------------------------------------------ dtype


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, "float32", np.dtype("f8")], ids=str)
@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_dtype_is_honoured(name, dtype):
    w = SCHEMES[name].function((3, 3, 4, 5), rng=0, dtype=dtype)
    assert w.dtype == np.dtype(dtype)


#: Schemes whose float32 peak memory stays within 1.25x the array: all but the QR-based one.
MEMORY_BOUNDED = sorted(set(SCHEMES) - {"orthogonal"})


@pytest.mark.parametrize("dtype", [np.float32, np.float16], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", MEMORY_BOUNDED)
def test_no_large_temporaries(name, dtype):
    """Peak traced memory below 1.25x the result: no float64 (or float32, for float16) copy."""
    shape = (2048, 2048)
    SCHEMES[name].function((8, 8), rng=0, dtype=dtype)  # warm up imports and caches
    tracemalloc.start()
    try:
        w = SCHEMES[name].function(shape, rng=0, dtype=dtype)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert w.dtype == dtype
    assert peak < 1.25 * w.nbytes, f"peak {peak / w.nbytes:.2f}x the array"


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(
    ("shape", "layout", "copies"),
    [
        ((1024, 1024), {}, 2),  # the draw, then the result copied to C order
        ((1024, 256), {}, 2),
        ((256, 1024), {}, 1),  # the transpose of the draw is the result
        ((256, 64, 3, 3), {"in_axis": 1, "out_axis": 0}, 2),
    ],
    ids=str,
)
def test_orthogonal_memory_is_the_draw_and_at_most_one_copy(shape, layout, copies, dtype):
    """The QR runs in place in the output's dtype: no float64 copy for float32, no Q beside the draw.

    tracemalloc sees NumPy's arrays (the draw, tau, LAPACK's workspace, the result); LAPACK
    allocates nothing else for geqrf and orgqr. ``make bench`` measures resident memory."""
    tracemalloc.start()
    try:
        w = wi.orthogonal(shape, rng=0, dtype=dtype, **layout)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert w.dtype == dtype
    # Besides: a scratch block for the draw, LAPACK's workspace (64 n), tau and R's diagonal.
    n = min(w.size // w.shape[layout.get("out_axis", -1)], w.shape[layout.get("out_axis", -1)])
    small = (BLOCK + 66 * n) * w.itemsize
    assert peak <= copies * w.nbytes + small, f"peak {peak / w.nbytes:.2f}x the array"


def test_orthogonal_float64_draw_is_the_c_order_gaussian():
    """The Fortran-ordered draw is filled in C order: its Q is numpy.linalg.qr's of the same draw."""
    q, r = np.linalg.qr(np.random.default_rng(4).standard_normal((300, 120)))
    expected = q * np.sign(np.diag(r))
    np.testing.assert_allclose(wi.orthogonal((300, 120), rng=4), expected, atol=1e-12)
    np.testing.assert_allclose(wi.orthogonal((120, 300), rng=4), expected.T, atol=1e-12)


def test_float32_draws_match_float32_generator():
    """float32 comes straight from NumPy's float32 path (no float64 draw rounded down)."""
    w = wi.he_normal((64, 32), rng=0, dtype=np.float32)
    z = np.random.default_rng(0).standard_normal((64, 32), dtype=np.float32)
    np.testing.assert_array_equal(w, z * np.float32(math.sqrt(2 / 64)))


# ----------------------------------------------------------------------- errors

SHAPED = sorted(set(SCHEMES) - FAN_FREE)


@pytest.mark.parametrize("name", SHAPED)
@pytest.mark.parametrize("shape", [(5,), (), 7], ids=str)
def test_fans_need_two_dims(name, shape):
    with pytest.raises(ValueError, match=r"shape must have at least 2 dimensions"):
        SCHEMES[name].function(shape)


def test_compute_fans_needs_two_dims():
    with pytest.raises(ValueError, match=r"shape must have at least 2 dimensions"):
        compute_fans((4,))


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_bad_dims(name):
    f = SCHEMES[name].function
    with pytest.raises(ValueError, match=r"shape must contain non-negative ints; got -1"):
        f((3, -1))
    for bad in [(3, 2.0), (3, True), (3, "4"), "34", None, 2.5]:
        with pytest.raises(TypeError, match=r"shape must"):
            f(bad)


@pytest.mark.parametrize(
    ("call", "argument", "allowed"),
    [
        (lambda: wi.variance_scaling((3, 4), mode="fan_max"), "mode", wi.MODES),
        (lambda: wi.he_normal((3, 4), mode="in"), "mode", wi.MODES),
        (lambda: wi.he_uniform((3, 4), mode=None), "mode", wi.MODES),
        (lambda: wi.variance_scaling((3, 4), distribution="gaussian"), "distribution", wi.DISTRIBUTIONS),
        (lambda: wi.gain("swish"), "nonlinearity", wi.NONLINEARITIES),
        (lambda: wi.get("kaiming"), "name", ("he_normal", "kaiming_normal", "xavier_uniform")),
    ],
    ids=["vs-mode", "he-mode", "he-mode-none", "distribution", "nonlinearity", "get"],
)
def test_unknown_choice_lists_valid_ones(call, argument, allowed):
    with pytest.raises(ValueError, match=rf"^{argument} must be one of") as info:
        call()
    for option in allowed:
        assert repr(option) in str(info.value)


POSITIVE = [
    ("scale", lambda v: wi.variance_scaling((3, 4), scale=v)),
    ("std", lambda v: wi.normal((3, 4), std=v)),
    ("std", lambda v: wi.truncated_normal((3, 4), std=v)),
    ("std", lambda v: wi.sparse((3, 4), std=v)),
    ("gain", lambda v: wi.glorot_normal((3, 4), gain=v)),
    ("gain", lambda v: wi.glorot_uniform((3, 4), gain=v)),
    ("gain", lambda v: wi.orthogonal((3, 4), gain=v)),
    ("gain", lambda v: wi.identity((3, 4), gain=v)),
]


@pytest.mark.parametrize("value", [0.0, -1.0, math.nan, math.inf, -math.inf])
@pytest.mark.parametrize(("argument", "call"), POSITIVE, ids=[f"{a}-{i}" for i, (a, _) in enumerate(POSITIVE)])
def test_non_positive_or_non_finite(argument, call, value):
    with pytest.raises(ValueError, match=rf"^{argument} must be a positive finite number"):
        call(value)


@pytest.mark.parametrize(("argument", "call"), POSITIVE, ids=[f"{a}-{i}" for i, (a, _) in enumerate(POSITIVE)])
def test_non_real_positive_argument(argument, call):
    for bad in ["1.0", None, True, 1j]:
        with pytest.raises(TypeError, match=rf"^{argument} must be a positive real number"):
            call(bad)


@pytest.mark.parametrize(
    ("call", "exc", "pattern"),
    [
        (lambda: wi.uniform((3,), 1.0, 1.0), ValueError, r"^low must be less than high"),
        (lambda: wi.uniform((3,), math.nan, 1.0), ValueError, r"^low must be finite"),
        (lambda: wi.uniform((3,), 0.0, math.inf), ValueError, r"^high must be finite"),
        (lambda: wi.truncated_normal((3,), a=2.0, b=2.0), ValueError, r"^a must be less than b"),
        (lambda: wi.truncated_normal((3,), a=math.nan), ValueError, r"^a must be finite"),
        (lambda: wi.truncated_normal((3,), b="2"), TypeError, r"^b must be a real number"),
        (lambda: wi.normal((3,), mean=math.inf), ValueError, r"^mean must be finite"),
        (lambda: wi.constant((3,), math.nan), ValueError, r"^value must be finite"),
        (lambda: wi.constant((3,), "1"), TypeError, r"^value must be a real number"),
        (lambda: wi.sparse((3, 4), sparsity=1.0), ValueError, r"^sparsity must be in \[0, 1\)"),
        (lambda: wi.sparse((3, 4), sparsity=-0.1), ValueError, r"^sparsity must be in \[0, 1\)"),
        (lambda: wi.he_normal((3, 4), negative_slope=math.nan), ValueError, r"^negative_slope must be finite"),
        (lambda: wi.gain("relu", 0.1), ValueError, r"^param is only used by nonlinearity='leaky_relu'"),
        (lambda: wi.gain("leaky_relu", math.inf), ValueError, r"^param must be finite"),
        (lambda: wi.get(3), TypeError, r"^name must be a str"),
        (lambda: wi.truncated_normal((3,), std=1e-8, a=0.0, b=1.0, dtype=np.float16), ValueError, r"no float16 value"),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_other_bad_arguments(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


@pytest.mark.parametrize("dtype", [np.int32, int, bool, np.complex64, "int64", object, "U3", "not a dtype", np.dtype(">f4")], ids=str)
@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_non_float_dtype(name, dtype):
    with pytest.raises(TypeError, match=r"^dtype must be float16, float32 or float64"):
        SCHEMES[name].function((3, 4), dtype=dtype)


@pytest.mark.parametrize("name", RANDOM)
def test_bad_rng(name):
    f = SCHEMES[name].function
    for bad in ["seed", 1.5, np.random.RandomState(0), [1, 2], True]:
        with pytest.raises(TypeError, match=r"^rng must be None, an int seed or a numpy.random.Generator"):
            f((3, 4), rng=bad)
    with pytest.raises(ValueError, match=r"^rng seed must be non-negative"):
        f((3, 4), rng=-1)
    with pytest.raises(ValueError, match=r"^rng seed must be non-negative"):
        f((0, 4), rng=-1)  # checked before the zero-size shortcut


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_numpy_integer_seed_and_dims(name):
    w = SCHEMES[name].function((np.int64(3), np.int32(4)), rng=np.uint8(7))
    assert w.shape == (3, 4)


@pytest.mark.parametrize("name", SHAPED + ["compute_fans"])
def test_bad_axes(name):
    f = compute_fans if name == "compute_fans" else SCHEMES[name].function
    with pytest.raises(ValueError, match=r"^in_axis must be in \[-2, 1\] for a shape with 2 dimensions; got 2"):
        f((3, 4), in_axis=2)
    with pytest.raises(ValueError, match=r"^out_axis must be in \[-3, 2\] for a shape with 3 dimensions; got -4"):
        f((3, 4, 5), out_axis=-4)
    with pytest.raises(ValueError, match=r"^in_axis and out_axis must differ"):
        f((3, 4), in_axis=0, out_axis=-2)
    with pytest.raises(TypeError, match=r"^out_axis must be an int"):
        f((3, 4), out_axis=1.0)
    with pytest.raises(TypeError, match=r"^in_axis must be an int"):
        f((3, 4), in_axis=None)


# -------------------------------------------------------------------------- gain


@pytest.mark.parametrize(
    ("nonlinearity", "expected"),
    [
        ("linear", 1.0),
        ("identity", 1.0),
        *[(f"conv{d}d", 1.0) for d in (1, 2, 3)],
        *[(f"conv_transpose{d}d", 1.0) for d in (1, 2, 3)],
        ("sigmoid", 1.0),
        ("tanh", 5.0 / 3.0),
        ("relu", math.sqrt(2.0)),
        ("leaky_relu", math.sqrt(2.0 / (1 + 0.01**2))),
        ("selu", 0.75),
    ],
)
def test_gain_values(nonlinearity, expected):
    assert wi.gain(nonlinearity) == pytest.approx(expected, rel=1e-15)


def test_gain_covers_exactly_the_listed_nonlinearities():
    assert set(wi.NONLINEARITIES) == {
        "linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
        "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu",
    }  # fmt: skip


@pytest.mark.parametrize("slope", [0.0, 0.01, 0.2, 1.0, -0.5])
def test_gain_leaky_relu_slope(slope):
    assert wi.gain("leaky_relu", slope) == pytest.approx(math.sqrt(2.0 / (1 + slope**2)), rel=1e-15)
    assert wi.gain("leaky_relu", 0.01) == wi.gain("leaky_relu")


def test_he_gain_matches_gain():
    """he_normal's std is gain('leaky_relu', s) / sqrt(fan_in), as PyTorch's kaiming_normal_."""
    w = wi.he_normal((64, 32), negative_slope=0.2, rng=0)
    z = np.random.default_rng(0).standard_normal((64, 32))
    np.testing.assert_allclose(w, z * wi.gain("leaky_relu", 0.2) / math.sqrt(64), rtol=1e-14)
