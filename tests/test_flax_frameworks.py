"""Flax defaults the pages quote (practice/jax.md, reference/frameworks.md,
pitfalls/framework-defaults.md), at the version ``frameworks.txt`` pins, in both of Flax's
APIs: ``flax.linen`` and ``flax.nnx``.

- the initializers are JAX's own, re-exported;
- dense and convolution kernels: ``lecun_normal`` (a normal cut at 2 std of its parent,
  rescaled to variance ``1 / n_in``), biases zero;
- embedding tables: ``N(0, 1/d)`` for ``d`` features, untruncated;
- ``LayerNorm`` and ``BatchNorm``: scale one, bias zero.

Run by ``make test-frameworks``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from conftest import _require

pytestmark = pytest.mark.frameworks

#: The std of a unit normal cut at +-2.
TRUNCATED_STD = 0.87962566103423978




@pytest.fixture(scope="module")
def jax():
    return _require("jax")


@pytest.fixture(scope="module")
def linen():
    return _require("flax.linen")


@pytest.fixture(scope="module")
def nnx():
    return _require("flax.nnx")


def assert_lecun_normal(kernel, n_in):
    k = np.asarray(kernel, dtype=np.float64)
    # Sample variance within 5 standard errors (sqrt(2 / n) relative for a normal; the cut
    # normal's is smaller).
    assert abs(k.var() * n_in - 1) < 5 * math.sqrt(2 / k.size), k.var() * n_in
    # Cut: nothing beyond 2 parent stds. An untruncated normal of this variance would put a
    # share 0.023 of its draws there.
    assert np.abs(k).max() <= 2 / math.sqrt(n_in) / TRUNCATED_STD * (1 + 1e-6)


def assert_embedding(table, d):
    t = np.asarray(table, dtype=np.float64)
    assert abs(t.var() * d - 1) < 5 * math.sqrt(2 / t.size)
    # Untruncated: a share 0.0455 beyond 2 std, within 5 binomial standard errors.
    p = math.erfc(2 / math.sqrt(2))
    share = float(np.mean(np.abs(t) > 2 / math.sqrt(d)))
    assert abs(share - p) < 5 * math.sqrt(p * (1 - p) / t.size), share


def test_the_initializers_are_jax_s_own(jax, linen, nnx):
    names = ["lecun_normal", "he_normal", "glorot_uniform", "variance_scaling", "orthogonal"]
    for name in names:
        ours = getattr(jax.nn.initializers, name)
        assert getattr(linen.initializers, name) is ours, name
        assert getattr(nnx.initializers, name) is ours, name


def test_linen_layer_defaults(jax, linen):
    key = jax.random.key(0)
    x = np.ones((1, 300))
    for layer in (linen.Dense(200), linen.DenseGeneral(200)):
        params = layer.init(key, x)["params"]
        assert_lecun_normal(params["kernel"], 300)
        assert not np.any(params["bias"])
    params = linen.Conv(48, (3, 3)).init(key, np.ones((1, 8, 8, 32)))["params"]
    assert params["kernel"].shape == (3, 3, 32, 48)
    assert_lecun_normal(params["kernel"], 3 * 3 * 32)
    assert not np.any(params["bias"])
    table = linen.Embed(1000, 64).init(key, np.zeros(1, int))["params"]["embedding"]
    assert table.shape == (1000, 64)
    assert_embedding(table, 64)
    norm = linen.LayerNorm().init(key, np.ones((2, 16)))["params"]
    assert np.all(norm["scale"] == 1) and not np.any(norm["bias"])
    batch = linen.BatchNorm(use_running_average=True).init(key, np.ones((2, 16)))["params"]
    assert np.all(batch["scale"] == 1) and not np.any(batch["bias"])


def test_nnx_layers_have_the_same_defaults(nnx):
    rngs = nnx.Rngs(0)
    for layer in (nnx.Linear(300, 200, rngs=rngs), nnx.LinearGeneral(300, 200, rngs=rngs)):
        assert_lecun_normal(layer.kernel[...], 300)
        assert not np.any(layer.bias[...])
    conv = nnx.Conv(32, 48, (3, 3), rngs=rngs)
    assert conv.kernel[...].shape == (3, 3, 32, 48)
    assert_lecun_normal(conv.kernel[...], 3 * 3 * 32)
    assert not np.any(conv.bias[...])
    embed = nnx.Embed(1000, 64, rngs=rngs)
    assert embed.embedding[...].shape == (1000, 64)
    assert_embedding(embed.embedding[...], 64)
    for norm in (nnx.LayerNorm(16, rngs=rngs), nnx.BatchNorm(16, rngs=rngs)):
        assert np.all(norm.scale[...] == 1) and not np.any(norm.bias[...])
