"""Numbers quoted in the pages' prose, computed from the library at build time.

Each function takes no argument and returns the number as short Markdown text
(units and rounding included). A page writes ``[[value: name]]``; the build
calls the function and puts its text there, so a sentence can never keep a
number the code no longer gives.
"""

from __future__ import annotations

__all__: list[str] = []



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
