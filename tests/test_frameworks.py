"""Cross-checks against PyTorch and Keras: every scheme they share agrees on fans, moments and bounds.

PyTorch stores weights as ``(out, in, *kernel)``: ours are drawn in that layout
with ``in_axis=1, out_axis=0``. Keras stores ``(*kernel, in, out)``, our default.
Both samples of a pair are held to the registry's mean and variance at the
framework's own fans (tolerances from the sample size, see test_initializers), and
to each other with a two-sample KS test.

Run with ``make test-frameworks`` (installs the pins of ``frameworks.txt``, Keras on the
torch backend). ``make test`` deselects them by their marker; run without the packages,
they fail and say what to install, never skip.
"""

from __future__ import annotations

import importlib
import math
import os

import numpy as np
import pytest
from scipy import stats

import weightinit as wi
from weightinit import SCHEMES, compute_fans

from conftest import _require
from test_initializers import (  # noqa: I001  (tests/ is on sys.path under pytest's default import mode)
    ALPHA,
    KURTOSIS,
    assert_moments,
    edge_gap,
    matrix_view,
    truncated_kurtosis,
)

# Keras reads its backend once, at import: set it before anything imports keras.
os.environ["KERAS_BACKEND"] = "torch"

pytestmark = pytest.mark.frameworks

TORCH = {"in_axis": 1, "out_axis": 0}
#: (id, PyTorch shape (out, in, *k), Keras shape (*k, in, out)): the same weight in both layouts.
SHAPES = [("dense", (200, 300), (300, 200)), ("conv", (48, 32, 3, 3), (3, 3, 32, 48))]
EPS32 = float(np.finfo(np.float32).eps)


INSTALL = "run `make test-frameworks`, which installs the pinned frameworks"




@pytest.fixture(scope="module")
def torch():
    return _require("torch")


@pytest.fixture(scope="module")
def keras(torch):
    keras = _require("keras")
    if keras.backend.backend() != "torch":
        pytest.fail(
            f"Keras was imported with the {keras.backend.backend()!r} backend before this module "
            "set torch: run with KERAS_BACKEND=torch, as `make test-frameworks` does",
            pytrace=False,
        )
    return keras


def to_numpy(tensor) -> np.ndarray:
    """A torch tensor (what Keras returns on the torch backend too) as float64 NumPy."""
    return np.asarray(tensor.detach().cpu().numpy(), dtype=np.float64)


def assert_same_distribution(theirs: np.ndarray, ours: np.ndarray) -> None:
    assert stats.ks_2samp(theirs.ravel(), ours.ravel()).pvalue > ALPHA


def assert_within_bound(w: np.ndarray, bound: float) -> None:
    """|w| <= bound (float32 rounding allowed for the frameworks) and the max as close as n draws must be."""
    top = np.abs(w).max()
    assert top <= bound * (1 + EPS32)
    assert top >= bound * (1 - edge_gap(w.size, 1.0) - 2 * EPS32)


# ------------------------------------------------------------------------ pins


def test_the_installed_frameworks_are_the_pins():
    """What these checks and the pages' snippets run on is what the pages quote."""
    from importlib import metadata
    from pathlib import Path

    pins = Path(__file__).resolve().parents[1] / "frameworks.txt"
    wrong = []
    for line in pins.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, version = line.split("==")
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong.append(f"{name}: {installed or 'not installed'}, pinned {version}")
    assert not wrong, f"{INSTALL}:\n" + "\n".join(wrong)


# ------------------------------------------------------------------------- fans

FAN_SHAPES = [(7, 3), (16, 8, 3), (64, 32, 3, 3), (8, 4, 2, 3, 5), (1, 1, 1, 1)]


@pytest.mark.parametrize("torch_shape", FAN_SHAPES, ids=str)
def test_fans_agree(torch, keras, torch_shape):
    from keras.src.initializers.random_initializers import compute_fans as keras_fans

    keras_shape = (*torch_shape[2:], torch_shape[1], torch_shape[0])
    theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(torch_shape))
    assert compute_fans(torch_shape, **TORCH) == theirs
    assert compute_fans(keras_shape) == keras_fans(keras_shape) == theirs


#: Names ours accepts and PyTorch's calculate_gain does not: aliases of "linear".
NOT_IN_TORCH = {"identity"}


@pytest.mark.parametrize("nonlinearity", wi.NONLINEARITIES)
def test_gain_matches_torch(torch, nonlinearity):
    if nonlinearity in NOT_IN_TORCH:
        with pytest.raises(ValueError, match="Unsupported nonlinearity"):
            torch.nn.init.calculate_gain(nonlinearity)
        assert wi.gain(nonlinearity) == wi.gain("linear")
        return
    assert wi.gain(nonlinearity) == pytest.approx(torch.nn.init.calculate_gain(nonlinearity), rel=1e-15)
    if nonlinearity == "leaky_relu":
        for slope in (0.0, 0.2, 1.5):
            assert wi.gain(nonlinearity, slope) == pytest.approx(torch.nn.init.calculate_gain(nonlinearity, slope))


# ------------------------------------------------------------------- PyTorch


def torch_cases():
    """(id, torch initializer (tensor, generator), our scheme name, our parameters)."""
    sqrt5 = math.sqrt(5)
    return [
        ("xavier_uniform", lambda nn, t, g: nn.init.xavier_uniform_(t, generator=g), "glorot_uniform", {}),
        ("xavier_uniform-gain", lambda nn, t, g: nn.init.xavier_uniform_(t, 5 / 3, generator=g), "glorot_uniform", {"gain": 5 / 3}),
        ("xavier_normal", lambda nn, t, g: nn.init.xavier_normal_(t, 0.5, generator=g), "glorot_normal", {"gain": 0.5}),
        ("kaiming_normal", lambda nn, t, g: nn.init.kaiming_normal_(t, generator=g), "he_normal", {}),
        (
            "kaiming_normal-leaky-fan_out",
            lambda nn, t, g: nn.init.kaiming_normal_(t, 0.2, "fan_out", "leaky_relu", generator=g),
            "he_normal",
            {"mode": "fan_out", "negative_slope": 0.2},
        ),
        ("kaiming_uniform", lambda nn, t, g: nn.init.kaiming_uniform_(t, generator=g), "he_uniform", {}),
        (
            "kaiming_uniform-leaky-fan_out",
            lambda nn, t, g: nn.init.kaiming_uniform_(t, 0.2, "fan_out", "leaky_relu", generator=g),
            "he_uniform",
            {"mode": "fan_out", "negative_slope": 0.2},
        ),
        ("kaiming_uniform-a=sqrt5", lambda nn, t, g: nn.init.kaiming_uniform_(t, sqrt5, generator=g), "pytorch_default", {}),
        ("normal", lambda nn, t, g: nn.init.normal_(t, 0.3, 0.05, generator=g), "normal", {"mean": 0.3, "std": 0.05}),
        ("uniform", lambda nn, t, g: nn.init.uniform_(t, -0.2, 0.6, generator=g), "uniform", {"low": -0.2, "high": 0.6}),
        (
            # PyTorch's a and b are absolute: mean + a_std * std for ours.
            "trunc_normal",
            lambda nn, t, g: nn.init.trunc_normal_(t, 0.5, 2.0, 0.5 - 2.0 * 2.0, 0.5 + 1.0 * 2.0, generator=g),
            "truncated_normal",
            {"mean": 0.5, "std": 2.0, "a": -2.0, "b": 1.0},
        ),
        (
            "trunc_normal-tail",
            lambda nn, t, g: nn.init.trunc_normal_(t, 0.0, 1.0, 1.0, 3.0, generator=g),
            "truncated_normal",
            {"mean": 0.0, "std": 1.0, "a": 1.0, "b": 3.0},
        ),
    ]


@pytest.mark.parametrize(("shape_id", "torch_shape", "keras_shape"), SHAPES, ids=[s[0] for s in SHAPES])
@pytest.mark.parametrize(("case", "init", "name", "params"), torch_cases(), ids=[c[0] for c in torch_cases()])
def test_torch_random_schemes_agree(torch, case, init, name, params, shape_id, torch_shape, keras_shape):
    scheme = SCHEMES[name]
    params = {**scheme.params, **params}
    theirs = to_numpy(init(torch.nn, torch.empty(torch_shape), torch.Generator().manual_seed(0)))
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(torch_shape))
    fan_free = name in ("normal", "uniform", "truncated_normal")
    ours = scheme.function(torch_shape, **params, **({} if fan_free else TORCH), rng=0)
    ours_keras_layout = scheme.function(keras_shape, **params, rng=1)
    mean = scheme.mean(fan_in, fan_out, **params)
    variance = scheme.variance(fan_in, fan_out, **params)
    if scheme.distribution == "truncated_normal":
        kurtosis = truncated_kurtosis(params["a"], params["b"])
    else:
        kurtosis = KURTOSIS[scheme.distribution]
    for w in (theirs, ours, ours_keras_layout):
        assert_moments(w, mean, variance, kurtosis)
    assert_same_distribution(theirs, ours)
    if scheme.bound_tex is not None:
        bound = scheme.bound(fan_in, fan_out, **params)
        for w in (theirs, ours, ours_keras_layout):
            assert_within_bound(w, bound)
    if name == "uniform":
        assert params["low"] <= theirs.min() and theirs.max() <= params["high"]
    if name == "truncated_normal":
        lo = params["mean"] + params["a"] * params["std"]
        hi = params["mean"] + params["b"] * params["std"]
        slack = EPS32 * max(abs(lo), abs(hi))
        assert lo - slack <= theirs.min() and theirs.max() <= hi + slack  # PyTorch clamps: ends included
        assert lo < ours.min() and ours.max() < hi  # ours: strictly inside


@pytest.mark.parametrize(
    ("layer", "torch_shape"),
    [("Linear", (200, 300)), ("Conv1d", (48, 32, 5)), ("Conv2d", (48, 32, 3, 3))],
    ids=["Linear", "Conv1d", "Conv2d"],
)
def test_torch_layer_default_is_pytorch_default(torch, layer, torch_shape):
    torch.manual_seed(0)
    out_features, in_features, *kernel = torch_shape
    module = getattr(torch.nn, layer)(in_features, out_features, *kernel[:1])
    theirs = to_numpy(module.weight)
    assert theirs.shape == torch_shape
    fan_in, fan_out = compute_fans(torch_shape, **TORCH)
    ours = wi.pytorch_default(torch_shape, **TORCH, rng=0)
    s = SCHEMES["pytorch_default"]
    for w in (theirs, ours):
        assert_moments(w, 0.0, s.variance(fan_in, fan_out), KURTOSIS["uniform"])
        assert_within_bound(w, s.bound(fan_in, fan_out))
    assert s.bound(fan_in, fan_out) == pytest.approx(1 / math.sqrt(fan_in), rel=1e-15)
    assert_same_distribution(theirs, ours)
    # The bias comes from the same interval, as the docstring says.
    assert np.abs(to_numpy(module.bias)).max() <= (1 + EPS32) / math.sqrt(fan_in)


@pytest.mark.parametrize("gain", [1.0, 2.0])
@pytest.mark.parametrize("torch_shape", [(200, 300), (300, 200), (48, 32, 3, 3), (64, 4, 3, 3)], ids=str)
def test_torch_orthogonal_agrees(torch, torch_shape, gain):
    theirs = to_numpy(torch.nn.init.orthogonal_(torch.empty(torch_shape), gain, generator=torch.Generator().manual_seed(0)))
    ours = wi.orthogonal(torch_shape, gain, **TORCH, rng=0)
    for w in (theirs, ours):
        m = matrix_view(w, 0)
        rows, cols = m.shape
        gram = m.T @ m if rows >= cols else m @ m.T
        np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), atol=1e-5 * gain**2)
    assert np.mean(theirs**2) == pytest.approx(np.mean(ours**2), rel=1e-5)


@pytest.mark.parametrize(
    "torch_shape", [(5, 7), (7, 5), (4, 6, 3), (6, 4, 3, 3), (4, 4, 4, 4), (3, 5, 3, 3, 3)], ids=str
)
def test_torch_eye_and_dirac_equal_identity(torch, torch_shape):
    t = torch.empty(torch_shape)
    theirs = to_numpy(torch.nn.init.eye_(t) if len(torch_shape) == 2 else torch.nn.init.dirac_(t))
    np.testing.assert_array_equal(wi.identity(torch_shape, **TORCH), theirs)


@pytest.mark.parametrize("sparsity", [0.1, 0.5, 0.9])
def test_torch_sparse_agrees(torch, sparsity):
    """PyTorch zeroes ceil(sparsity * rows) entries in each column of a 2-D tensor: our default layout.

    On an nn.Linear weight (out, in) that means per *input* unit; ours with PyTorch's
    layout (in_axis=1, out_axis=0) zeroes per *output* unit, as Martens describes.
    """
    rows, cols = 300, 200
    theirs = to_numpy(torch.nn.init.sparse_(torch.empty(rows, cols), sparsity, 0.5, generator=torch.Generator().manual_seed(0)))
    ours = wi.sparse((rows, cols), sparsity, 0.5, rng=0)
    expected = math.ceil(sparsity * rows)
    for w in (theirs, ours):
        np.testing.assert_array_equal(np.count_nonzero(w == 0, axis=0), expected)
        assert_moments(w, 0.0, SCHEMES["sparse"].variance(rows, cols, sparsity=sparsity, std=0.5), 3 * rows / (rows - expected))
    assert_same_distribution(theirs[theirs != 0], ours[ours != 0])
    per_output_unit = wi.sparse((cols, rows), sparsity, 0.5, **TORCH, rng=0)
    np.testing.assert_array_equal(np.count_nonzero(per_output_unit == 0, axis=1), expected)


# --------------------------------------------------------------------- Keras


def keras_cases():
    """(id, Keras initializer factory, our scheme name, our parameters)."""
    vs = "variance_scaling"
    return [
        ("GlorotUniform", lambda k: k.initializers.GlorotUniform(seed=0), "glorot_uniform", {}),
        ("GlorotNormal", lambda k: k.initializers.GlorotNormal(seed=0), vs, {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}),
        ("HeNormal", lambda k: k.initializers.HeNormal(seed=0), vs, {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}),
        ("HeUniform", lambda k: k.initializers.HeUniform(seed=0), "he_uniform", {}),
        ("LecunNormal", lambda k: k.initializers.LecunNormal(seed=0), vs, {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}),
        ("LecunUniform", lambda k: k.initializers.LecunUniform(seed=0), "lecun_uniform", {}),
        (
            "VarianceScaling-untruncated-fan_out",
            lambda k: k.initializers.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=0),
            vs,
            {"scale": 2.0, "mode": "fan_out", "distribution": "normal"},
        ),
        (
            "VarianceScaling-uniform-fan_avg",
            lambda k: k.initializers.VarianceScaling(0.5, "fan_avg", "uniform", seed=0),
            vs,
            {"scale": 0.5, "mode": "fan_avg", "distribution": "uniform"},
        ),
        ("RandomNormal", lambda k: k.initializers.RandomNormal(stddev=0.05, seed=0), "normal", {"std": 0.05}),
        ("RandomUniform", lambda k: k.initializers.RandomUniform(seed=0), "uniform", {}),
        # Cut at two stddev and not rescaled: our truncated_normal with a=-2, b=2.
        ("TruncatedNormal", lambda k: k.initializers.TruncatedNormal(stddev=0.05, seed=0), "truncated_normal", {"std": 0.05}),
    ]


def keras_leak_allowance(n: int) -> int:
    """Values Keras' torch backend may leave outside +-2 sigma (FRAMEWORK-FACTS: it lets a few through).

    It draws four normals per entry and keeps the first inside (-2, 2), or the first
    one if none is: each entry escapes with probability P(|Z| > 2)^4. The count is
    Poisson; allow its 1 - 1e-9 quantile.
    """
    p_out = 2 * stats.norm.sf(2)
    return int(stats.poisson.ppf(1 - 1e-9, n * p_out**4))


@pytest.mark.parametrize(("shape_id", "torch_shape", "keras_shape"), SHAPES, ids=[s[0] for s in SHAPES])
@pytest.mark.parametrize(("case", "factory", "name", "params"), keras_cases(), ids=[c[0] for c in keras_cases()])
def test_keras_schemes_agree(keras, case, factory, name, params, shape_id, torch_shape, keras_shape):
    from keras.src.initializers.random_initializers import compute_fans as keras_fans

    scheme = SCHEMES[name]
    params = {**scheme.params, **params}
    theirs = to_numpy(factory(keras)(keras_shape))
    fan_in, fan_out = keras_fans(keras_shape)
    ours = scheme.function(keras_shape, **params, rng=0)
    ours_torch_layout = ours if name in ("normal", "uniform", "truncated_normal") else scheme.function(torch_shape, **params, **TORCH, rng=1)
    mean = scheme.mean(fan_in, fan_out, **params)
    variance = scheme.variance(fan_in, fan_out, **params)
    dist = params.get("distribution", scheme.distribution)
    if dist == "truncated_normal":
        kurtosis = truncated_kurtosis(params.get("a", -2.0), params.get("b", 2.0))
    else:
        kurtosis = KURTOSIS[dist]
    for w in (theirs, ours, ours_torch_layout):
        assert_moments(w, mean, variance, kurtosis)
    assert_same_distribution(theirs, ours)
    if dist == "uniform":
        half = math.sqrt(3 * variance)
        for w in (theirs, ours, ours_torch_layout):
            assert mean - half * (1 + EPS32) <= w.min() and w.max() <= mean + half * (1 + EPS32)
    if dist == "truncated_normal":
        cut = 2 * (params["std"] if name == "truncated_normal" else math.sqrt(variance) / wi.TRUNCATED_STD)
        assert np.count_nonzero(np.abs(theirs) >= cut * (1 + EPS32)) <= keras_leak_allowance(theirs.size)
        for w in (ours, ours_torch_layout):
            assert np.abs(w).max() < cut


@pytest.mark.parametrize("gain", [1.0, 2.0])
@pytest.mark.parametrize("keras_shape", [(300, 200), (200, 300), (3, 3, 32, 48), (3, 3, 4, 64)], ids=str)
def test_keras_orthogonal_agrees(keras, keras_shape, gain):
    theirs = to_numpy(keras.initializers.Orthogonal(gain, seed=0)(keras_shape))
    ours = wi.orthogonal(keras_shape, gain, rng=0)
    for w in (theirs, ours):
        m = matrix_view(w, -1)  # Keras flattens to (prod(shape[:-1]), shape[-1]): the same view
        rows, cols = m.shape
        gram = m.T @ m if rows >= cols else m @ m.T
        np.testing.assert_allclose(gram, gain**2 * np.eye(min(rows, cols)), atol=1e-5 * gain**2)


@pytest.mark.parametrize("keras_shape", [(5, 7), (7, 5), (6, 6)], ids=str)
def test_keras_identity_equals_identity(keras, keras_shape):
    theirs = to_numpy(keras.initializers.Identity(gain=2.5)(keras_shape))
    np.testing.assert_array_equal(wi.identity(keras_shape, 2.5), theirs)
