"""Argument checks shared by the library's modules.

Each check returns the value in its canonical form or raises :class:`TypeError` or
:class:`ValueError` naming the argument and what it accepts.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

#: A weight's shape: an int or a sequence of non-negative ints.
Shape: TypeAlias = "int | Sequence[int]"
#: What ``rng`` accepts (SPEC 7): None, an int seed or a Generator.
Seed: TypeAlias = "int | np.random.Generator | None"

__all__ = [
    "ArrayLike",
    "DTypeLike",
    "FLOAT_DTYPES",
    "Seed",
    "Shape",
    "as_generator",
    "check_axes",
    "check_choice",
    "check_dtype",
    "check_count",
    "check_positive",
    "check_real",
    "check_shape",
]

FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def check_shape(shape) -> tuple[int, ...]:
    """``shape`` (an int or a sequence of non-negative ints) as a tuple of ints."""
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (Sequence, np.ndarray)) or isinstance(shape, str):
        raise TypeError(f"shape must be a sequence of non-negative ints; got {shape!r}")
    dims = []
    for d in shape:
        if isinstance(d, bool) or not isinstance(d, numbers.Integral):
            raise TypeError(f"shape must contain only ints; got {d!r} in shape={tuple(shape)!r}")
        if d < 0:
            raise ValueError(f"shape must contain non-negative ints; got {d} in shape={tuple(shape)!r}")
        dims.append(int(d))
    return tuple(dims)


def check_axes(shape: tuple[int, ...], in_axis, out_axis) -> tuple[int, int]:
    """``in_axis`` and ``out_axis`` of ``shape`` as two different non-negative axes."""
    ndim = len(shape)
    if ndim < 2:
        raise ValueError(
            f"shape must have at least 2 dimensions to define fan_in and fan_out; got shape={shape!r}"
        )
    axes = []
    for name, axis in (("in_axis", in_axis), ("out_axis", out_axis)):
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise TypeError(f"{name} must be an int; got {axis!r}")
        if not -ndim <= axis < ndim:
            raise ValueError(
                f"{name} must be in [{-ndim}, {ndim - 1}] for a shape with {ndim} dimensions; got {axis}"
            )
        axes.append(int(axis) % ndim)
    if axes[0] == axes[1]:
        raise ValueError(f"in_axis and out_axis must differ; both point to axis {axes[0]}")
    return axes[0], axes[1]


def check_real(name: str, value) -> float:
    """``value`` as a finite float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    return value


def check_positive(name: str, value) -> float:
    """``value`` as a positive finite float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive real number; got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    return value


def check_count(name: str, value, low: int = 0) -> int:
    """``value`` as an int of at least ``low`` (0: a count, 1: a size)."""
    kind = {0: "a non-negative int", 1: "a positive int"}.get(low, f"an int >= {low}")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {kind}; got {value!r}")
    if value < low:
        raise ValueError(f"{name} must be {kind}; got {value}")
    return int(value)


def check_choice(name: str, value, allowed: Sequence[str]) -> str:
    """``value`` if it is one of ``allowed``; the error lists them."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")
    return value


def check_dtype(dtype) -> np.dtype:
    """``dtype`` as float16, float32 or float64."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be float16, float32 or float64; got {dtype!r}") from None
    if dt not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be float16, float32 or float64; got {dt.name}")
    return dt


def as_generator(rng) -> np.random.Generator:
    """Turn ``rng`` (None, an int seed or a Generator) into a Generator (SPEC 7)."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng seed must be non-negative; got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be None, an int seed or a numpy.random.Generator; got {type(rng).__name__}"
    )
