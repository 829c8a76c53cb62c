"""Numbers quoted in the pages' prose, computed from the library at build time.

Each function takes no argument and returns the number as short Markdown text
(units and rounding included). A page writes ``[[value: name]]``; the build
calls the function and puts its text there, so a sentence can never keep a
number the code no longer gives.
"""

from __future__ import annotations

__all__ = ["bert_truncated_std"]


def bert_truncated_std() -> str:
    """Std of BERT's weights: 0.02 times the std of N(0, 1) cut at +-2."""
    from .initializers import TRUNCATED_STD

    return f"{0.02 * TRUNCATED_STD:.4f}"
