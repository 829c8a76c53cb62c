"""Weight initializers for NumPy.

Every random scheme in this module is a thin specialisation of one primitive,
:func:`variance_scaling`: a scheme is a choice of ``scale``, ``mode`` (which fan
divides it) and ``distribution``. The layout is the one of ``y = x @ W``: a dense
weight has shape ``(fan_in, fan_out)`` and a convolution kernel
``(*kernel_size, in_channels, out_channels)``. PyTorch stores ``(out, in, *kernel)``;
pass ``in_axis=1, out_axis=0`` for that layout.

All initializers return a new :class:`numpy.ndarray` and accept ``rng`` (``None``,
an int seed or a :class:`numpy.random.Generator`) and ``dtype`` (float16, float32
or float64).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ._checks import (
    DTypeLike,
    Seed,
    Shape,
    as_generator,
    check_axes,
    check_choice,
    check_dtype,
    check_positive,
    check_real,
    check_shape,
)
from ._sampling import (
    BLOCK,
    GENERATED,
    fill,
    inside,
    normal_mass,
    scaled,
    standard_truncated,
    symmetric_uniform,
    truncated_moments,
)

__all__ = [
    "MODES",
    "DISTRIBUTIONS",
    "NONLINEARITIES",
    "TRUNCATED_STD",
    "compute_fans",
    "select_fan",
    "VARIANCE_SCALING_SCHEMES",
    "variance_scaling_triple",
    "ALIASES",
    "INITIALIZERS",
    "initializer",
    "gain",
    "variance_scaling",
    "zeros",
    "ones",
    "constant",
    "normal",
    "uniform",
    "truncated_normal",
    "lecun_normal",
    "lecun_uniform",
    "glorot_normal",
    "glorot_uniform",
    "xavier_normal",
    "xavier_uniform",
    "he_normal",
    "he_uniform",
    "kaiming_normal",
    "kaiming_uniform",
    "orthogonal",
    "identity",
    "sparse",
    "n_zero",
    "pytorch_default",
]

#: What each ``mode`` divides the variance by, as a function of ``(fan_in, fan_out)``.
_FANS = {
    "fan_in": lambda fan_in, fan_out: fan_in,
    "fan_out": lambda fan_in, fan_out: fan_out,
    "fan_avg": lambda fan_in, fan_out: (fan_in + fan_out) / 2,
    "fan_geo_avg": lambda fan_in, fan_out: math.sqrt(fan_in * fan_out),
}
MODES = tuple(_FANS)
DISTRIBUTIONS = ("normal", "truncated_normal", "uniform")
_UNIT_GAIN = (
    "linear",
    "identity",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)
NONLINEARITIES = _UNIT_GAIN + ("tanh", "relu", "leaky_relu", "selu")

#: Standard deviation of N(0, 1) truncated to (-2, 2): about 0.8796.
TRUNCATED_STD = truncated_moments(-2.0, 2.0)[1]

# ----------------------------------------------------------------------------- fans


def compute_fans(shape: Shape, in_axis: int = -2, out_axis: int = -1) -> tuple[int, int]:
    """Return ``(fan_in, fan_out)`` of a weight of the given shape.

    The receptive field is the product of every axis other than ``in_axis`` and
    ``out_axis``; ``fan_in = shape[in_axis] * receptive_field`` and
    ``fan_out = shape[out_axis] * receptive_field``.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions.
    in_axis, out_axis : int
        Axes of the input and output units. The defaults fit ``x @ W``: a dense
        weight ``(fan_in, fan_out)`` and a conv kernel ``(*kernel, in, out)``.
        PyTorch's ``(out, in, *kernel)`` layout is ``in_axis=1, out_axis=0``.

    Returns
    -------
    fan_in, fan_out : int

    Notes
    -----
    A grouped convolution stores ``in_channels / groups`` on its input axis, so
    ``fan_in`` is right as computed, and ``fan_out`` counts all output channels
    although each input feeds only ``out_channels / groups`` of them: divide it
    by ``groups`` if you use ``mode="fan_out"``. A transposed convolution's kernel
    stores the layer's output channels on what PyTorch calls the input axis: its
    "fan_in" is the layer's fan-out.

    Examples
    --------
    >>> compute_fans((256, 128))
    (256, 128)
    >>> compute_fans((3, 3, 64, 128))
    (576, 1152)
    >>> compute_fans((128, 64, 3, 3), in_axis=1, out_axis=0)
    (576, 1152)
    """
    shape = check_shape(shape)
    i, o = check_axes(shape, in_axis, out_axis)
    receptive = math.prod(d for k, d in enumerate(shape) if k not in (i, o))
    return shape[i] * receptive, shape[o] * receptive


def select_fan(mode: str, fan_in: float, fan_out: float) -> float:
    """The fan that ``mode`` names: the ``n`` in a variance of ``scale / n``.

    Parameters
    ----------
    mode : {"fan_in", "fan_out", "fan_avg", "fan_geo_avg"}
        ``fan_avg`` is the arithmetic mean of the fans, ``fan_geo_avg`` the geometric mean.
    fan_in, fan_out : float
        The fans, as returned by :func:`compute_fans`.

    Returns
    -------
    float

    Examples
    --------
    >>> select_fan("fan_avg", 300, 100), select_fan("fan_geo_avg", 400, 100)
    (200.0, 200.0)
    """
    return _FANS[check_choice("mode", mode, MODES)](fan_in, fan_out)


# ----------------------------------------------------------------------------- gain


def gain(nonlinearity: str, param: float | None = None) -> float:
    """Recommended gain: the factor that keeps activations' scale through a layer.

    - ``linear``, ``identity``, ``conv*``, ``sigmoid``: :math:`1`
    - ``tanh``: :math:`5/3`
    - ``relu``: :math:`\\sqrt{2}`
    - ``leaky_relu``: :math:`\\sqrt{2 / (1 + s^2)}` with ``s = param`` (default 0.01)
    - ``selu``: :math:`3/4`

    ReLU zeroes half of a symmetric input, halving its second moment, hence
    :math:`\\sqrt{2}`; a leaky ReLU of slope ``s`` keeps :math:`(1 + s^2)/2` of it.
    The tanh and SELU values are PyTorch's choices: tanh's comes without a
    derivation, SELU's was "found empirically".

    Parameters
    ----------
    nonlinearity : str
        One of :data:`NONLINEARITIES`.
    param : float, optional
        Negative slope of ``leaky_relu`` (default 0.01). Not accepted for the others.

    Returns
    -------
    float

    Examples
    --------
    >>> round(gain("relu"), 4)
    1.4142
    >>> gain("tanh")
    1.6666666666666667
    """
    check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    if nonlinearity != "leaky_relu" and param is not None:
        raise ValueError(f"param is only used by nonlinearity='leaky_relu'; got param={param!r}")
    if nonlinearity in _UNIT_GAIN:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "selu":
        return 0.75
    slope = 0.01 if param is None else check_real("param", param)
    return math.sqrt(2.0 / (1.0 + slope**2))


# ------------------------------------------------------------------------ sampling
def variance_scaling(
    shape: Shape,
    scale: float = 1.0,
    mode: str = "fan_in",
    distribution: str = "normal",
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Draw weights with variance ``scale / n``, where ``n`` is a fan.

    The primitive behind LeCun, Glorot/Xavier and He/Kaiming initialization.

    .. math::

        \\operatorname{Var}(W) = \\frac{\\text{scale}}{n},\\qquad
        n = n_\\text{in},\\ n_\\text{out},\\ \\tfrac{n_\\text{in}+n_\\text{out}}{2}
        \\text{ or } \\sqrt{n_\\text{in} n_\\text{out}}

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions.
    scale : float
        Positive multiplier of the variance (``gain**2``).
    mode : {"fan_in", "fan_out", "fan_avg", "fan_geo_avg"}
        Which fan divides ``scale``.
    distribution : {"normal", "truncated_normal", "uniform"}
        ``normal`` is untruncated. ``truncated_normal`` is cut at two standard
        deviations and rescaled by :data:`TRUNCATED_STD` so that its variance is
        exactly ``scale / n``. ``uniform`` is :math:`U(-\\sqrt{3\\,\\text{scale}/n},
        +\\sqrt{3\\,\\text{scale}/n})`.
    in_axis, out_axis : int
        See :func:`compute_fans`.
    rng : None, int or numpy.random.Generator
        Source of randomness.
    dtype : float16, float32 or float64
        float32 is generated directly, with no float64 temporaries.

    Returns
    -------
    numpy.ndarray
        A new array of the given shape and dtype.

    References
    ----------
    The JAX ``variance_scaling`` initializer has the same parameters.

    Examples
    --------
    >>> w = variance_scaling((512, 256), scale=2.0, mode="fan_in", rng=0)
    >>> round(float(w.var() * 512), 1)
    2.0
    """
    shape = check_shape(shape)
    fan_in, fan_out = compute_fans(shape, in_axis, out_axis)
    scale = check_positive("scale", scale)
    check_choice("mode", mode, MODES)
    check_choice("distribution", distribution, DISTRIBUTIONS)
    dtype = check_dtype(dtype)
    gen = as_generator(rng)
    out = np.empty(shape, dtype)
    if out.size == 0:
        return out
    std = math.sqrt(scale / select_fan(mode, fan_in, fan_out))
    if distribution == "uniform":
        # A bound rounded toward zero in the output dtype keeps every value within the true bound.
        bound = inside(-math.sqrt(3.0) * std, math.sqrt(3.0) * std, dtype, (False, False))[1]
        return fill(out, symmetric_uniform(gen, float(bound), GENERATED.get(dtype, dtype)))
    if distribution == "normal":
        return fill(out, lambda buf: scaled(gen.standard_normal(out=buf, dtype=buf.dtype), std))
    cut = 2.0 * std / TRUNCATED_STD
    return fill(
        out,
        lambda buf: scaled(standard_truncated(gen, buf, -2.0, 2.0), std / TRUNCATED_STD),
        inside(-cut, cut, dtype, (True, True)),
    )


# ----------------------------------------------------------------- plain schemes


def zeros(shape: Shape, *, rng: Seed = None, dtype: DTypeLike = np.float64) -> np.ndarray:
    """All zeros: biases and a classifier's last layer; in a hidden layer the units stay equal.

    Parameters
    ----------
    shape : int or sequence of int
    rng : ignored
        Accepted so that every initializer has the same call signature.
    dtype : float16, float32 or float64

    Examples
    --------
    >>> zeros((2, 3))
    array([[0., 0., 0.],
           [0., 0., 0.]])
    """
    return constant(shape, 0.0, dtype=dtype)


def ones(shape: Shape, *, rng: Seed = None, dtype: DTypeLike = np.float64) -> np.ndarray:
    """All ones. Used for normalization scales; as weights it breaks no symmetry.

    Parameters
    ----------
    shape : int or sequence of int
    rng : ignored
        Accepted so that every initializer has the same call signature.
    dtype : float16, float32 or float64

    Examples
    --------
    >>> ones(3)
    array([1., 1., 1.])
    """
    return constant(shape, 1.0, dtype=dtype)


def constant(
    shape: Shape,
    value: float = 0.0,
    *,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Every entry equal to ``value``.

    Parameters
    ----------
    shape : int or sequence of int
    value : float
        A finite number.
    rng : ignored
        Accepted so that every initializer has the same call signature.
    dtype : float16, float32 or float64

    Examples
    --------
    >>> constant((2, 2), 0.5)
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    shape = check_shape(shape)
    value = check_real("value", value)
    return np.full(shape, value, dtype=check_dtype(dtype))


def normal(
    shape: Shape,
    std: float = 0.01,
    mean: float = 0.0,
    *,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Gaussian weights :math:`\\mathcal{N}(\\text{mean}, \\text{std}^2)` with a fixed std.

    The default ``0.01`` is the "small random" initialization: it ignores the
    fans, so activations shrink layer after layer in deep networks.

    Parameters
    ----------
    shape : int or sequence of int
    std : float
        Positive standard deviation.
    mean : float
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    Examples
    --------
    >>> w = normal((1000, 1000), std=0.01, rng=0)
    >>> round(float(w.std()), 3)
    0.01
    """
    shape = check_shape(shape)
    std = check_positive("std", std)
    mean = check_real("mean", mean)
    dtype = check_dtype(dtype)
    gen = as_generator(rng)
    return fill(np.empty(shape, dtype), lambda buf: scaled(gen.standard_normal(out=buf, dtype=buf.dtype), std, mean))


def uniform(
    shape: Shape,
    low: float = -0.05,
    high: float = 0.05,
    *,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Uniform weights on ``[low, high)``.

    The defaults are Keras' ``RandomUniform``; PyTorch's ``uniform_`` defaults
    to ``[0, 1)``.

    Parameters
    ----------
    shape : int or sequence of int
    low, high : float
        Finite bounds with ``low < high``.
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    Examples
    --------
    >>> w = uniform((100, 100), -0.1, 0.1, rng=0)
    >>> bool(w.min() >= -0.1 and w.max() < 0.1)
    True
    """
    shape = check_shape(shape)
    low, high = check_real("low", low), check_real("high", high)
    if not low < high:
        raise ValueError(f"low must be less than high; got low={low}, high={high}")
    dtype = check_dtype(dtype)
    gen = as_generator(rng)
    return fill(
        np.empty(shape, dtype),
        lambda buf: scaled(gen.random(out=buf, dtype=buf.dtype), high - low, low),
        # Rounding of the scale and the shift could otherwise reach ``high`` or pass ``low``.
        inside(low, high, dtype, (False, True)),
    )


def truncated_normal(
    shape: Shape,
    std: float = 0.01,
    mean: float = 0.0,
    a: float = -2.0,
    b: float = 2.0,
    *,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Gaussian :math:`\\mathcal{N}(\\text{mean}, \\text{std}^2)` conditioned on
    ``mean + a*std < x < mean + b*std``.

    ``a`` and ``b`` are in units of ``std``, as in Keras and JAX. PyTorch's
    ``trunc_normal_(mean, std, a, b)`` takes *absolute* bounds: with ``std=0.02``
    its default ``a=-2, b=2`` cuts at 100 standard deviations, i.e. not at all.
    ``std`` is the parent Gaussian's, so the result's standard deviation is
    smaller: about ``0.88 * std`` for the default cut. Use
    ``variance_scaling(..., distribution="truncated_normal")`` for a variance
    that is corrected.

    Parameters
    ----------
    shape : int or sequence of int
    std : float
        Positive standard deviation of the untruncated Gaussian.
    mean : float
    a, b : float
        Cut points in units of ``std``, ``a < b``.
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    Examples
    --------
    >>> w = truncated_normal((200, 200), std=0.02, rng=0)
    >>> bool(abs(w).max() < 0.04)
    True
    """
    shape = check_shape(shape)
    std = check_positive("std", std)
    mean = check_real("mean", mean)
    a, b = check_real("a", a), check_real("b", b)
    if not a < b:
        raise ValueError(f"a must be less than b; got a={a}, b={b}")
    dtype = check_dtype(dtype)
    gen = as_generator(rng)
    return fill(
        np.empty(shape, dtype),
        lambda buf: scaled(standard_truncated(gen, buf, a, b), std, mean),
        # Rounding of the scale, the shift or a cast to float16 could otherwise reach a bound.
        inside(mean + a * std, mean + b * std, dtype, (True, True)),
    )


# ------------------------------------------------------------ variance scaling family


def _gain_squared(gain) -> float:
    g = check_positive("gain", gain)
    return g * g


def _he_scale(negative_slope) -> float:
    s = check_real("negative_slope", negative_slope)
    return 2.0 / (1.0 + s * s)


#: Each named variance-scaling scheme as the ``(scale, mode, distribution)`` of one
#: :func:`variance_scaling` call: the one place these triples are written. ``scale``
#: is a function of the scheme's own parameters, by name; a ``mode`` of None means
#: the scheme's ``mode`` parameter chooses the fan.
VARIANCE_SCALING_SCHEMES = {
    "lecun_normal": (lambda: 1.0, "fan_in", "normal"),
    "lecun_uniform": (lambda: 1.0, "fan_in", "uniform"),
    "glorot_normal": (_gain_squared, "fan_avg", "normal"),
    "glorot_uniform": (_gain_squared, "fan_avg", "uniform"),
    "he_normal": (_he_scale, None, "normal"),
    "he_uniform": (_he_scale, None, "uniform"),
    "pytorch_default": (lambda: 1.0 / 3.0, "fan_in", "uniform"),
}


def variance_scaling_triple(name: str, **params: float) -> tuple[float, str, str]:
    """The ``(scale, mode, distribution)`` with which a named scheme calls :func:`variance_scaling`.

    Parameters
    ----------
    name : str
        A key of :data:`VARIANCE_SCALING_SCHEMES`.
    **params
        The scheme's parameters (``gain``, ``mode``, ``negative_slope``), all of them.

    Returns
    -------
    scale : float
    mode : str
    distribution : str

    Examples
    --------
    >>> variance_scaling_triple("glorot_uniform", gain=2.0)
    (4.0, 'fan_avg', 'uniform')
    >>> variance_scaling_triple("he_normal", mode="fan_out", negative_slope=0.0)
    (2.0, 'fan_out', 'normal')
    """
    check_choice("name", name, tuple(VARIANCE_SCALING_SCHEMES))
    scale, mode, distribution = VARIANCE_SCALING_SCHEMES[name]
    if mode is None:
        mode = check_choice("mode", params.pop("mode", None), MODES)
    return scale(**params), mode, distribution


def _variance_scaled(name, shape, in_axis, out_axis, rng, dtype, **params) -> np.ndarray:
    """Draw the named scheme: :func:`variance_scaling` with its triple."""
    triple = variance_scaling_triple(name, **params)
    return variance_scaling(shape, *triple, in_axis=in_axis, out_axis=out_axis, rng=rng, dtype=dtype)


def lecun_normal(
    shape: Shape,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """LeCun normal: :math:`\\mathcal{N}(0, 1/n_\\text{in})`.

    Keeps the variance of pre-activations equal to that of the inputs in the
    forward pass. The right choice for SELU networks. Keras and Flax truncate it
    (with the variance corrected); this one is untruncated.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions; see :func:`compute_fans`.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    LeCun, Bottou, Orr and Müller (1998): ``"lecun1998"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> w = lecun_normal((400, 300), rng=0)
    >>> round(float(w.var() * 400), 1)
    1.0
    """
    return _variance_scaled("lecun_normal", shape, in_axis, out_axis, rng, dtype)


def lecun_uniform(
    shape: Shape,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """LeCun uniform: :math:`U(-\\sqrt{3/n_\\text{in}}, \\sqrt{3/n_\\text{in}})`.

    Same variance as :func:`lecun_normal`.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions; see :func:`compute_fans`.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    LeCun, Bottou, Orr and Müller (1998): ``"lecun1998"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> w = lecun_uniform((300, 100), rng=0)
    >>> bool(abs(w).max() <= (3 / 300) ** 0.5)
    True
    """
    return _variance_scaled("lecun_uniform", shape, in_axis, out_axis, rng, dtype)


def glorot_normal(
    shape: Shape,
    gain: float = 1.0,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Glorot (Xavier) normal: :math:`\\mathcal{N}(0, g^2 \\cdot 2/(n_\\text{in}+n_\\text{out}))`.

    A compromise between keeping the forward variance (``1/fan_in``) and the
    backward variance (``1/fan_out``). Suited to tanh, sigmoid and linear layers.
    PyTorch's ``xavier_normal_`` is untruncated like this one; Keras' and JAX's
    ``glorot_normal`` are truncated with the variance corrected.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions; see :func:`compute_fans`.
    gain : float
        Positive multiplier of the standard deviation; see :func:`gain`.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    Glorot and Bengio (2010): ``"glorot2010"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> w = glorot_normal((300, 100), rng=0)
    >>> round(float(w.var() * (300 + 100) / 2), 1)
    1.0
    """
    return _variance_scaled("glorot_normal", shape, in_axis, out_axis, rng, dtype, gain=gain)


def glorot_uniform(
    shape: Shape,
    gain: float = 1.0,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Glorot (Xavier) uniform: :math:`U(-a, a)`, :math:`a = g\\sqrt{6/(n_\\text{in}+n_\\text{out})}`.

    The Keras default for ``Dense`` and ``Conv`` kernels.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions; see :func:`compute_fans`.
    gain : float
        Positive multiplier of the bound; see :func:`gain`.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    Glorot and Bengio (2010): ``"glorot2010"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> w = glorot_uniform((300, 100), rng=0)
    >>> bool(abs(w).max() <= (6 / 400) ** 0.5)
    True
    """
    return _variance_scaled("glorot_uniform", shape, in_axis, out_axis, rng, dtype, gain=gain)


def he_normal(
    shape: Shape,
    mode: str = "fan_in",
    negative_slope: float = 0.0,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """He (Kaiming) normal: :math:`\\mathcal{N}(0, 2/((1+s^2)\\,n))`, ``n`` the chosen fan.

    ReLU zeroes half of its input, which halves the second moment passed to the
    next layer; doubling the variance compensates. ``negative_slope`` ``s`` is
    the slope of a leaky ReLU or PReLU (0 for ReLU). PyTorch's
    ``kaiming_normal_`` is untruncated like this one; Keras' ``HeNormal`` is
    truncated with the variance corrected.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions; see :func:`compute_fans`.
    mode : {"fan_in", "fan_out", "fan_avg", "fan_geo_avg"}
        ``fan_in`` preserves the forward pass, ``fan_out`` the backward pass.
    negative_slope : float
        Slope of the activation for negative inputs.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    He, Zhang, Ren and Sun (2015): ``"he2015"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> w = he_normal((512, 256), rng=0)
    >>> round(float(w.var() * 512), 1)
    2.0
    """
    return _variance_scaled(
        "he_normal", shape, in_axis, out_axis, rng, dtype, mode=mode, negative_slope=negative_slope
    )


def he_uniform(
    shape: Shape,
    mode: str = "fan_in",
    negative_slope: float = 0.0,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """He (Kaiming) uniform: :math:`U(-a, a)`, :math:`a = \\sqrt{6/((1+s^2)\\,n)}`.

    Same variance as :func:`he_normal`.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions; see :func:`compute_fans`.
    mode : {"fan_in", "fan_out", "fan_avg", "fan_geo_avg"}
    negative_slope : float
        Slope of the activation for negative inputs.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    He, Zhang, Ren and Sun (2015): ``"he2015"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> w = he_uniform((600, 100), rng=0)
    >>> bool(abs(w).max() <= (6 / 600) ** 0.5)
    True
    """
    return _variance_scaled(
        "he_uniform", shape, in_axis, out_axis, rng, dtype, mode=mode, negative_slope=negative_slope
    )


def pytorch_default(
    shape: Shape,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """PyTorch's ``nn.Linear`` / ``nn.ConvNd`` default: :math:`U(-1/\\sqrt{n_\\text{in}}, 1/\\sqrt{n_\\text{in}})`.

    PyTorch writes it as ``kaiming_uniform_(w, a=math.sqrt(5))``. Its variance
    is :math:`1/(3 n_\\text{in})`: a third of LeCun's and a sixth of He's. It is
    not He initialization. PyTorch draws the bias from the same interval.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions; see :func:`compute_fans`.
    in_axis, out_axis : int
        Input and output axes. For a tensor in PyTorch's ``(out, in, *kernel)``
        layout pass ``in_axis=1, out_axis=0``.
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    PyTorch documentation, ``torch.nn.Linear`` (``torch.nn.Conv2d`` does the same):
    ``"pytorch-linear"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> w = pytorch_default((400, 10), rng=0)
    >>> bool(abs(w).max() <= 1 / 20)
    True
    """
    return _variance_scaled("pytorch_default", shape, in_axis, out_axis, rng, dtype)


xavier_normal = glorot_normal
xavier_uniform = glorot_uniform
kaiming_normal = he_normal
kaiming_uniform = he_uniform


# ----------------------------------------------------------- structured schemes


def _as_matrix_shape(shape: Shape, in_axis, out_axis) -> tuple[tuple[int, ...], int]:
    """Shape of the matrix view (one column per output unit) and the output axis."""
    _, o = check_axes(shape, in_axis, out_axis)
    rows = math.prod(d for k, d in enumerate(shape) if k != o)
    return (rows, shape[o]), o


def _from_matrix(w: np.ndarray, shape: tuple[int, ...], o: int) -> np.ndarray:
    """Inverse of the matrix view: columns go back to axis ``o``."""
    moved = w.reshape([d for k, d in enumerate(shape) if k != o] + [shape[o]])
    return np.ascontiguousarray(np.moveaxis(moved, -1, o))


def orthogonal(
    shape: Shape,
    gain: float = 1.0,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """(Semi-)orthogonal weights scaled by ``gain``.

    The weight is viewed as a matrix with one column per output unit: ``rows``
    is the product of every axis but ``out_axis`` (``fan_in`` for a dense layer,
    ``kernel_size * in_channels`` for a conv kernel) and ``cols = shape[out_axis]``.
    If ``rows >= cols`` the columns are orthonormal, :math:`W^\\top W = g^2 I`;
    otherwise the rows are, :math:`W W^\\top = g^2 I`. The matrix is the Q factor
    of a Gaussian matrix's QR decomposition with the signs of R's diagonal moved
    into Q, which makes it uniform (Haar) over orthogonal matrices (Mezzadri 2007).
    The QR is of the smaller side and runs in place, in float32 for float32 and
    float16 weights and in float64 for float64 ones: the peak memory is the draw
    plus, unless the weight is a dense ``(rows, cols)`` one with ``rows < cols``,
    one copy of the result in its layout.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions.
    gain : float
        Positive scale of the singular values.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    Saxe, McClelland and Ganguli (2014); Mezzadri (2007), the sign fix of the QR
    decomposition: ``"saxe2014"`` and ``"mezzadri2007"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> import numpy as np
    >>> w = orthogonal((256, 128), rng=0)
    >>> bool(np.allclose(w.T @ w, np.eye(128)))
    True
    """
    shape = check_shape(shape)
    (rows, cols), o = _as_matrix_shape(shape, in_axis, out_axis)
    g = check_positive("gain", gain)
    dtype = check_dtype(dtype)
    gen = as_generator(rng)
    if rows * cols == 0:
        return np.zeros(shape, dtype=dtype)
    m, n = max(rows, cols), min(rows, cols)
    # A wide weight is the transpose of a tall one: the QR is always of the smaller side.
    # Its Q lands in place of the Gaussian draw, in the working dtype (float16 works in float32).
    q = _haar_columns(gen, m, n, GENERATED.get(dtype, dtype), g)
    if rows < cols:
        q = q.T  # C-contiguous: for a dense (rows, cols) weight no copy follows
    return _from_matrix(q, shape, o).astype(dtype, copy=False)


def _haar_columns(gen: np.random.Generator, m: int, n: int, work: np.dtype, gain: float) -> np.ndarray:
    """``gain`` times an ``(m, n)`` matrix with Haar-distributed orthonormal columns, ``m >= n``.

    The Q of a Gaussian matrix's QR with the signs of R's diagonal moved into it
    (Mezzadri 2007). LAPACK's ``geqrf`` and ``orgqr`` overwrite the draw, which is
    Fortran-ordered for that: besides it, only ``tau``, R's diagonal and LAPACK's
    workspace (``n`` times a block size) are allocated.
    """
    from scipy.linalg import lapack

    a = np.empty((m, n), work, order="F")
    # Row blocks of the stream in C order: the same matrix as gen.standard_normal((m, n)).
    step = max(1, BLOCK // n)
    scratch = np.empty((min(step, m), n), work)
    for start in range(0, m, step):
        block = scratch[: min(step, m - start)]
        a[start : start + block.shape[0]] = gen.standard_normal(out=block, dtype=work)
    del scratch, block
    geqrf, orgqr, geqrf_lwork = lapack.get_lapack_funcs(("geqrf", "orgqr", "geqrf_lwork"), (a,))
    lwork = max(int(geqrf_lwork(m, n)[0]), 64 * n)
    qr, tau, _, info = geqrf(a, lwork=lwork, overwrite_a=True)
    del _  # geqrf's workspace: orgqr allocates its own
    if info != 0 or not np.shares_memory(qr, a):
        raise RuntimeError(f"LAPACK geqrf failed in place (info={info})")
    signs = np.where(np.diagonal(qr) < 0, -gain, gain).astype(work)
    q, _, info = orgqr(qr, tau, lwork=lwork, overwrite_a=True)
    del _
    if info != 0 or not np.shares_memory(q, a):
        raise RuntimeError(f"LAPACK orgqr failed in place (info={info})")
    q *= signs
    return q


def identity(
    shape: Shape,
    gain: float = 1.0,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Identity for dense weights, a Dirac delta for conv kernels, times ``gain``.

    A dense ``(n_in, n_out)`` weight gets ones on its diagonal, so the layer
    passes its first ``min(n_in, n_out)`` inputs through unchanged. A conv kernel
    gets ``gain`` at the centre tap (index ``k // 2`` on every spatial axis, as
    PyTorch's ``dirac_``) connecting input channel ``i`` to output channel ``i``:
    the convolution copies its input.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions.
    gain : float
        Positive value on the diagonal.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : ignored
        Accepted so that every initializer has the same call signature.
    dtype : float16, float32 or float64

    References
    ----------
    Le, Jaitly and Hinton (2015); Xiao et al. (2018): ``"le2015"`` and ``"xiao2018"``
    in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> identity((2, 3))
    array([[1., 0., 0.],
           [0., 1., 0.]])
    """
    shape = check_shape(shape)
    i, o = check_axes(shape, in_axis, out_axis)
    g = check_positive("gain", gain)
    out = np.zeros(shape, dtype=check_dtype(dtype))
    if out.size == 0:
        return out
    diag = np.arange(min(shape[i], shape[o]))
    index = [np.full(diag.size, d // 2) for d in shape]
    index[i] = index[o] = diag
    out[tuple(index)] = g
    return out


def n_zero(sparsity: float, rows: int) -> int:
    """Number of zeroed incoming weights per unit in :func:`sparse`.

    ``ceil(sparsity * rows)``, with the product rounded to 9 decimals so that float
    noise (``0.7 * 10 == 7.000000000000001``) does not zero one weight too many.

    Examples
    --------
    >>> n_zero(0.7, 10), n_zero(1 - 15 / 17, 17), n_zero(0.75, 10)
    (7, 2, 8)
    """
    return math.ceil(round(sparsity * rows, 9))


def sparse(
    shape: Shape,
    sparsity: float = 0.9,
    std: float = 0.01,
    *,
    in_axis: int = -2,
    out_axis: int = -1,
    rng: Seed = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Sparse Gaussian weights: each output unit keeps few nonzero incoming weights.

    Each output unit (column of the matrix view described in :func:`orthogonal`)
    has ``n_zero(sparsity, rows)`` = ``ceil(sparsity * rows)`` of its incoming
    weights set to zero, chosen at random (the product is rounded to 9 decimals
    first, so that ``sparsity=0.7`` of 10 rows zeroes 7, not 8 as float noise
    would make PyTorch's ``sparse_`` do); the others are drawn from :math:`\\mathcal{N}(0, \\text{std}^2)`.
    Martens (2010) keeps about 15 nonzero incoming weights per unit, with
    unit variance, so that units differ even in wide layers.

    Parameters
    ----------
    shape : sequence of int
        Weight shape, at least two dimensions.
    sparsity : float
        Fraction of zeros per output unit, in ``[0, 1)``.
    std : float
        Positive standard deviation of the nonzero weights.
    in_axis, out_axis : int
        Input and output axes (``in_axis=1, out_axis=0`` for PyTorch's layout).
    rng : None, int or numpy.random.Generator
    dtype : float16, float32 or float64

    References
    ----------
    Martens (2010): ``"martens2010"`` in :data:`weightinit.bibliography.ENTRIES`.

    Examples
    --------
    >>> import numpy as np
    >>> w = sparse((100, 20), sparsity=0.85, std=1.0, rng=0)
    >>> np.count_nonzero(w, axis=0)[:3]
    array([15, 15, 15])
    """
    shape = check_shape(shape)
    (rows, cols), o = _as_matrix_shape(shape, in_axis, out_axis)
    s = check_real("sparsity", sparsity)
    if not 0.0 <= s < 1.0:
        raise ValueError(f"sparsity must be in [0, 1); got {s}")
    std = check_positive("std", std)
    dtype = check_dtype(dtype)
    gen = as_generator(rng)
    keep = rows - n_zero(s, rows)
    if keep == rows:
        return normal(shape, std, rng=gen, dtype=dtype)
    # Only the kept weights are drawn, a few output units at a time, straight into
    # the output's layout.
    out = np.zeros(shape, dtype)
    others = [d for k, d in enumerate(shape) if k != o]
    step = max(1, BLOCK // rows)
    for start in range(0, cols if keep else 0, step):
        units = np.arange(start, min(start + step, cols))
        # The positions of the `keep` smallest of `rows` iid keys are a uniformly
        # random subset of the rows, drawn independently for every unit.
        kept = np.argpartition(gen.random((units.size, rows)), keep - 1, axis=1)[:, :keep]
        index = list(np.unravel_index(kept, others))
        index.insert(o, units[:, None])
        out[tuple(index)] = normal((units.size, keep), std, rng=gen, dtype=dtype)
    return out


# --------------------------------------------------------------------------- names

#: Every initializer in this module, by its function's name.
INITIALIZERS: dict[str, Callable[..., np.ndarray]] = {
    f.__name__: f
    for f in (zeros, ones, constant, normal, uniform, truncated_normal, variance_scaling, lecun_normal,
              lecun_uniform, glorot_normal, glorot_uniform, he_normal, he_uniform, pytorch_default,
              orthogonal, identity, sparse)
}

#: Other common names of the initializers, each mapped to a key of :data:`INITIALIZERS`.
ALIASES = {
    "zero": "zeros",
    "random_normal": "normal",
    "random_uniform": "uniform",
    "trunc_normal": "truncated_normal",
    "xavier_normal": "glorot_normal",
    "xavier_uniform": "glorot_uniform",
    "kaiming_normal": "he_normal",
    "kaiming_uniform": "he_uniform",
    "torch_default": "pytorch_default",
    "eye": "identity",
    "dirac": "identity",
    "delta": "identity",
}


def initializer(name: str) -> Callable[..., np.ndarray]:
    """The initializer for a name or alias.

    Parameters
    ----------
    name : str
        A key of :data:`INITIALIZERS` or :data:`ALIASES`.

    Returns
    -------
    callable
        ``f(shape, **params, rng=None, dtype=numpy.float64) -> numpy.ndarray``.

    Raises
    ------
    TypeError
        If ``name`` is not a str.
    ValueError
        If ``name`` is neither an initializer nor an alias; the message lists every name.

    Examples
    --------
    >>> initializer("kaiming_normal") is he_normal
    True
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str; got {type(name).__name__}")
    check_choice("name", name, sorted({*INITIALIZERS, *ALIASES}))
    return INITIALIZERS[ALIASES.get(name, name)]
