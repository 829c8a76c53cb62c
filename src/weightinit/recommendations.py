"""Which scheme and gain suit which activation and structure: one table, as data.

`RECOMMENDATIONS` holds one `Recommendation` per group of activations that share a
scheme. The pages that recommend a scheme render their tables from it (see
`weightinit_site.tables`), the registry's ``suits`` read it (see `weightinit.schemes`), and a
test reads the pages' hand-written recommendations against it. The gains are computed,
not typed: He's from `weightinit.gain`, the exact gain from
`weightinit.meanfield.exact_gain`, the critical gain from `weightinit.meanfield.chi_1`.

A layer followed by a softmax is a classifier's last layer: the table starts it small or at
zero, not at a variance that keeps the signal's scale (see `weightinit.practice.initial_loss`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import initializers as init
from . import meanfield as mf
from ._checks import check_choice
from .bibliography import ENTRIES

__all__ = [
    "ACTIVATION_NAMES",
    "GAIN_RULES",
    "RECOMMENDATIONS",
    "STRUCTURES",
    "USES",
    "Recommendation",
    "Use",
    "recommended_gain",
    "recommendations_for",
    "suits",
    "uses_for",
]

#: The activations the table files, by key, with the name a page gives them.
ACTIVATION_NAMES: dict[str, str] = {
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "prelu": "PReLU",
    "gelu": "GELU",
    "gelu_tanh": "GELU (tanh form)",
    "silu": "SiLU",
    "mish": "Mish",
    "elu": "ELU",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "linear": "linear",
    "softmax": "softmax",
    "selu": "SELU",
}

#: Where a layer sits: ``layer`` is any layer followed by the activation.
STRUCTURES: dict[str, str] = {
    "layer": "a layer followed by the activation",
    "deep_plain": "a very deep plain network (no residual connections, no normalization)",
    "recurrent": "a recurrent weight matrix",
}


@dataclass(frozen=True)
class Use:
    """A scheme as the pages recommend it.

    Attributes
    ----------
    key : str
        Short handle: ``he``, ``exact_gain``, ``glorot``, ``lecun``, ``orthogonal``,
        ``small_or_zero``.
    label : str
        Its name on the pages.
    page : str
        The page that explains it, relative to ``docs/``.
    schemes : tuple of str
        The registry schemes that draw it (the exact gain: `weightinit.variance_scaling`
        with ``scale = g**2`` and ``mode = "fan_in"``; small or zero: `weightinit.zeros`, or
        another scheme's draw times a small factor such as 0.01).
    """

    key: str
    label: str
    page: str
    schemes: tuple[str, ...]


USES: dict[str, Use] = {
    u.key: u
    for u in (
        Use("he", "He / Kaiming", "schemes/he.md", ("he_normal", "he_uniform")),
        Use("exact_gain", "exact gain", "architectures/gains.md", ("variance_scaling",)),
        Use("glorot", "Glorot / Xavier", "schemes/glorot.md", ("glorot_normal", "glorot_uniform")),
        Use("lecun", "LeCun", "schemes/lecun.md", ("lecun_normal", "lecun_uniform")),
        Use("orthogonal", "Orthogonal", "schemes/orthogonal.md", ("orthogonal",)),
        Use("small_or_zero", "small or zero", "pitfalls/overconfident-output.md", ("zeros",)),
    )
}

#: How a recommendation's gain is obtained (see `recommended_gain`).
GAIN_RULES = ("he", "exact", "unit", "critical", "zero")


@dataclass(frozen=True)
class Recommendation:
    """Which schemes suit some activations in one structure, and at what gain.

    Attributes
    ----------
    activations : tuple of str
        Keys of `ACTIVATION_NAMES`.
    uses : tuple of str
        Keys of `USES`, the first the default, the others equally good.
    gain : str
        One of `GAIN_RULES`: ``he``, the gain of `weightinit.gain` (ReLU's
        :math:`\\sqrt{2}`, a leaky ReLU's :math:`\\sqrt{2 / (1 + s^2)}`); ``exact``, the
        second-moment gain of `weightinit.meanfield.exact_gain`; ``unit``, 1;
        ``critical``, the gain at which a perturbation neither grows nor shrinks from
        layer to layer with zero biases, :math:`\\chi_1 = 1` at :math:`q^* = 0`; ``zero``,
        0 (zero weights).
    structure : str
        A key of `STRUCTURES`.
    why : str
        One or two sentences of Markdown with the source; links go to papers only, so
        that the sentence reads the same on every page.
    """

    activations: tuple[str, ...]
    uses: tuple[str, ...]
    gain: str
    structure: str
    why: str

    def __post_init__(self):
        for a in self.activations:
            check_choice("activations", a, tuple(ACTIVATION_NAMES))
        for u in self.uses:
            check_choice("uses", u, tuple(USES))
        check_choice("gain", self.gain, GAIN_RULES)
        check_choice("structure", self.structure, tuple(STRUCTURES))


# The reasons link to the papers they cite; the links come from the bibliography.
_HE2015, _GLOROT2010, _LECUN1998, _KLAMBAUER2017, _PENNINGTON2017, _ZHANG2019, _DOSOVITSKIY2021 = (
    ENTRIES[key].url for key in ("he2015", "glorot2010", "lecun1998", "klambauer2017", "pennington2017",
                                 "zhang2019", "dosovitskiy2021"))

RECOMMENDATIONS: tuple[Recommendation, ...] = (
    Recommendation(
        ("relu", "leaky_relu", "prelu"), ("he",), "he", "layer",
        "ReLU keeps half of the second moment of its input, a leaky ReLU of slope $s$ keeps "
        f"$(1 + s^2)/2$ of it ([He et al. 2015, §2.2]({_HE2015}))."),
    Recommendation(
        ("gelu", "gelu_tanh", "silu", "mish", "elu"), ("exact_gain",), "exact", "layer",
        "They are not ReLU, and He's $\\sqrt{2}$ is ReLU's gain. The same "
        "second-moment argument "
        f"([He et al. 2015, §2.2, Eq. 7]({_HE2015})) gives the gain that keeps "
        r"a unit pre-activation variance, $g = 1/\sqrt{\mathbb{E}[\phi(u)^2]}$ "
        r"with $u \sim \mathcal{N}(0, 1)$."),
    Recommendation(
        ("tanh", "sigmoid", "linear"), ("glorot", "lecun"), "unit", "layer",
        "Glorot averages the fans to balance the forward and the backward pass "
        f"([Glorot and Bengio 2010]({_GLOROT2010})); "
        "LeCun keeps the forward pass only "
        f"([LeCun et al. 1998]({_LECUN1998})). "
        "Glorot's derivation assumes a slope of 1 at 0 (Glorot and Bengio 2010, §4.2.1); for "
        "sigmoid, whose slope there is 1/4, gain 1 is a convention."),
    Recommendation(
        ("softmax",), ("small_or_zero",), "zero", "layer",
        "The layer before a softmax is a classifier's last layer. At zero, or at a He, Glorot or "
        "LeCun draw times 0.01, every class starts at about $1/C$, a loss of about $\\ln C$; at "
        "their full variance the logits are of order 1 and the loss starts higher. Fixup "
        f"starts this layer at zero ([Zhang et al. 2019]({_ZHANG2019})), and so does ViT for "
        f"fine-tuning ([Dosovitskiy et al. 2021, §3.2]({_DOSOVITSKIY2021}))."),
    Recommendation(
        ("selu",), ("lecun",), "unit", "layer",
        r"Self-normalization needs weights of variance $1/n_\text{in}$ "
        f"([Klambauer et al. 2017]({_KLAMBAUER2017}))."),
    Recommendation(
        ("tanh", "linear"), ("orthogonal",), "critical", "deep_plain",
        r"With zero biases, gain 1 puts tanh at the edge of chaos, $\chi_1 = 1$, and orthogonal "
        "weights near that point keep the singular values of the input–output Jacobian near 1 "
        f"([Pennington, Schoenholz, Ganguli 2017]({_PENNINGTON2017})). PyTorch's tanh gain, "
        "5/3, is in the chaotic phase: gradients grow toward the input."),
    Recommendation(
        ("tanh", "linear"), ("orthogonal",), "critical", "recurrent",
        "An orthogonal recurrent matrix has every singular value 1: applied at "
        "every step, it neither grows nor shrinks a linear state in any "
        "direction, and tanh's slope, at most 1, only shrinks it."),
)


def recommendations_for(activation: str, structure: str = "layer") -> tuple[Recommendation, ...]:
    """The table's rows that file `activation` in `structure`.

    Parameters
    ----------
    activation : str
        A key of `ACTIVATION_NAMES`.
    structure : str, default "layer"
        A key of `STRUCTURES`.

    Returns
    -------
    tuple of Recommendation

    Raises
    ------
    ValueError
        For an activation or structure the table does not know.

    Examples
    --------
    >>> [r.uses for r in recommendations_for("tanh")]
    [('glorot', 'lecun')]
    """
    check_choice("activation", activation, tuple(ACTIVATION_NAMES))
    check_choice("structure", structure, tuple(STRUCTURES))
    return tuple(r for r in RECOMMENDATIONS if r.structure == structure and activation in r.activations)


def uses_for(activation: str, structure: str = "layer") -> tuple[str, ...]:
    """The `USES` keys the table gives `activation` in `structure`; empty if none.

    Parameters
    ----------
    activation, structure : str
        As in `recommendations_for`.

    Examples
    --------
    >>> uses_for("gelu"), uses_for("relu"), uses_for("tanh", "deep_plain")
    (('exact_gain',), ('he',), ('orthogonal',))
    """
    return tuple(u for r in recommendations_for(activation, structure) for u in r.uses)


def recommended_gain(activation: str, structure: str = "layer", param: float | None = None) -> float:
    """The gain the table gives `activation` in `structure`.

    Parameters
    ----------
    activation : str
        A key of `ACTIVATION_NAMES`.
    structure : str, default "layer"
        A key of `STRUCTURES`.
    param : float, optional
        Negative slope of ``leaky_relu`` and ``prelu`` (default: `weightinit.gain`'s
        0.01), ``alpha`` of ``elu``.

    Raises
    ------
    ValueError
        For an activation or structure the table does not know, or an activation it
        gives no scheme in that structure.

    Examples
    --------
    >>> round(recommended_gain("gelu"), 4), round(recommended_gain("relu") ** 2, 12)
    (1.5335, 2.0)
    >>> recommended_gain("tanh", "deep_plain"), recommended_gain("softmax")
    (1.0, 0.0)
    """
    rows = recommendations_for(activation, structure)
    if not rows:
        raise ValueError(
            f"the recommendation table gives activation={activation!r} no scheme in "
            f"structure={structure!r}; it does in: "
            f"{', '.join(s for s in STRUCTURES if recommendations_for(activation, s)) or 'none'}"
        )
    rule = rows[0].gain
    if rule == "he":
        return init.gain("relu") if activation == "relu" else init.gain("leaky_relu", param)
    if rule == "exact":
        return mf.exact_gain(activation, param=param)
    if rule == "critical":
        return 1.0 / math.sqrt(float(mf.chi_1(1.0, 0.0, activation, q=0.0)))
    if rule == "zero":
        return 0.0
    return 1.0


def suits(scheme: str) -> tuple[str, ...]:
    """What the table files under a registry scheme: activation keys of the ``layer`` rows,
    then the other structures, in the table's order.

    Parameters
    ----------
    scheme : str
        A name in `weightinit.SCHEMES`.

    Examples
    --------
    >>> suits("he_normal"), suits("glorot_normal"), suits("zeros")
    (('relu', 'leaky_relu', 'prelu'), ('tanh', 'sigmoid', 'linear'), ('softmax',))
    >>> suits("orthogonal")
    ('very deep plain networks (tanh, linear)', 'recurrent weight matrices (tanh, linear)')
    """
    found: list[str] = []
    for r in RECOMMENDATIONS:
        if not any(scheme in USES[u].schemes for u in r.uses):
            continue
        if r.structure == "layer":
            found += [a for a in r.activations if a not in found]
        else:
            label = {"deep_plain": "very deep plain networks", "recurrent": "recurrent weight matrices"}
            found.append(f"{label[r.structure]} ({', '.join(r.activations)})")
    return tuple(found)
