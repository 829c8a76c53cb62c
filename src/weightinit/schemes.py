"""The registry of initialization schemes: what pages and tests read about each initializer.

Each :class:`Scheme` records what a scheme draws, its variance as a function of
the fans, the formula in LaTeX, what it suits and where it comes from. The site
injects ``formula`` into its pages at build time and the tests check both the
samples and the LaTeX against ``variance``.

LaTeX symbols: :math:`n_\\text{in}`, :math:`n_\\text{out}` are the fans, :math:`g`
the gain, :math:`s` a negative slope, :math:`\\sigma` and :math:`\\mu` a standard
deviation and mean, :math:`\\rho` a sparsity, :math:`c` a constant.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from . import initializers as init
from ._sampling import truncated_moments
from .bibliography import ENTRIES, Entry
from .recommendations import ACTIVATION_NAMES
from .recommendations import suits as recommended_suits

__all__ = ["Scheme", "SCHEMES", "get", "scheme", "variance_scaling_triples"]


@dataclass(frozen=True)
class Scheme:
    """One initialization scheme.

    ``name``, ``aliases`` and ``params`` are read from the function (its name, its
    entries in :data:`weightinit.initializers.ALIASES`, its signature), and for a
    scheme in :data:`weightinit.initializers.VARIANCE_SCALING_SCHEMES` so are
    ``distribution`` and ``variance``: none of them is written twice.

    Attributes
    ----------
    name : str
        Canonical name: the function's name in :mod:`weightinit`.
    aliases : tuple of str
        Other common names (``xavier_uniform`` for ``glorot_uniform``).
    function : callable
        The initializer ``f(shape, **params, rng=None, dtype=float64)``.
    distribution : str
        ``normal``, ``truncated_normal``, ``uniform``, ``constant``,
        ``orthogonal``, ``identity`` or ``sparse``.
    params : dict
        The function's own parameters and their defaults, as used by ``variance``
        (everything in its signature but ``shape``, ``in_axis``, ``out_axis``,
        ``rng`` and ``dtype``).
    variance : callable
        ``variance(fan_in, fan_out, **params)``: the variance of one entry of
        a dense ``(fan_in, fan_out)`` weight.
    mean : callable
        ``mean(fan_in, fan_out, **params)``: the expected value of one entry.
    formula : str
        LaTeX of the rule, as shown on the pages.
    variance_tex : str
        LaTeX of ``variance``; checked against it by the tests.
    bound_tex : str or None
        LaTeX of the bound :math:`a` of a symmetric uniform scheme.
    summary : str
        The rule in one sentence.
    suits : tuple of str
        Activations or layers the scheme is meant for: the activations and structures
        that `weightinit.recommendations.RECOMMENDATIONS` files under it, then the
        other uses given here (which name no activation).
    cites : str or None
        The key in :data:`weightinit.bibliography.ENTRIES` of the paper or documentation
        it comes from; None for the plain schemes. The citation itself lives there only.
    reference : Entry or None
        That entry (read-only).

    Examples
    --------
    >>> s = SCHEMES["glorot_uniform"]
    >>> s.variance(300, 100, **s.params), s.bound(300, 100)
    (0.005, 0.1224744871391589)
    >>> s.name, s.aliases, s.params
    ('glorot_uniform', ('xavier_uniform',), {'gain': 1.0})
    >>> s.cites, s.reference.year
    ('glorot2010', 2010)
    """

    function: Callable
    formula: str
    variance_tex: str
    summary: str
    suits: tuple[str, ...]
    cites: str | None
    distribution: str | None = None
    variance: Callable[..., float] | None = None
    mean: Callable[..., float] = lambda fan_in, fan_out, **params: 0.0
    bound_tex: str | None = None

    def __post_init__(self):
        if self.cites is not None and (not isinstance(self.cites, str) or self.cites not in ENTRIES):
            raise ValueError(
                f"scheme {self.name!r}: cites must be a key of weightinit.bibliography.ENTRIES or None; "
                f"got {self.cites!r}"
            )
        by_hand = [s for s in self.suits if s in ACTIVATION_NAMES]
        if by_hand:
            raise TypeError(
                f"scheme {self.name!r} names activations in suits ({', '.join(by_hand)}); "
                "they come from weightinit.recommendations.RECOMMENDATIONS"
            )
        object.__setattr__(self, "suits", recommended_suits(self.name) + self.suits)
        triple = init.VARIANCE_SCALING_SCHEMES.get(self.name)
        if triple is None:
            if self.distribution is None or self.variance is None:
                raise TypeError(f"scheme {self.name!r} needs a distribution and a variance")
            return
        if self.distribution is not None or self.variance is not None:
            raise TypeError(
                f"scheme {self.name!r} takes its distribution and variance from VARIANCE_SCALING_SCHEMES"
            )
        name = self.name

        def variance(fan_in, fan_out, **params):
            scale, mode, _ = init.variance_scaling_triple(name, **params)
            return scale / init.select_fan(mode, fan_in, fan_out)

        object.__setattr__(self, "distribution", triple[2])
        object.__setattr__(self, "variance", variance)

    @property
    def name(self) -> str:
        return self.function.__name__

    @property
    def reference(self) -> Entry | None:
        """The bibliography entry the scheme cites."""
        return None if self.cites is None else ENTRIES[self.cites]

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(alias for alias, name in init.ALIASES.items() if name == self.name)

    @cached_property
    def params(self) -> dict:
        signature = inspect.signature(self.function).parameters
        return {k: p.default for k, p in signature.items() if k not in _COMMON}

    def bound(self, fan_in: int, fan_out: int, **params: float) -> float:
        """Half-width of a symmetric uniform scheme: :math:`\\sqrt{3\\operatorname{Var}}`."""
        if self.distribution != "uniform" or self.bound_tex is None:
            raise ValueError(f"scheme {self.name!r} is not a symmetric uniform scheme")
        return math.sqrt(3.0 * self.variance(fan_in, fan_out, **{**self.params, **params}))


#: Arguments every initializer takes that are not a scheme's parameters.
_COMMON = ("shape", "in_axis", "out_axis", "rng", "dtype")


_IN, _OUT = r"n_\text{in}", r"n_\text{out}"


def _sparse_variance(fan_in, fan_out, sparsity, std):
    return (1 - init.n_zero(sparsity, fan_in) / fan_in) * std**2


def _identity_mean(fan_in, fan_out, gain):
    return gain * min(fan_in, fan_out) / (fan_in * fan_out)


SCHEMES: dict[str, Scheme] = {
    s.name: s
    for s in [
        Scheme(
            function=init.zeros,
            distribution="constant",
            variance=lambda fan_in, fan_out: 0.0,
            formula=r"W = 0",
            variance_tex="0",
            summary="Every weight is zero: in a hidden layer every unit computes the same thing and gets "
            "the same update.",
            suits=("biases",),
            cites=None,
        ),
        Scheme(
            function=init.ones,
            distribution="constant",
            variance=lambda fan_in, fan_out: 0.0,
            mean=lambda fan_in, fan_out: 1.0,
            formula=r"W = 1",
            variance_tex="0",
            summary="Every weight is one: the scale of a normalization layer, never a weight matrix.",
            suits=("normalization scales",),
            cites=None,
        ),
        Scheme(
            function=init.constant,
            distribution="constant",
            variance=lambda fan_in, fan_out, value: 0.0,
            mean=lambda fan_in, fan_out, value: value,
            formula=r"W = c",
            variance_tex="0",
            summary="Every weight equals one constant: the units stay symmetric, whatever the constant.",
            suits=("biases",),
            cites=None,
        ),
        Scheme(
            function=init.normal,
            distribution="normal",
            variance=lambda fan_in, fan_out, std, mean: std**2,
            mean=lambda fan_in, fan_out, std, mean: mean,
            formula=r"W \sim \mathcal{N}\left(\mu,\ \sigma^2\right)",
            variance_tex=r"\sigma^2",
            summary="A Gaussian with a fixed standard deviation that ignores the layer's size.",
            suits=("shallow networks",),
            cites=None,
        ),
        Scheme(
            function=init.uniform,
            distribution="uniform",
            variance=lambda fan_in, fan_out, low, high: (high - low) ** 2 / 12,
            mean=lambda fan_in, fan_out, low, high: (low + high) / 2,
            formula=r"W \sim \mathcal{U}\left(\ell,\ h\right)",
            variance_tex=r"\frac{(h - \ell)^2}{12}",
            summary="A uniform distribution on a fixed interval that ignores the layer's size.",
            suits=("shallow networks", "embeddings"),
            cites=None,
        ),
        Scheme(
            function=init.truncated_normal,
            distribution="truncated_normal",
            variance=lambda fan_in, fan_out, std, mean, a, b: (std * truncated_moments(a, b)[1]) ** 2,
            mean=lambda fan_in, fan_out, std, mean, a, b: mean + std * truncated_moments(a, b)[0],
            formula=r"W \sim \mathcal{N}\left(\mu,\ \sigma^2\right)"
            r" \text{ conditioned on } \mu + a\sigma < W < \mu + b\sigma",
            variance_tex=r"\kappa_{a,b}^2\,\sigma^2",
            summary="A Gaussian with its tails cut off; the cut shrinks the standard deviation "
            "unless the variance is corrected for the cut.",
            suits=("transformers", "embeddings"),
            cites=None,
        ),
        Scheme(
            function=init.variance_scaling,
            distribution="normal",
            variance=lambda fan_in, fan_out, scale, mode, distribution: scale / init.select_fan(mode, fan_in, fan_out),
            formula=r"\operatorname{Var}(W) = \frac{\text{scale}}{n},\quad n \in \left\{"
            + _IN + r",\ " + _OUT + r",\ \tfrac{" + _IN + " + " + _OUT + r"}{2},\ \sqrt{" + _IN + " " + _OUT
            + r"}\right\}",
            variance_tex=r"\frac{\text{scale}}{" + _IN + "}",
            summary="The primitive: a variance of scale / n, with n a fan, drawn from a normal, "
            "truncated normal or uniform distribution.",
            suits=("any layer",),
            cites="jax-variance-scaling",
        ),
        Scheme(
            function=init.lecun_normal,
            formula=r"W \sim \mathcal{N}\left(0,\ \frac{1}{" + _IN + r"}\right)",
            variance_tex=r"\frac{1}{" + _IN + "}",
            summary="Variance one over the fan-in: a unit's pre-activation has the variance of its inputs.",
            suits=(),
            cites="lecun1998",
        ),
        Scheme(
            function=init.lecun_uniform,
            formula=r"W \sim \mathcal{U}\left(-a,\ a\right),\quad a = \sqrt{\frac{3}{" + _IN + r"}}",
            variance_tex=r"\frac{1}{" + _IN + "}",
            bound_tex=r"\sqrt{\frac{3}{" + _IN + r"}}",
            summary="LeCun's variance from a uniform distribution.",
            suits=(),
            cites="lecun1998",
        ),
        Scheme(
            function=init.glorot_normal,
            formula=r"W \sim \mathcal{N}\left(0,\ g^2\,\frac{2}{" + _IN + " + " + _OUT + r"}\right)",
            variance_tex=r"g^2\,\frac{2}{" + _IN + " + " + _OUT + "}",
            summary="Variance two over the sum of the fans: a compromise between the forward and "
            "backward passes.",
            suits=(),
            cites="glorot2010",
        ),
        Scheme(
            function=init.glorot_uniform,
            formula=r"W \sim \mathcal{U}\left(-a,\ a\right),\quad a = g\,\sqrt{\frac{6}{"
            + _IN + " + " + _OUT + r"}}",
            variance_tex=r"g^2\,\frac{2}{" + _IN + " + " + _OUT + "}",
            bound_tex=r"g\,\sqrt{\frac{6}{" + _IN + " + " + _OUT + "}}",
            summary="Glorot's variance from a uniform distribution; Keras' default.",
            suits=(),
            cites="glorot2010",
        ),
        Scheme(
            function=init.he_normal,
            formula=r"W \sim \mathcal{N}\left(0,\ \frac{2}{(1 + s^2)\," + _IN + r"}\right)",
            variance_tex=r"\frac{2}{(1 + s^2)\," + _IN + "}",
            summary="Variance two over the fan-in: ReLU discards half of the signal, so the weights "
            "double it back.",
            suits=(),
            cites="he2015",
        ),
        Scheme(
            function=init.he_uniform,
            formula=r"W \sim \mathcal{U}\left(-a,\ a\right),\quad a = \sqrt{\frac{6}{(1 + s^2)\," + _IN + r"}}",
            variance_tex=r"\frac{2}{(1 + s^2)\," + _IN + "}",
            bound_tex=r"\sqrt{\frac{6}{(1 + s^2)\," + _IN + "}}",
            summary="He's variance from a uniform distribution.",
            suits=(),
            cites="he2015",
        ),
        Scheme(
            function=init.pytorch_default,
            formula=r"W \sim \mathcal{U}\left(-a,\ a\right),\quad a = \frac{1}{\sqrt{" + _IN + r"}}",
            variance_tex=r"\frac{1}{3\," + _IN + "}",
            bound_tex=r"\frac{1}{\sqrt{" + _IN + "}}",
            summary="PyTorch's nn.Linear and nn.Conv default: a third of LeCun's variance, "
            "not He initialization.",
            suits=("shallow networks",),
            cites="pytorch-linear",
        ),
        Scheme(
            function=init.orthogonal,
            distribution="orthogonal",
            variance=lambda fan_in, fan_out, gain: gain**2 / max(fan_in, fan_out),
            formula=r"W = g\,Q,\quad Q^\top Q = I \ \text{(or } Q Q^\top = I\text{)}",
            variance_tex=r"\frac{g^2}{\max(" + _IN + ", " + _OUT + ")}",
            summary="A random orthogonal matrix: every singular value equals the gain, so no direction "
            "is amplified or lost.",
            suits=(),
            cites="saxe2014",
        ),
        Scheme(
            function=init.identity,
            distribution="identity",
            variance=lambda fan_in, fan_out, gain: gain**2 * min(fan_in, fan_out) / (fan_in * fan_out)
            - _identity_mean(fan_in, fan_out, gain) ** 2,
            mean=_identity_mean,
            formula=r"W = g\,I",
            variance_tex=r"g^2\,\frac{\min(" + _IN + ", " + _OUT + r")}{" + _IN + " " + _OUT + r"}"
            r" - \left(g\,\frac{\min(" + _IN + ", " + _OUT + r")}{" + _IN + " " + _OUT + r"}\right)^2",
            summary="The identity (a Dirac delta for convolutions): each layer starts as a copy of its input.",
            suits=("residual branches", "rnn", "very deep convolutional networks"),
            cites="le2015",
        ),
        Scheme(
            function=init.sparse,
            distribution="sparse",
            variance=_sparse_variance,
            formula=r"W_{ij} \sim \mathcal{N}\left(0,\ \sigma^2\right) \text{ on } "
            r"n_\text{in} - \lceil \rho\, n_\text{in} \rceil \text{ random inputs per unit, } 0 \text{ elsewhere}",
            variance_tex=r"\left(1 - \frac{\lceil \rho\, " + _IN + r" \rceil}{" + _IN + r"}\right)\sigma^2",
            summary="Each unit starts connected to a few random inputs, so units differ even when "
            "the layer is wide.",
            suits=("deep autoencoders",),
            cites="martens2010",
        ),
    ]
}


def scheme(name: str) -> Scheme:
    """Return the :class:`Scheme` record for a name or alias.

    Parameters
    ----------
    name : str
        A key of :data:`SCHEMES` or one of its aliases.

    Returns
    -------
    Scheme

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.

    Examples
    --------
    >>> scheme("kaiming_normal").name
    'he_normal'
    """
    return SCHEMES[init.initializer(name).__name__]


def get(name: str) -> Callable:
    """Return the initializer for a scheme name or alias.

    Parameters
    ----------
    name : str
        A key of :data:`SCHEMES` or one of its aliases.

    Returns
    -------
    callable
        ``f(shape, **params, rng=None, dtype=numpy.float64) -> numpy.ndarray``.

    Examples
    --------
    >>> w = get("xavier_uniform")((64, 32), rng=0)
    >>> w.shape
    (64, 32)
    """
    return scheme(name).function


def variance_scaling_triples() -> list[tuple[str, float, str, str]]:
    """``(name, scale, mode, distribution)`` of every named variance-scaling scheme at its defaults.

    Read from :data:`weightinit.initializers.VARIANCE_SCALING_SCHEMES` with each
    scheme's default parameters.

    Returns
    -------
    list of tuple

    Examples
    --------
    >>> variance_scaling_triples()[2]
    ('glorot_normal', 1.0, 'fan_avg', 'normal')
    """
    return [
        (name, *init.variance_scaling_triple(name, **SCHEMES[name].params))
        for name in init.VARIANCE_SCALING_SCHEMES
    ]
