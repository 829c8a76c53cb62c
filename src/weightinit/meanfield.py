"""Mean-field signal propagation: exact gains, the variance map, its fixed point and order/chaos.

A wide random network with weights ``N(0, sigma_w^2 / fan_in)`` and biases ``N(0, sigma_b^2)``
has Gaussian pre-activations whose variance ``q`` follows the variance map of Poole et al.
(2016); a perturbation (or a gradient) grows by ``chi_1`` per layer at its fixed
point (Poole et al. 2016; Schoenholz et al. 2017). Every expectation here is
``E[f(sqrt(q) z)]`` with ``z ~ N(0, 1)``, computed by one quadrature rule (see `expect`).

Activations are named (see `ACTIVATIONS`); the functions that need only ``phi`` also accept
any elementwise callable.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import ArrayLike, as_generator, check_choice, check_positive, check_real
from .nn import MLP, SELU_ALPHA, SELU_LAMBDA, Dense

__all__ = [
    "ACTIVATIONS",
    "EdgeOfChaos",
    "MeanFieldCheck",
    "PARAM_DEFAULTS",
    "chi_1",
    "correlation_map",
    "critical_sigma_w",
    "edge_of_chaos",
    "exact_gain",
    "expect",
    "fixed_point",
    "lecun_tanh",
    "mean_field_check",
    "second_moment",
    "variance_map",
]

# ------------------------------------------------------------------------- activations

_SQRT2 = math.sqrt(2.0)
_GELU_C = math.sqrt(2.0 / math.pi)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def _sigmoid(u):
    # The tanh form never overflows, unlike 1 / (1 + exp(-u)) for large negative u.
    return 0.5 * (1.0 + np.tanh(0.5 * u))


def _softplus(u):
    return np.logaddexp(0.0, u)


def _ncdf(u):
    # Phi(u) through erfc keeps its relative accuracy in the far left tail.
    return 0.5 * np.asarray(_erfc(-np.asarray(u, dtype=np.float64) / _SQRT2), dtype=np.float64)


def _npdf(u):
    return np.exp(-0.5 * np.square(u)) / math.sqrt(2.0 * math.pi)


def _elu(u, alpha):
    # expm1 of min(u, 0) keeps the unused branch from overflowing for large positive u.
    return np.where(u > 0, u, alpha * np.expm1(np.minimum(u, 0.0)))


def _elu_grad(u, alpha):
    return np.where(u > 0, 1.0, alpha * np.exp(np.minimum(u, 0.0)))


def _gelu_tanh(u):
    return 0.5 * u * (1.0 + np.tanh(_GELU_C * (u + 0.044715 * u**3)))


def _gelu_tanh_grad(u):
    t = np.tanh(_GELU_C * (u + 0.044715 * u**3))
    return 0.5 * (1.0 + t) + 0.5 * u * (1.0 - t**2) * _GELU_C * (1.0 + 3 * 0.044715 * u**2)


def _mish_grad(u):
    t = np.tanh(_softplus(u))
    return t + u * (1.0 - t**2) * _sigmoid(u)


# name -> (phi(u, param), phi'(u, param), default param or None when none applies)
_TABLE: dict[str, tuple[Callable, Callable, float | None]] = {
    "linear": (lambda u, p: u, lambda u, p: np.ones_like(u), None),
    "relu": (lambda u, p: np.maximum(u, 0.0), lambda u, p: (u > 0).astype(np.float64), None),
    "leaky_relu": (lambda u, p: np.where(u > 0, u, p * u), lambda u, p: np.where(u > 0, 1.0, p), 0.01),
    "tanh": (lambda u, p: np.tanh(u), lambda u, p: 1.0 - np.tanh(u) ** 2, None),
    "sigmoid": (lambda u, p: _sigmoid(u), lambda u, p: _sigmoid(u) * (1.0 - _sigmoid(u)), None),
    "selu": (lambda u, p: SELU_LAMBDA * _elu(u, SELU_ALPHA),
             lambda u, p: SELU_LAMBDA * _elu_grad(u, SELU_ALPHA), None),
    "elu": (_elu, _elu_grad, 1.0),
    "gelu": (lambda u, p: u * _ncdf(u), lambda u, p: _ncdf(u) + u * _npdf(u), None),
    "gelu_tanh": (lambda u, p: _gelu_tanh(u), lambda u, p: _gelu_tanh_grad(u), None),
    "silu": (lambda u, p: u * _sigmoid(u),
             lambda u, p: _sigmoid(u) * (1.0 + u * (1.0 - _sigmoid(u))), None),
    "softplus": (lambda u, p: _softplus(u), lambda u, p: _sigmoid(u), None),
    "mish": (lambda u, p: u * np.tanh(_softplus(u)), lambda u, p: _mish_grad(u), None),
}

ACTIVATIONS: tuple[str, ...] = tuple(_TABLE)
PARAM_DEFAULTS: dict[str, float | None] = {name: row[2] for name, row in _TABLE.items()}
"""Each activation's default ``param`` (None where it takes none)."""
"""Names the mean-field functions know.

``leaky_relu`` takes ``param`` = negative slope (default 0.01), ``elu`` takes ``param`` =
alpha (default 1). ``gelu`` is the exact ``u Phi(u)``; ``gelu_tanh`` is the tanh
approximation ``0.5 u (1 + tanh(sqrt(2/pi) (u + 0.044715 u^3)))``. ``selu`` uses Klambauer
et al.'s alpha and lambda. ``silu`` is ``u sigmoid(u)`` (swish), ``mish`` is
``u tanh(softplus(u))``.
"""

# Positively homogeneous: E[phi(sqrt(q) z)^2] = q E[phi(z)^2], so the gain does not depend on q.
_HOMOGENEOUS = ("linear", "relu", "leaky_relu")


def lecun_tanh(u):
    """LeCun et al.'s scaled tanh, ``1.7159 tanh(2u / 3)`` (LeCun et al. 1998, §4.4).

    Its constants make ``f(1) = 1`` and ``f(-1) = -1``.

    Parameters
    ----------
    u : array_like

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round(float(lecun_tanh(1.0)), 4), round(float(lecun_tanh(-1.0)), 4)
    (1.0, -1.0)
    """
    return 1.7159 * np.tanh(2.0 * np.asarray(u, dtype=np.float64) / 3.0)


def _param(name: str, param):
    default = _TABLE[name][2]
    if default is None:
        if param is not None:
            takes = ", ".join(repr(n) for n, row in _TABLE.items() if row[2] is not None)
            raise ValueError(f"param is only used by nonlinearity {takes}; got param={param!r} "
                             f"for {name!r}")
        return None
    return default if param is None else check_real("param", param)


def _resolve(activation, param, derivative=False, argname="activation") -> Callable:
    """The elementwise function ``phi`` (or ``phi'``) for a name or a callable."""
    if callable(activation):
        if derivative:
            raise TypeError(f"this quantity needs phi', so {argname} must be one of "
                            f"{', '.join(map(repr, ACTIVATIONS))}; got a callable")
        if param is not None:
            raise ValueError(f"param applies to named activations only; got param={param!r} "
                             "with a callable")
        return lambda u: np.asarray(activation(u), dtype=np.float64)
    if not isinstance(activation, str):
        raise TypeError(f"{argname} must be one of {', '.join(map(repr, ACTIVATIONS))} or a "
                         f"callable; got {activation!r}")
    check_choice(argname, activation, ACTIVATIONS)
    p = _param(activation, param)
    f = _TABLE[activation][1 if derivative else 0]
    return lambda u: f(u, p)


# --------------------------------------------------------------------------- quadrature


def _offsets(reach: int, n: int = 16):
    # Composite Gauss-Legendre on one side of a breakpoint: panels [0, 4^-10], then
    # [4^-k, 4^-(k-1)] up to 1 (features of width 1/sqrt(q) near the breakpoint, for q up
    # to about 1e12), then unit panels out to `reach`, where the Gaussian weight is
    # below 1e-30. Each panel spans at most a third of its distance to the breakpoint,
    # so a singularity there (a kink, or tanh's poles at +-i pi / (2 sqrt(q))) costs
    # nothing in convergence.
    edges = np.concatenate([[0.0], 4.0 ** np.arange(-10, 1), np.arange(2, reach + 1)])
    x, w = np.polynomial.legendre.leggauss(n)
    half = np.diff(edges)[:, None] / 2
    mid = (edges[:-1] + edges[1:])[:, None] / 2
    return (mid + half * x).ravel(), (half * w).ravel()


_ONE_SIDE = _offsets(12)
_NODES = np.concatenate([-_ONE_SIDE[0][::-1], _ONE_SIDE[0]])
_WEIGHTS = np.concatenate([_ONE_SIDE[1][::-1], _ONE_SIDE[1]]) * _npdf(_NODES)
_SHIFTED = _offsets(24)


def expect(f, q=1.0):
    """``E[f(u)]`` for ``u ~ N(0, q)``, elementwise over `q`.

    The integral is split at ``u = 0`` (where relu-like functions have their kink) and each
    half is a composite Gauss-Legendre rule in ``z = u / sqrt(q)`` against the Gaussian
    density, on panels that shrink geometrically toward 0 and end at ``|z| = 12``. For
    every activation in `ACTIVATIONS` it agrees with adaptive quadrature to better than
    1e-10 relative for ``q`` from 1e-6 to 1e4 (``tests/test_meanfield.py``).
    Gauss-Hermite rules, exact for polynomials, converge only algebraically across a
    kink, and slowly when ``sqrt(q)`` is large: with 300 nodes, ``E[tanh'(u)^2]`` at
    ``q = 20`` is 0.4% off.

    Parameters
    ----------
    f : callable
        Elementwise function of ``u``; smooth except possibly at 0.
    q : float or array_like, default 1.0
        Variance of ``u``, non-negative.

    Returns
    -------
    numpy.ndarray
        Same shape as `q`.

    Examples
    --------
    >>> round(float(expect(lambda u: u ** 4, 2.0)), 12)  # 3 q^2
    12.0
    """
    q = np.asarray(q, dtype=np.float64)
    return f(np.sqrt(q)[..., None] * _NODES) @ _WEIGHTS


def _expect_shifted(f, mean, std):
    # E[f(mean + std z)], z ~ N(0, 1), with the rule's breakpoint at the kink u = 0,
    # i.e. z0 = -mean / std (clipped to +-12: beyond, the kink carries no mass).
    mean, std = np.broadcast_arrays(np.asarray(mean, np.float64), np.asarray(std, np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        z0 = np.clip(np.where(std > 0, -mean / std, 0.0), -12.0, 12.0)
    off, w = _SHIFTED
    z = z0[..., None] + np.concatenate([-off[::-1], off])
    weights = np.concatenate([w[::-1], w]) * _npdf(z)
    return np.sum(f(mean[..., None] + std[..., None] * z) * weights, axis=-1)


def second_moment(f: str | Callable[[np.ndarray], np.ndarray], q: float = 1.0, param: float | None = None) -> float:
    """``E[f(u)^2]`` for ``u ~ N(0, q)``: what a layer's weights must make up for.

    Parameters
    ----------
    f : str or callable
        One of `ACTIVATIONS`, or any elementwise function smooth except possibly at 0.
    q : float, default 1.0
        Pre-activation variance, finite and > 0.
    param : float, optional
        Slope of ``leaky_relu`` or alpha of ``elu``; not accepted otherwise.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For an unknown name, ``q <= 0`` or not finite, or a `param` that does not apply.

    Examples
    --------
    >>> round(second_moment("relu"), 12)
    0.5
    >>> import numpy as np
    >>> round(second_moment(lambda u: u / (1 + np.abs(u))), 4)  # softsign
    0.183
    """
    q = check_positive("q", q)
    phi = _resolve(f, param, argname="f")
    return float(expect(lambda u: phi(u) ** 2, q))


def exact_gain(nonlinearity: str | Callable[[np.ndarray], np.ndarray], q: float = 1.0, param: float | None = None) -> float:
    """The gain ``g`` with ``g^2 = q / E[phi(u)^2]``, ``u ~ N(0, q)``.

    Weights of standard deviation ``g / sqrt(fan_in)`` then keep the pre-activation
    variance at `q` from layer to layer (the variance map of Poole et al. 2016, with
    no bias). For ``linear``, ``relu`` and ``leaky_relu`` (slope ``s``) the gain is
    ``1``, ``sqrt(2)`` and ``sqrt(2 / (1 + s^2))`` at every `q`, returned in closed form;
    the others come from `second_moment`'s quadrature, accurate to 1e-10 relative.

    Parameters
    ----------
    nonlinearity : str or callable
        One of `ACTIVATIONS`, or any elementwise function smooth except possibly at 0.
    q : float, default 1.0
        The pre-activation variance to keep, finite and > 0.
    param : float, optional
        Negative slope of ``leaky_relu`` (default 0.01) or alpha of ``elu`` (default 1);
        a `param` for any other nonlinearity raises.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For an unknown name (the message lists `ACTIVATIONS`), ``q <= 0`` or not finite,
        or a `param` that does not apply or is not finite.
    TypeError
        For a `nonlinearity` that is neither a string nor a callable, or a `q` or `param`
        that is not a real number.

    Examples
    --------
    >>> exact_gain("relu") == 2 ** 0.5
    True
    >>> round(exact_gain("tanh"), 4), round(exact_gain("gelu"), 4), round(exact_gain("silu"), 4)
    (1.5925, 1.5335, 1.6765)
    >>> round(exact_gain("selu"), 6)
    1.0
    """
    q = check_positive("q", q)
    phi = _resolve(nonlinearity, param, argname="nonlinearity")
    if isinstance(nonlinearity, str) and nonlinearity in _HOMOGENEOUS:
        slope = _param(nonlinearity, param)
        return {"linear": 1.0, "relu": math.sqrt(2.0)}.get(
            nonlinearity, math.sqrt(2.0 / (1.0 + (slope or 0.0) ** 2)))
    return math.sqrt(q / float(expect(lambda u: phi(u) ** 2, q)))


# ---------------------------------------------------------------------------- the maps


def variance_map(
    q: ArrayLike,
    sigma_w: ArrayLike,
    sigma_b: ArrayLike,
    activation: str | Callable[[np.ndarray], np.ndarray] = "tanh",
    param: float | None = None,
) -> np.ndarray:
    """One step of the mean-field variance recursion (Poole et al. 2016).

    ``q_next = sigma_w^2 E[phi(sqrt(q) z)^2] + sigma_b^2`` with ``z ~ N(0, 1)``: the
    pre-activation variance of a wide random network with weights
    ``N(0, sigma_w^2 / fan_in)`` and biases ``N(0, sigma_b^2)``.

    Parameters
    ----------
    q : float or array_like
        Pre-activation variance of the previous layer.
    sigma_w, sigma_b : float or array_like
        Weight and bias scales; broadcast against `q`.
    activation : str or callable, default "tanh"
        One of `ACTIVATIONS`, or an elementwise function.
    param : float, optional
        Slope of ``leaky_relu`` or alpha of ``elu``.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> round(float(variance_map(1.0, 2 ** 0.5, 0.0, "relu")), 12)
    1.0
    """
    phi = _resolve(activation, param)
    return np.asarray(sigma_w) ** 2 * expect(lambda u: phi(u) ** 2, q) + np.asarray(sigma_b) ** 2


def fixed_point(
    sigma_w: ArrayLike,
    sigma_b: ArrayLike,
    activation: str | Callable[[np.ndarray], np.ndarray] = "tanh",
    q0: float = 1.0,
    n_iter: int = 500,
    param: float | None = None,
) -> np.ndarray:
    """The fixed point ``q*`` of `variance_map`, found by iterating it from `q0`.

    Iteration stops early where ``q`` no longer changes (to 1e-15 relative).

    Parameters
    ----------
    sigma_w, sigma_b : float or array_like
        Weight and bias scales, broadcast together.
    activation : str or callable, default "tanh"
        One of `ACTIVATIONS`, or an elementwise function.
    q0 : float, default 1.0
        Starting variance.
    n_iter : int, default 500
        Most iterations; convergence is geometric except on the critical line at
        ``sigma_b = 0``, where ``q`` falls to 0 only like ``1 / n_iter``.
    param : float, optional
        Slope of ``leaky_relu`` or alpha of ``elu``.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(fixed_point(0.5, 0.0)) < 1e-12
    True
    >>> round(float(fixed_point(1.0, 0.0, "selu")), 8)  # Klambauer et al.'s (0, 1)
    1.0
    """
    sw, sb = np.broadcast_arrays(np.asarray(sigma_w, np.float64), np.asarray(sigma_b, np.float64))
    q = np.full(sw.shape, float(q0))
    active = np.ones(sw.shape, dtype=bool)
    for _ in range(int(n_iter)):
        new = variance_map(q[active], sw[active], sb[active], activation, param)
        done = np.abs(new - q[active]) <= 1e-15 * np.abs(new)
        q[active] = new
        active[active] = ~done
        if not active.any():
            break
    return q


def chi_1(
    sigma_w: ArrayLike,
    sigma_b: ArrayLike,
    activation: str = "tanh",
    q: ArrayLike | None = None,
    param: float | None = None,
) -> np.ndarray:
    """Mean-field gradient growth per layer, ``chi_1 = sigma_w^2 E[phi'(sqrt(q*) z)^2]``.

    ``chi_1 < 1`` is the ordered phase (gradients vanish), ``chi_1 > 1`` the chaotic phase
    (they explode); ``chi_1 = 1`` is the edge of chaos (Poole et al. 2016;
    Schoenholz et al. 2017). It is also the slope of `correlation_map` at
    ``c = 1``.

    Parameters
    ----------
    sigma_w, sigma_b : float or array_like
        Weight and bias scales, broadcast together.
    activation : str, default "tanh"
        One of `ACTIVATIONS` (a name: ``phi'`` is needed).
    q : float or array_like, optional
        Variance to evaluate at; `fixed_point` of the scales if omitted.
    param : float, optional
        Slope of ``leaky_relu`` or alpha of ``elu``.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> float(chi_1(0.9, 0.0)) < 1 < float(chi_1(1.5, 0.0))
    True
    """
    dphi = _resolve(activation, param, derivative=True)
    q = fixed_point(sigma_w, sigma_b, activation, param=param) if q is None else q
    return np.asarray(sigma_w) ** 2 * expect(lambda u: dphi(u) ** 2, q)


def correlation_map(
    c: float,
    q: float,
    sigma_w: float,
    sigma_b: float,
    activation: str | Callable[[np.ndarray], np.ndarray] = "tanh",
    param: float | None = None,
) -> float:
    """One step of the correlation map between two inputs (Poole et al. 2016).

    Two inputs whose pre-activations both have variance `q` and correlation `c` come out
    of the next layer with correlation
    ``(sigma_w^2 E[phi(u1) phi(u2)] + sigma_b^2) / variance_map(q)``, where ``(u1, u2)`` is
    Gaussian with variances `q` and correlation `c`. ``c = 1`` is always a fixed point
    at ``q = q*``; it is stable when `chi_1` < 1.

    Parameters
    ----------
    c : float
        Correlation, in [-1, 1].
    q : float
        Variance of both inputs' pre-activations, > 0 (usually `fixed_point`'s ``q*``).
    sigma_w, sigma_b : float
        Weight and bias scales.
    activation : str or callable, default "tanh"
        One of `ACTIVATIONS`, or an elementwise function.
    param : float, optional
        Slope of ``leaky_relu`` or alpha of ``elu``.

    Returns
    -------
    float

    Examples
    --------
    >>> round(correlation_map(1.0, 1.0, 2 ** 0.5, 0.0, "relu"), 10)
    1.0
    >>> round(correlation_map(0.0, 1.0, 2 ** 0.5, 0.0, "relu"), 6)  # 1 / pi
    0.31831
    """
    c = check_real("c", c)
    if not -1.0 <= c <= 1.0:
        raise ValueError(f"c must be in [-1, 1]; got {c!r}")
    q = check_positive("q", q)
    phi = _resolve(activation, param)
    s = math.sqrt(max(0.0, 1.0 - c * c))
    # Condition on u1 = sqrt(q) z1: then u2 ~ N(c u1, q (1 - c^2)).
    u1 = math.sqrt(q) * _NODES
    inner = _expect_shifted(phi, c * u1, math.sqrt(q) * s)
    cross = float(np.sum(phi(u1) * inner * _WEIGHTS))
    q_next = float(variance_map(q, sigma_w, sigma_b, activation, param))
    return (sigma_w**2 * cross + sigma_b**2) / q_next


def _sigma_b2_on_critical_line(q, activation, param):
    # On chi_1 = 1 with fixed point q: sigma_w^2 = 1 / E[phi'^2], sigma_b^2 = q - sigma_w^2 E[phi^2].
    phi, dphi = _resolve(activation, param), _resolve(activation, param, derivative=True)
    sw2 = 1.0 / expect(lambda u: dphi(u) ** 2, q)
    return sw2, q - sw2 * expect(lambda u: phi(u) ** 2, q)


def critical_sigma_w(sigma_b: ArrayLike, activation: str = "tanh", param: float | None = None) -> np.ndarray:
    """The order-to-chaos boundary: the ``sigma_w`` at which ``chi_1 = 1`` for a given ``sigma_b``.

    Along the boundary ``q*`` fixes both scales: ``sigma_w^2 = 1 / E[phi'(sqrt(q*) z)^2]`` and
    ``sigma_b^2 = q* - sigma_w^2 E[phi(sqrt(q*) z)^2]`` (Poole et al. 2016). This
    solves the second equation for ``q*`` by bisection on ``log q*`` in [1e-12, 1e4]. For
    ``linear``, ``relu`` and ``leaky_relu`` ``E[phi'^2]`` does not depend on ``q`` and the
    boundary is the vertical line ``sigma_w = 1 / sqrt(E[phi'^2])``.

    Parameters
    ----------
    sigma_b : float or array_like
        Bias scale(s), >= 0.
    activation : str, default "tanh"
        One of `ACTIVATIONS`.
    param : float, optional
        Slope of ``leaky_relu`` or alpha of ``elu``.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        If `sigma_b` is negative, if the boundary has no point with ``q*`` in the range
        searched for it, or if that ``q*`` is not where `fixed_point` goes from ``q = 1``
        (for ``gelu`` and ``silu`` the variance grows without bound once
        ``sigma_w^2 > 2``).

    Examples
    --------
    >>> round(float(critical_sigma_w(0.0)), 6)
    1.0
    >>> round(float(critical_sigma_w(1.0, "relu")), 12) == round(2 ** 0.5, 12)
    True
    """
    sb = np.asarray(sigma_b, dtype=np.float64)
    if np.any(~np.isfinite(sb)) or np.any(sb < 0):
        raise ValueError(f"sigma_b must be finite and >= 0; got {sigma_b!r}")
    if isinstance(activation, str) and activation in _HOMOGENEOUS:
        dphi = _resolve(activation, param, derivative=True)
        return np.full(sb.shape, 1.0 / math.sqrt(float(expect(lambda u: dphi(u) ** 2, 1.0))))
    lo, hi = np.full(sb.shape, math.log(1e-12)), np.full(sb.shape, math.log(1e4))
    b_lo = _sigma_b2_on_critical_line(np.exp(lo), activation, param)[1]
    b_hi = _sigma_b2_on_critical_line(np.exp(hi), activation, param)[1]
    # For phi(0) = 0 (tanh), sigma_b = 0 is the q* -> 0 end of the line, sigma_w = 1 / |phi'(0)|,
    # where sigma_b^2(q) vanishes to within rounding: take the bracket's lower end for it.
    target = np.where((sb == 0) & (np.abs(b_lo) < 1e-20), b_lo, sb**2)
    if np.any((target - b_lo) * (target - b_hi) > 0):
        raise ValueError(f"no point of the {activation!r} critical line has sigma_b = {sigma_b!r} "
                         "with q* in [1e-12, 1e4]")
    rising = b_hi > b_lo
    for _ in range(60):
        mid = (lo + hi) / 2
        above = _sigma_b2_on_critical_line(np.exp(mid), activation, param)[1] > target
        go_left = above == rising
        hi, lo = np.where(go_left, mid, hi), np.where(go_left, lo, mid)
    q_star = np.exp((lo + hi) / 2)
    sigma_w = np.sqrt(_sigma_b2_on_critical_line(q_star, activation, param)[0])
    # The point is only a boundary if the network goes there: the variance map, iterated
    # from q = 1 as `chi_1` does, must reach this q* (it runs off to infinity instead for
    # gelu or silu once sigma_w^2 > 2). At the q* -> 0 end convergence is too slow to check.
    check = target != b_lo
    reached = fixed_point(sigma_w[check], sb[check], activation, param=param)
    if not np.allclose(reached, q_star[check], rtol=1e-6):
        raise ValueError(f"the {activation!r} critical point for sigma_b = {sigma_b!r} has a fixed "
                         "point that iterating the variance map from q = 1 does not reach")
    return sigma_w


# ------------------------------------------------------------------ phase diagram and check


@dataclass
class EdgeOfChaos:
    """Mean-field phase diagram over a grid of scales (see `edge_of_chaos`).

    Attributes
    ----------
    sigma_w, sigma_b : numpy.ndarray
        The grid axes.
    q_star, chi_1 : numpy.ndarray
        Fixed-point variance and gradient growth, shape ``(len(sigma_b), len(sigma_w))``.
    critical_sigma_w, critical_sigma_b : numpy.ndarray
        Points on the critical line ``chi_1 = 1``, ordered by increasing ``q*``; the line
        starts at ``(phi'(0)^-1, 0)``, which is ``(1, 0)`` for tanh.
    """

    sigma_w: np.ndarray
    sigma_b: np.ndarray
    q_star: np.ndarray
    chi_1: np.ndarray
    critical_sigma_w: np.ndarray
    critical_sigma_b: np.ndarray


def edge_of_chaos(sigma_w=None, sigma_b=None, activation="tanh", param=None) -> EdgeOfChaos:
    """The order-to-chaos phase diagram of a wide random network (Poole et al. 2016).

    The critical line is traced exactly by its variance: for each ``q*``, ``chi_1 = 1``
    gives ``sigma_w^2 = 1 / E[phi'(sqrt(q*) z)^2]`` and the fixed-point equation then
    gives ``sigma_b^2 = q* - sigma_w^2 E[phi(sqrt(q*) z)^2]``.

    Parameters
    ----------
    sigma_w : array_like, default ``numpy.linspace(0.5, 4.0, 36)``
        Weight scales, the grid's columns.
    sigma_b : array_like, default ``numpy.linspace(0.0, 1.0, 21)``
        Bias scales, the grid's rows.
    activation : str, default "tanh"
        One of `ACTIVATIONS`; needs ``phi'(0) != 0``, so not relu.
    param : float, optional
        Slope of ``leaky_relu`` or alpha of ``elu``.

    Returns
    -------
    EdgeOfChaos

    Examples
    --------
    >>> diagram = edge_of_chaos([0.8, 1.2, 2.0], [0.0, 0.5])
    >>> diagram.chi_1.shape
    (2, 3)
    >>> round(float(diagram.critical_sigma_w[0]), 3), round(float(diagram.critical_sigma_b[0]), 3)
    (1.0, 0.0)
    """
    sigma_w = np.linspace(0.5, 4.0, 36) if sigma_w is None else np.asarray(sigma_w, dtype=float)
    sigma_b = np.linspace(0.0, 1.0, 21) if sigma_b is None else np.asarray(sigma_b, dtype=float)
    sw, sb = np.meshgrid(sigma_w, sigma_b)
    q_star = fixed_point(sw, sb, activation, param=param)
    sw2, sb2 = _sigma_b2_on_critical_line(np.geomspace(1e-6, 10.0, 200), activation, param)
    keep = sb2 >= 0
    return EdgeOfChaos(
        sigma_w, sigma_b, q_star,
        chi_1(sw, sb, activation, q_star, param), np.sqrt(sw2[keep]), np.sqrt(sb2[keep]),
    )


@dataclass
class MeanFieldCheck:
    """Mean-field theory against a finite random network (see `mean_field_check`).

    Attributes
    ----------
    q_theory, q_empirical : numpy.ndarray
        Pre-activation variance of each layer, from `variance_map` and measured.
    chi_1_theory : float
        `chi_1` at the fixed point.
    chi_1_empirical : float
        Geometric mean, over the second half of the layers, of the ratio of successive
        layers' back-propagated gradient variances.
    """

    q_theory: np.ndarray
    q_empirical: np.ndarray
    chi_1_theory: float
    chi_1_empirical: float


# The network's activations (weightinit.nn) under their mean-field names: nn's gelu is the
# tanh approximation.
_NN_TO_MEANFIELD = {"gelu": "gelu_tanh"}


def mean_field_check(sigma_w=1.5, sigma_b=0.3, activation="tanh", depth=30, width=500,
                     n_samples=50, rng=None) -> MeanFieldCheck:
    """Compare the mean-field recursion with a finite random network.

    The network has weights ``N(0, sigma_w^2 / fan_in)``, biases ``N(0, sigma_b^2)`` and
    ``N(0, 1)`` inputs, so its first layer's variance is ``sigma_w^2 + sigma_b^2``.

    Parameters
    ----------
    sigma_w, sigma_b : float, default 1.5 and 0.3
        Weight and bias scales.
    activation : str, default "tanh"
        Activation of every layer, one of ``weightinit.nn.ACTIVATIONS``.
    depth : int, default 30
        Number of layers.
    width : int, default 500
        Width of the inputs and of every layer.
    n_samples : int, default 50
        Number of inputs.
    rng : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    MeanFieldCheck

    Examples
    --------
    >>> check = mean_field_check(depth=10, width=200, rng=0)
    >>> bool(abs(check.q_empirical[-1] / check.q_theory[-1] - 1) < 0.2)
    True
    """
    gen = as_generator(rng)
    x = gen.standard_normal((int(n_samples), int(width)))
    net = MLP(
        Dense.create(width, width, activation,
                     lambda shape, rng: sigma_w / np.sqrt(shape[0]) * rng.standard_normal(shape),
                     lambda shape, rng: sigma_b * rng.standard_normal(shape), gen)
        for _ in range(int(depth))
    )
    theory = _NN_TO_MEANFIELD.get(activation, activation)
    trace = net.forward(x)
    grads = net.backward(trace, gen.standard_normal(trace.a[-1].shape))
    q_theory = [sigma_w**2 + sigma_b**2]
    for _ in range(int(depth) - 1):
        q_theory.append(float(variance_map(q_theory[-1], sigma_w, sigma_b, theory)))
    grad_vars = np.array([np.mean(g**2) for g in grads.z])
    ratios = grad_vars[:-1] / grad_vars[1:]
    return MeanFieldCheck(
        np.array(q_theory), np.array([np.mean(z**2) for z in trace.z]),
        float(chi_1(sigma_w, sigma_b, theory)),
        float(np.exp(np.mean(np.log(ratios[len(ratios) // 2:])))),
    )
