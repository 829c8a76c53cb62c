"""Framework checks for the Practice pages: bfloat16 rounding and the equivalence table's calls.

(The framework twins of ``weightinit.diagnose`` are on the Recipes page and tested in
tests/test_recipes_frameworks.py.) Run with ``make test-frameworks``.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from conftest import _require

# Keras reads its backend once, at import: set it before anything imports keras.
os.environ["KERAS_BACKEND"] = "torch"

pytestmark = pytest.mark.frameworks



# ------------------------------------------------------------------ low precision


def test_bfloat16_round_matches_torch():
    torch = _require("torch")
    from weightinit.practice import bfloat16_round

    gen = np.random.default_rng(0)
    x = (gen.standard_normal(200_000) * 10.0 ** gen.integers(-40, 38, 200_000)).astype(np.float32)
    x = x[np.isfinite(x)]
    expected = torch.from_numpy(x).to(torch.bfloat16).float().numpy()
    assert np.array_equal(bfloat16_round(x), expected)


@pytest.mark.parametrize("std", [1e-3, 1e-5, 1e-7, 1e-8])
def test_precision_loss_matches_torch_casts(std):
    torch = _require("torch")
    from weightinit.practice import precision_loss

    w = torch.from_numpy((std * np.random.default_rng(0).standard_normal(100_000)).astype(np.float32))
    for dtype, tdtype in (("float16", torch.float16), ("bfloat16", torch.bfloat16)):
        assert precision_loss(std, dtype).zero == int((w.to(tdtype) == 0).sum()) / w.numel()


# ------------------------------------------------------------ equivalence table

FAN_IN, FAN_OUT = 300, 200


def draw(framework: str, call: str, seed: int = 0) -> np.ndarray:
    """Evaluate one cell of ``practice.EQUIVALENTS`` and return a float64 (fan_in, fan_out) array."""
    import math

    if framework == "torch":
        torch = _require("torch")
        torch.manual_seed(seed)
        w = torch.empty(FAN_OUT, FAN_IN)
        eval(call, {"math": math, "nn": torch.nn, "w": w})
        return w.T.double().numpy()
    if framework == "keras":
        keras = _require("keras")
        assert keras.backend.backend() == "torch", "run with KERAS_BACKEND=torch"
        keras.utils.set_random_seed(seed)
        init = eval(call, {"keras": keras})
        return np.asarray(keras.ops.convert_to_numpy(init((FAN_IN, FAN_OUT))), dtype=np.float64)
    jax = _require("jax")
    import jax.numpy as jnp
    from jax.nn import initializers as jinit

    init = eval(call, {"jax": jax, "jnp": jnp, "jinit": jinit})
    return np.asarray(init(jax.random.key(seed), (FAN_IN, FAN_OUT)), dtype=np.float64)


def equivalent_cases():
    from weightinit.practice import EQUIVALENTS

    return [pytest.param(e, fw, id=f"{e.scheme}-{fw}") for e in EQUIVALENTS
            for fw in ("torch", "keras", "jax") if getattr(e, fw) is not None]


def tail(w, sigma, k):
    return float(np.mean(np.abs(w) > k * sigma))


@pytest.mark.parametrize("e, framework", equivalent_cases())
def test_equivalent_call_draws_the_same_distribution(e, framework):
    import math

    import weightinit as wi
    from test_initializers import KURTOSIS, assert_moments, edge_gap, truncated_kurtosis

    s = wi.SCHEMES[e.scheme]
    ours = s.function((FAN_IN, FAN_OUT), **e.params, rng=0)
    theirs = draw(framework, getattr(e, framework))
    assert theirs.shape == ours.shape
    params = {**s.params, **e.params}
    if s.distribution in ("constant", "identity"):
        np.testing.assert_allclose(theirs, ours, rtol=1e-6)
        return
    if s.distribution == "orthogonal":
        for w in (theirs, ours):  # columns orthonormal: w.T @ w = I (float32: 1e-5)
            np.testing.assert_allclose(w.T @ w, np.eye(FAN_OUT), atol=1e-5)
        return
    variance = s.variance(FAN_IN, FAN_OUT, **params)
    n = theirs.size
    if s.distribution == "sparse":
        zeros = math.ceil(params["sparsity"] * FAN_IN)
        for w in (theirs, ours):
            np.testing.assert_array_equal(np.count_nonzero(w == 0, axis=0), zeros)
            assert_moments(w, 0.0, variance, 3 * FAN_IN / (FAN_IN - zeros))
        return
    if s.distribution == "uniform":
        low, high = (params["low"], params["high"]) if e.scheme == "uniform" else \
            (-math.sqrt(3 * variance), math.sqrt(3 * variance))
        for w in (theirs, ours):
            assert_moments(w, (low + high) / 2, variance, KURTOSIS["uniform"])
            assert w.min() >= low * (1 + 1e-6) and w.max() <= high * (1 + 1e-6)
            gap = edge_gap(n, 1 / (high - low)) + 1e-6 * (high - low)
            assert w.min() <= low + gap and w.max() >= high - gap
        return
    if s.distribution == "truncated_normal":
        sigma = params["std"]
        for w in (theirs, ours):
            assert_moments(w, 0.0, variance, truncated_kurtosis(-2.0, 2.0))
            # Keras on the torch backend lets a few draws through its cut: see the
            # truncated-normal page. The others never pass it.
            allowed = 1e-3 if framework == "keras" and w is theirs else 0.0
            assert tail(w, sigma * (1 + 1e-6), 2.0) <= allowed
        return
    # normal: untruncated, so P(|z| > 3) = 0.27 %; 5 binomial standard errors
    sigma = math.sqrt(variance)
    p = math.erfc(3 / math.sqrt(2))
    for w in (theirs, ours):
        assert_moments(w, params.get("mean", 0.0), variance, KURTOSIS["normal"])
        assert abs(tail(w - params.get("mean", 0.0), sigma, 3.0) - p) < 5 * math.sqrt(p * (1 - p) / n)


def test_every_scheme_has_a_row():
    import weightinit as wi
    from weightinit.practice import EQUIVALENTS

    assert [e.scheme for e in EQUIVALENTS if e.scheme != "variance_scaling"] == \
        [name for name in wi.SCHEMES if name != "variance_scaling"]
