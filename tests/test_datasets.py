"""Tests for weightinit.datasets: shapes, labels, geometry, seeding and argument checks."""

from __future__ import annotations

import numpy as np
import pytest

from weightinit.datasets import blobs, moons, spirals

MAKERS = [spirals, moons, blobs]


@pytest.mark.parametrize("make", MAKERS)
def test_shapes_and_types(make):
    x, y = make(101, rng=0)
    assert x.shape == (101, 2) and x.dtype == np.float64
    assert y.shape == (101,) and np.issubdtype(y.dtype, np.integer)
    counts = np.bincount(y)
    assert counts.sum() == 101 and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("make", MAKERS)
def test_seeding(make):
    a, _ = make(50, rng=3)
    b, _ = make(50, rng=np.random.default_rng(3))
    c, _ = make(50, rng=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_spirals_geometry():
    x, y = spirals(300, n_classes=4, noise=0.0, rng=0)
    assert sorted(set(y.tolist())) == [0, 1, 2, 3]
    radius = np.hypot(x[:, 0], x[:, 1])
    assert radius.max() <= 1 + 1e-12
    # Without noise, the arms are rotated copies: same radii, angles 4 radians apart.
    np.testing.assert_allclose(radius[y == 0], radius[y == 1])


def test_moons_without_noise_lie_on_their_circles():
    x, y = moons(100, noise=0.0)
    upper, lower = x[y == 0], x[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(upper[:, 1] >= 0) and np.all(lower[:, 1] <= 0.5)


def test_blobs_centres():
    std, n = 0.5, 3000
    x, y = blobs(n, n_classes=3, std=std, radius=4.0, rng=0)
    angles = 2 * np.pi * np.arange(3) / 3
    centres = 4.0 * np.column_stack([np.cos(angles), np.sin(angles)])
    for k in range(3):
        # The cluster mean has standard error std / sqrt(n_k); allow 5 of them.
        np.testing.assert_allclose(x[y == k].mean(axis=0), centres[k], atol=5 * std / np.sqrt(n / 3))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: spirals(2, n_classes=3), "n_samples >= n_classes"),
        (lambda: spirals(10, n_classes=0), "n_classes >= 1"),
        (lambda: spirals(10, noise=-1), "noise must be >= 0"),
        (lambda: moons(1), "n_samples >= n_classes"),
        (lambda: moons(10, noise=float("nan")), "noise must be >= 0"),
        (lambda: blobs(10, std=-0.1), "std must be >= 0"),
    ],
)
def test_bad_arguments(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_rng():
    with pytest.raises(TypeError, match="rng"):
        spirals(10, rng="seed")
