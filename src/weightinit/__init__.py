"""weightinit: neural-network weight initialization in NumPy.

Every scheme is a function ``f(shape, ..., rng=None, dtype=numpy.float64)`` that
returns a new array; :data:`SCHEMES` records each one's formula, variance and
reference. The layout is ``y = x @ W``: a dense weight is ``(fan_in, fan_out)``.
"""

from .initializers import (
    DISTRIBUTIONS,
    MODES,
    NONLINEARITIES,
    TRUNCATED_STD,
    compute_fans,
    constant,
    gain,
    glorot_normal,
    glorot_uniform,
    he_normal,
    he_uniform,
    identity,
    kaiming_normal,
    kaiming_uniform,
    lecun_normal,
    lecun_uniform,
    normal,
    ones,
    orthogonal,
    pytorch_default,
    sparse,
    truncated_normal,
    uniform,
    variance_scaling,
    xavier_normal,
    xavier_uniform,
    zeros,
)
from .diagnose import diagnose
from .schemes import SCHEMES, Reference, Scheme, get, scheme

__version__ = "0.1.0"

__all__ = [
    "DISTRIBUTIONS",
    "MODES",
    "NONLINEARITIES",
    "TRUNCATED_STD",
    "SCHEMES",
    "Reference",
    "Scheme",
    "compute_fans",
    "constant",
    "diagnose",
    "gain",
    "get",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "identity",
    "kaiming_normal",
    "kaiming_uniform",
    "lecun_normal",
    "lecun_uniform",
    "normal",
    "ones",
    "orthogonal",
    "pytorch_default",
    "scheme",
    "sparse",
    "truncated_normal",
    "uniform",
    "variance_scaling",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]
