"""Numbers quoted in the pages' prose, computed from the library at build time.

Each function takes no argument and returns the number as short Markdown text
(units and rounding included). A page writes ``[[value: name]]``; the build
calls the function and puts its text there, so a sentence can never keep a
number the code no longer gives.
"""

from __future__ import annotations

import math

from . import meanfield as mf

__all__ = [
    "bert_truncated_std",
    "gelu_gain",
    "lecun_tanh_at_one",
    "lecun_tanh_curvature_peak",
    "lecun_tanh_fixed_point",
    "lecun_tanh_unit_input",
    "selu_fixed_point_at_three_quarters",
    "silu_gain",
    "tanh_chi_1_at_exact_gain",
    "tanh_chi_1_at_five_thirds",
    "tanh_exact_gain",
    "tanh_fixed_point_at_five_thirds",
]


# ------------------------------------------------- LeCun et al.'s scaled tanh (lecun.md)


def lecun_tanh_at_one() -> str:
    """``1.7159 tanh(2/3)``: 1 to four decimals."""
    return f"{float(mf.lecun_tanh(1.0)):.4f}"


def lecun_tanh_curvature_peak() -> str:
    """Where ``|f''|`` of ``a tanh(b x)`` peaks: ``tanh(b x) = 1 / sqrt(3)``, so
    ``x = atanh(1 / sqrt(3)) / b`` with ``b = 2/3`` (checked against a numerical argmax in
    ``tests/test_meanfield.py``)."""
    return f"{math.atanh(1 / math.sqrt(3)) * 1.5:.3f}"


def lecun_tanh_unit_input() -> str:
    """Second moment of the scaled tanh of a unit-variance Gaussian: one step of the variance
    map from ``q = 1`` under LeCun normal weights."""
    return f"{float(mf.variance_map(1.0, 1.0, 0.0, mf.lecun_tanh)):.3f}"


def lecun_tanh_fixed_point() -> str:
    """The fixed point of the variance map of the scaled tanh under LeCun normal weights, no bias."""
    return f"{float(mf.fixed_point(1.0, 0.0, mf.lecun_tanh)):.3f}"


# ------------------------------------------------------------- gains (architectures/gains.md)


def gelu_gain() -> str:
    """GELU's (exact erf form) second-moment gain at unit pre-activation variance."""
    return f"{mf.exact_gain('gelu'):.2f}"


def silu_gain() -> str:
    """SiLU's second-moment gain at unit pre-activation variance."""
    return f"{mf.exact_gain('silu'):.2f}"


def tanh_exact_gain() -> str:
    """tanh's second-moment gain at unit pre-activation variance."""
    return f"{mf.exact_gain('tanh'):.4f}"


def tanh_fixed_point_at_five_thirds() -> str:
    """Where tanh's variance settles under PyTorch's gain 5/3 and no bias."""
    return f"{float(mf.fixed_point(5 / 3, 0.0)):.3f}"


def tanh_chi_1_at_five_thirds() -> str:
    """Gradient growth per layer, chi_1, of tanh under gain 5/3 and no bias."""
    return f"{float(mf.chi_1(5 / 3, 0.0)):.3f}"


def tanh_chi_1_at_exact_gain() -> str:
    """chi_1 of tanh at its exact gain for q = 1, no bias (the fixed point is then q = 1)."""
    return f"{float(mf.chi_1(mf.exact_gain('tanh'), 0.0, q=1.0)):.3f}"


def selu_fixed_point_at_three_quarters() -> str:
    """Where SELU's pre-activation variance settles under PyTorch's gain 3/4 and no bias."""
    return f"{float(mf.fixed_point(0.75, 0.0, 'selu')):.3f}"


def bert_truncated_std() -> str:
    """Std of BERT's weights: 0.02 times the std of N(0, 1) cut at +-2."""
    from .initializers import TRUNCATED_STD

    return f"{0.02 * TRUNCATED_STD:.4f}"


# ---------------------------------------------------------------- reference/frameworks.md

from . import initializers as _init


def truncated_std_ratio() -> str:
    """Std of a standard normal cut at +-2, as a share of the parent's.

    Examples
    --------
    >>> truncated_std_ratio()
    '0.880'
    """
    return f"{_init.TRUNCATED_STD:.3f}"


def truncated_std_ratio_squared() -> str:
    """Variance of a standard normal cut at +-2.

    Examples
    --------
    >>> truncated_std_ratio_squared()
    '0.774'
    """
    return f"{_init.TRUNCATED_STD ** 2:.3f}"


def keras_torch_truncation_escape() -> str:
    r"""Share of values Keras' torch-backend truncated normal leaves uncut: 4 candidates
    per value, each outside +-2 with probability ``erfc(sqrt(2))``.

    Examples
    --------
    >>> keras_torch_truncation_escape()
    '$4.3 \\times 10^{-6}$'
    """
    import math

    share = math.erfc(2 / math.sqrt(2)) ** 4
    mantissa, exponent = f"{share:.1e}".split("e")
    return f"${mantissa} \\times 10^{{{int(exponent)}}}$"


__all__ += ["keras_torch_truncation_escape", "truncated_std_ratio", "truncated_std_ratio_squared"]
