"""Small synthetic classification datasets, made in code from a seed; nothing is downloaded.

Every function returns ``(x, y)``: float64 inputs of shape ``(n_samples, 2)`` and integer
labels of shape ``(n_samples,)``, with samples grouped by class.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_generator


def _class_sizes(n_samples, n_classes):
    if int(n_classes) < 1 or int(n_samples) < int(n_classes):
        raise ValueError(
            f"need n_classes >= 1 and n_samples >= n_classes; got n_samples={n_samples}, "
            f"n_classes={n_classes}"
        )
    # Spread the remainder over the first classes so every sample is used.
    base, extra = divmod(int(n_samples), int(n_classes))
    return [base + (k < extra) for k in range(int(n_classes))]


def _check_noise(name, value):
    if not value >= 0:
        raise ValueError(f"{name} must be >= 0; got {value}")


def _labels(sizes):
    return np.repeat(np.arange(len(sizes)), sizes)


def spirals(n_samples=300, n_classes=3, noise=0.2, rng=None):
    """Interleaved spiral arms, one per class (the CS231n toy problem).

    Arm ``k`` has radius ``r`` rising from 0 to 1 and angle ``4 k + 4 r`` radians plus
    Gaussian noise of std `noise`; no linear classifier separates the arms.

    Parameters
    ----------
    n_samples : int, default 300
        Total number of points, split as evenly as possible between classes.
    n_classes : int, default 3
        Number of arms.
    noise : float, default 0.2
        Std of the angular noise, in radians.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    x : numpy.ndarray
        Points, shape ``(n_samples, 2)``, inside the unit disc.
    y : numpy.ndarray
        Labels in ``0..n_classes-1``, shape ``(n_samples,)``.

    Examples
    --------
    >>> x, y = spirals(300, n_classes=3, rng=0)
    >>> x.shape, y.shape, sorted(set(y.tolist()))
    ((300, 2), (300,), [0, 1, 2])
    """
    _check_noise("noise", noise)
    sizes = _class_sizes(n_samples, n_classes)
    gen = as_generator(rng)
    r = np.concatenate([np.linspace(0.0, 1.0, m) for m in sizes])
    y = _labels(sizes)
    theta = 4.0 * (y + r) + noise * gen.standard_normal(len(r))
    return np.column_stack([r * np.sin(theta), r * np.cos(theta)]), y


def moons(n_samples=200, noise=0.1, rng=None):
    """Two interleaved half circles (like scikit-learn's ``make_moons``).

    Parameters
    ----------
    n_samples : int, default 200
        Total number of points, split as evenly as possible between the two moons.
    noise : float, default 0.1
        Std of the Gaussian noise added to each coordinate.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    x : numpy.ndarray
        Points, shape ``(n_samples, 2)``.
    y : numpy.ndarray
        Labels 0 (upper moon) and 1 (lower moon), shape ``(n_samples,)``.

    Examples
    --------
    >>> x, y = moons(100, rng=0)
    >>> x.shape, int(y.sum())
    ((100, 2), 50)
    """
    _check_noise("noise", noise)
    sizes = _class_sizes(n_samples, 2)
    gen = as_generator(rng)
    upper = np.linspace(0.0, np.pi, sizes[0])
    lower = np.linspace(0.0, np.pi, sizes[1])
    x = np.concatenate([
        np.column_stack([np.cos(upper), np.sin(upper)]),
        np.column_stack([1.0 - np.cos(lower), 0.5 - np.sin(lower)]),
    ])
    return x + noise * gen.standard_normal(x.shape), _labels(sizes)


def blobs(n_samples=300, n_classes=3, std=1.0, radius=4.0, rng=None):
    """Isotropic Gaussian clusters with centres evenly spaced on a circle.

    Parameters
    ----------
    n_samples : int, default 300
        Total number of points, split as evenly as possible between clusters.
    n_classes : int, default 3
        Number of clusters.
    std : float, default 1.0
        Std of each cluster along each coordinate.
    radius : float, default 4.0
        Distance of the cluster centres from the origin.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    x : numpy.ndarray
        Points, shape ``(n_samples, 2)``.
    y : numpy.ndarray
        Cluster labels in ``0..n_classes-1``, shape ``(n_samples,)``.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = blobs(90, n_classes=3, std=0.1, rng=0)
    >>> centre = x[y == 0].mean(axis=0)
    >>> bool(np.allclose(centre, [4.0, 0.0], atol=0.1))
    True
    """
    _check_noise("std", std)
    sizes = _class_sizes(n_samples, n_classes)
    gen = as_generator(rng)
    y = _labels(sizes)
    angle = 2.0 * np.pi * y / len(sizes)
    centres = radius * np.column_stack([np.cos(angle), np.sin(angle)])
    return centres + std * gen.standard_normal(centres.shape), y
