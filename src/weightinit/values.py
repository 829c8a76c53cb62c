"""Numbers quoted in the pages' prose, computed from the library at build time.

Each function takes no argument and returns the number as short Markdown text
(units and rounding included). A page writes ``[[value: name]]``; the build
calls the function and puts its text there, so a sentence can never keep a
number the code no longer gives.
"""

from __future__ import annotations

__all__: list[str] = []


# ------------------------------------------------------------------- practice pages


def float16_max() -> str:
    """The largest finite float16."""
    import numpy as np

    return f"{float(np.finfo(np.float16).max):,.0f}"


def float16_tiny() -> str:
    """The smallest positive normal float16."""
    import numpy as np

    return f"{float(np.finfo(np.float16).tiny):.3g}"


def float16_smallest_subnormal() -> str:
    """The smallest positive float16, a subnormal."""
    import numpy as np

    return f"{float(np.finfo(np.float16).smallest_subnormal):.3g}"


def bfloat16_tiny() -> str:
    """The smallest positive normal bfloat16 (bfloat16 has float32's exponent range)."""
    import numpy as np

    return f"{float(np.finfo(np.float32).tiny):.3g}"


def _pct(x) -> str:
    return f"{100 * x:g} %"


def diagnose_dead_max() -> str:
    """`weightinit.diagnose`'s threshold on the fraction of dead units."""
    from .diagnose import DEAD_MAX

    return _pct(DEAD_MAX)


def diagnose_saturated_max() -> str:
    """`weightinit.diagnose`'s threshold on the fraction of saturated entries."""
    from .diagnose import SATURATED_MAX

    return _pct(SATURATED_MAX)


def diagnose_signal_low() -> str:
    """Lower bound of `weightinit.diagnose`'s healthy signal range."""
    from .diagnose import SIGNAL_RANGE

    return f"{SIGNAL_RANGE[0]:g}"


def diagnose_signal_high() -> str:
    """Upper bound of `weightinit.diagnose`'s healthy signal range."""
    from .diagnose import SIGNAL_RANGE

    return f"{SIGNAL_RANGE[1]:g}"


def diagnose_grad_low() -> str:
    """Lower bound of `weightinit.diagnose`'s healthy gradient ratio."""
    from .diagnose import GRAD_RANGE

    return f"{GRAD_RANGE[0]:g}"


def diagnose_grad_high() -> str:
    """Upper bound of `weightinit.diagnose`'s healthy gradient ratio."""
    from .diagnose import GRAD_RANGE

    return f"{GRAD_RANGE[1]:g}"


def truncated_std_default_cut() -> str:
    """Std of a standard normal truncated at +-2, to four decimals."""
    from .practice import torch_trunc_normal_cut

    return f"{torch_trunc_normal_cut(1.0)[1]:.4f}"


__all__ += ["bfloat16_tiny", "diagnose_dead_max", "diagnose_grad_high", "diagnose_grad_low",
            "diagnose_saturated_max", "diagnose_signal_high", "diagnose_signal_low", "float16_max",
            "float16_smallest_subnormal", "float16_tiny", "truncated_std_default_cut"]
