"""Sampling primitives shared by the initializers: blockwise fills, exact bounds, truncated normals.

Every function here works in place on a buffer or returns plain numbers; the
initializers in :mod:`weightinit.initializers` check their arguments and call these.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "BLOCK",
    "GENERATED",
    "RAW64",
    "fill",
    "inside",
    "normal_mass",
    "scaled",
    "standard_truncated",
    "symmetric_uniform",
    "truncated_moments",
]

# NumPy's generator has no float16 path: float16 is drawn in float32, one block at a time.
GENERATED = {np.dtype(np.float16): np.dtype(np.float32)}
# Arrays are filled in blocks of this many entries: a block's scaling, shifting and
# casting then run while it is in cache, and scratch memory stays small.
BLOCK = 1 << 16
# Bit generators whose random_raw() words carry 64 random bits (MT19937's carry 32).
RAW64 = (np.random.PCG64, np.random.PCG64DXSM, np.random.Philox, np.random.SFC64)



def normal_mass(a: float, b: float) -> float:
    """P(a < Z < b) for Z ~ N(0, 1); erfc keeps its precision in the tails, where erf cancels."""
    r = math.sqrt(0.5)
    if a >= 0:
        return 0.5 * (math.erfc(a * r) - math.erfc(b * r))
    if b <= 0:
        return 0.5 * (math.erfc(-b * r) - math.erfc(-a * r))
    return 0.5 * (math.erf(b * r) - math.erf(a * r))


def truncated_moments(a: float, b: float) -> tuple[float, float]:
    """Mean and standard deviation of a standard normal truncated to ``(a, b)``."""
    pdf = lambda x: math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)  # noqa: E731
    mass = normal_mass(a, b)
    if mass == 0:
        raise ValueError(f"(a, b) = ({a}, {b}) holds too little probability for float64 moments")
    mean = (pdf(a) - pdf(b)) / mass
    var = 1 + (a * pdf(a) - b * pdf(b)) / mass - mean * mean
    return mean, math.sqrt(var)




def fill(out: np.ndarray, draw, bounds: tuple | None = None) -> np.ndarray:
    """Fill ``out`` block by block with ``draw(buf)``, then clip to ``bounds`` if given.

    ``buf`` is the block itself, or for float16 a float32 scratch block that is
    cast into it: the only temporaries are one block long.
    """
    flat = out.reshape(-1)
    work = GENERATED.get(out.dtype)
    scratch = None if work is None else np.empty(min(flat.size, BLOCK), work)
    for start in range(0, flat.size, BLOCK):
        block = flat[start : start + BLOCK]
        buf = block if scratch is None else scratch[: block.size]
        draw(buf)
        if buf is not block:
            block[...] = buf
        if bounds is not None:
            np.clip(block, *bounds, out=block)
    return out


def scaled(buf: np.ndarray, scale: float, shift: float = 0.0) -> np.ndarray:
    """``buf * scale + shift``, in place and in ``buf``'s dtype."""
    buf *= buf.dtype.type(scale)
    if shift:
        buf += buf.dtype.type(shift)
    return buf


def inside(lo: float, hi: float, dtype: np.dtype, strict: tuple[bool, bool]) -> tuple:
    """The extreme ``dtype`` values in the interval from ``lo`` to ``hi``.

    ``strict`` says, per end, whether the end itself is excluded. Clipping to
    these makes rounding (of the scale, the shift, the cast) unable to put a
    value on or past a bound.
    """
    t = dtype.type
    with np.errstate(over="ignore"):
        low, high = t(lo), t(hi)
    # Compare as Python floats: NumPy would round ``lo`` and ``hi`` to ``dtype`` first.
    if float(low) < lo or (strict[0] and float(low) == lo):
        low = np.nextafter(low, t(np.inf))
    if float(high) > hi or (strict[1] and float(high) == hi):
        high = np.nextafter(high, t(-np.inf))
    if not low <= high:
        raise ValueError(f"no {dtype.name} value lies between {lo!r} and {hi!r}")
    return low, high


def symmetric_uniform(gen: np.random.Generator, bound: float, work: np.dtype):
    """A ``draw`` for :func:`fill` into ``work`` buffers giving U(-bound, bound), with ``|w| <= bound`` exactly.

    ``bound`` must be a ``work`` value, so that the products below are exact.
    """
    t = work.type
    if type(gen.bit_generator) not in RAW64:

        def draw(buf):
            gen.random(out=buf, dtype=work)
            buf *= t(2 * bound)
            buf -= t(bound)

        return draw

    # Raw words read as signed ints, times bound / 2**(bits-1): one pass, about
    # twice as fast as random() followed by a scale and a shift. Converting an int
    # rounds to nearest, so |int| <= 2**(bits-1) and |w| <= bound hold after rounding.
    bits = 8 * work.itemsize
    ints, scale = np.dtype(f"i{work.itemsize}"), t(bound * 2.0 ** (1 - bits))
    raw = gen.bit_generator.random_raw

    def draw(buf):
        words = raw(-(-buf.size * bits // 64)).view(ints)[: buf.size]
        np.multiply(words, scale, out=buf, dtype=work, casting="unsafe")

    return draw


def standard_truncated(gen: np.random.Generator, buf: np.ndarray, a: float, b: float) -> np.ndarray:
    """Fill ``buf`` with N(0, 1) samples conditioned on ``a < x < b``.

    Redraws rejected values; for intervals holding little mass it draws from an
    exponential or uniform proposal (Robert, 1995) instead.
    """
    if normal_mass(a, b) >= 0.25:
        gen.standard_normal(out=buf, dtype=buf.dtype)
        bad = np.flatnonzero((buf <= a) | (buf >= b))
        while bad.size:
            buf[bad] = gen.standard_normal(bad.size, dtype=buf.dtype)
            bad = bad[(buf[bad] <= a) | (buf[bad] >= b)]
        return buf
    # Little mass: the interval lies in one tail or is narrow. Sample on the side
    # away from zero, mirroring when the interval is negative.
    sign = 1.0
    if b <= 0:
        a, b, sign = -b, -a, -1.0
    lo = max(a, 0.0)
    todo = np.arange(buf.size)
    while todo.size:
        n = todo.size
        if lo > 0 and b - lo > 1.0 / lo:
            rate = 0.5 * (lo + math.sqrt(lo * lo + 4.0))
            x = lo + gen.exponential(1.0 / rate, n)
            accept = np.exp(-0.5 * (x - rate) ** 2)
        else:
            x = gen.uniform(a, b, n)
            # Log-density of the target relative to its peak on the interval.
            accept = np.exp(0.5 * (lo * lo - x * x))
        keep = (gen.random(n) < accept) & (x > a) & (x < b)
        buf[todo[keep]] = sign * x[keep]
        todo = todo[~keep]
    return buf
