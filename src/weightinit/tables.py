"""Tables for the site, computed from the library at build time.

Each function returns a Markdown table. A page asks for one with
``[[table: name]]``; the build calls the function and puts its output there.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np

from . import initializers as init
from ._sampling import normal_mass, truncated_moments
from .schemes import SCHEMES, variance_scaling_triples

__all__ = [
    "bibliography",
    "deepnorm_constants",
    "exact_gains",
    "gains",
    "gate_blocks",
    "mha_fused_fans",
    "mup_rules",
    "schemes",
    "symmetry_weights",
    "transformer_std_scale",
    "truncation",
    "variance_scaling_family",
    "wrong_fan_cases",
]


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def schemes() -> str:
    """Every scheme in the registry: distribution, variance, what it suits, and its source."""
    lines = [
        _row(["scheme", "aliases", "draws", "variance of one weight", "suits", "source"]),
        _row(["---"] * 6),
    ]
    for s in SCHEMES.values():
        ref = f"[{s.reference.authors.split(',')[0]} {s.reference.year}]({s.reference.url})" if s.reference else ""
        lines.append(
            _row(
                [
                    f"`{s.name}`",
                    ", ".join(f"`{a}`" for a in s.aliases),
                    s.distribution.replace("_", " "),
                    f"${s.variance_tex}$",
                    ", ".join(s.suits),
                    ref,
                ]
            )
        )
    return "\n".join(lines) + "\n"


def _fraction(x: float) -> str:
    """``x`` as a small exact fraction when it is one (1/3, 2), else rounded."""
    f = Fraction(x).limit_denominator(12)
    if math.isclose(float(f), x, rel_tol=1e-12):
        return str(f)
    return f"{x:.4g}"


def variance_scaling_family() -> str:
    """Every named random scheme as the (scale, mode, distribution) of one variance_scaling call,
    at the scheme's default parameters."""
    lines = [
        _row(["scheme", "aliases", "defaults", "scale", "mode", "distribution", "variance of one weight"]),
        _row(["---"] * 7),
    ]
    for name, scale, mode, distribution in variance_scaling_triples():
        s = SCHEMES[name]
        lines.append(
            _row(
                [
                    f"`{name}`",
                    ", ".join(f"`{a}`" for a in s.aliases),
                    ", ".join(f"`{k}={v!r}`" for k, v in s.params.items()),
                    f"`{_fraction(scale)}`",
                    f'`"{mode}"`',
                    f'`"{distribution}"`',
                    f"${s.variance_tex}$",
                ]
            )
        )
    return "\n".join(lines) + "\n"


def truncation() -> str:
    """Standard deviation of a standard normal truncated at +-c, and the factor that corrects it."""
    lines = [
        _row(["cut at", "std of the truncated N(0, 1)", "correction factor 1 / std", "mass kept"]),
        _row(["---"] * 4),
    ]
    for c in (1.0, 1.5, 2.0, 2.5, 3.0):
        std = truncated_moments(-c, c)[1]
        mark = " (the standard cut)" if c == 2.0 else ""
        lines.append(
            _row([f"$\\pm {c:g}\\sigma${mark}", f"{std:.6f}", f"{1 / std:.6f}", f"{normal_mass(-c, c):.4f}"])
        )
    return "\n".join(lines) + "\n"


# How each gain is obtained; the values themselves come from ``weightinit.gain``.
_GAIN_TEX = {
    "unit": ("1", "no change to the second moment (sigmoid: by convention)"),
    "tanh": (r"\tfrac{5}{3}", "empirical"),
    "relu": (r"\sqrt{2}", "derived: ReLU halves the second moment"),
    "leaky_relu": (r"\sqrt{\tfrac{2}{1 + s^2}}", "derived: keeps $(1 + s^2)/2$ of it; $s$ = 0.01 here"),
    "selu": (r"\tfrac{3}{4}", "empirical"),
}


def gains() -> str:
    """The recommended gain of every nonlinearity that ``weightinit.gain`` knows, and its square."""
    lines = [
        _row(["nonlinearity", "gain $g$", "value", "scale $g^2$", "where it comes from"]),
        _row(["---"] * 5),
    ]
    unit = [n for n in init.NONLINEARITIES if init.gain(n) == 1.0]
    rows = [(", ".join(f"`{n}`" for n in unit), "unit", init.gain(unit[0]))]
    rows += [(f"`{n}`", n, init.gain(n)) for n in init.NONLINEARITIES if n not in unit]
    for names, key, g in rows:
        tex, source = _GAIN_TEX[key]
        lines.append(_row([names, f"${tex}$", f"{g:.4f}", f"{g * g:.4f}", source]))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------- pitfall pages


def _matrix(a) -> str:
    """A matrix or vector as inline LaTeX, three decimals."""
    rows = np.atleast_2d(a)
    body = r" \\ ".join(" & ".join(f"{v:.3f}" for v in row) for row in rows)
    return r"$\left[\begin{matrix}" + body + r"\end{matrix}\right]$"


def symmetry_weights() -> str:
    """The course notes' 2-2-1 network before and after 500 steps on moons, from zeros, from
    the constant 0.5 and from He normal (``experiments.symmetry`` at seed 0).

    ``W1`` rows are inputs and columns hidden units, so twin units have equal columns."""
    from functools import partial

    from .experiments import symmetry

    lines = [_row(["init", "", "W1 (column j: unit j)", "b1", "W2 (entry j: unit j)", "loss",
                   "twins"]), _row(["---"] * 7)]
    for label, scheme in (("zeros", "zeros"), ("constant 0.5", partial(init.constant, value=0.5)),
                          ("he_normal", "he_normal")):
        r = symmetry(scheme, rng=0)
        for when, w, loss in (("before", r.before, r.losses[0]), ("after", r.after, r.losses[-1])):
            lines.append(_row([f"`{label}`" if when == "before" else "", when, _matrix(w["W1"]),
                               _matrix(w["b1"]), _matrix(w["W2"].T), f"{loss:.4f}",
                               str(r.identical) if when == "after" else ""]))
    return "\n".join(lines) + "\n"


def wrong_fan_cases() -> str:
    """Fans of four weights read the right way and a common wrong way (from ``compute_fans``),
    and what the wrong fan does to He's standard deviation."""
    cases = (
        ("PyTorch `nn.Linear(4096, 256)` read as `x @ W`", (256, 4096), "(out, in)",
         {"in_axis": 1, "out_axis": 0}, {}, "fan_in"),
        ("3x3 conv, 64 to 128 channels, receptive field forgotten", (3, 3, 64, 128), "(kh, kw, in, out)",
         {}, "channels", "fan_in"),
        ("depthwise 3x3 conv, 64 channels, `groups=64`", (64, 1, 3, 3), "(out, in/groups, kh, kw)",
         "depthwise", {"in_axis": 1, "out_axis": 0}, "fan_out"),
        ("`ConvTranspose2d(128, 64, 4)`, stride 1", (128, 64, 4, 4), "(in, out, kh, kw)",
         "transposed", {"in_axis": 1, "out_axis": 0}, "fan_in"),
    )
    lines = [_row(["case", "shape", "layout", "fans (in, out), right", "fans (in, out), as read",
                   "He mode", "He std as read / right"]), _row(["---"] * 7)]
    for label, shape, layout, right, wrong, mode in cases:
        if right == "depthwise":
            fi, fo = init.compute_fans(shape, in_axis=1, out_axis=0)
            right_fans = (fi, fo // shape[0])  # each input channel feeds one output channel
        elif right == "transposed":
            k = shape[2] * shape[3]
            right_fans = (shape[0] * k, shape[1] * k)  # stride 1: each output sees in_channels * k taps
        else:
            right_fans = init.compute_fans(shape, **right)
        if wrong == "channels":
            wrong_fans = (shape[-2], shape[-1])
        else:
            wrong_fans = init.compute_fans(shape, **wrong)
        k = 0 if mode == "fan_in" else 1
        ratio = math.sqrt(right_fans[k] / wrong_fans[k])
        lines.append(_row([label, f"`{shape}`", f"`{layout}`", f"{right_fans}", f"{wrong_fans}", f"`{mode}`",
                           f"{ratio:.3g}"]))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------- architectures


def exact_gains() -> str:
    """The second-moment gain of every activation ``meanfield.exact_gain`` knows, at ``q = 1``,
    beside PyTorch's ``calculate_gain`` (``weightinit.gain`` mirrors it) where it has the name."""
    from .meanfield import _TABLE, ACTIVATIONS, exact_gain, second_moment

    lines = [
        _row(["activation", "`param`", "$\\mathbb{E}[\\phi(z)^2]$", "exact gain $g$", "$g^2$",
              "PyTorch `calculate_gain`", "PyTorch / exact"]),
        _row(["---"] * 7),
    ]
    for name in ACTIVATIONS:
        default = _TABLE[name][2]
        g = exact_gain(name)
        if name in init.NONLINEARITIES:
            theirs = init.gain(name)
            torch_cells = [f"{theirs:.4f}", f"{theirs / g:.3f}"]
        else:
            torch_cells = ["none (raises)", ""]
        lines.append(_row([f"`{name}`", "" if default is None else f"{default:g}",
                           f"{second_moment(name):.4f}", f"{g:.4f}", f"{g * g:.4f}", *torch_cells]))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ architectures


def transformer_std_scale() -> str:
    """The fixed std 0.02 against 1/sqrt(d), the LeCun std of a d-wide layer, at common widths."""
    lines = [_row(["width d", "LeCun std 1/√d", "0.02 · √d (0.02 in LeCun units)"]), _row(["---"] * 3)]
    for d in (512, 768, 1024, 1600, 4096, 12288):
        lines.append(_row([str(d), f"{1 / math.sqrt(d):.4f}", f"{0.02 * math.sqrt(d):.2f}"]))
    return "\n".join(lines) + "\n"


def mha_fused_fans() -> str:
    """Fans and Xavier-uniform bounds of PyTorch's fused (3d, d) input projection against
    three separate (d, d) projections."""
    lines = [_row(["d", "matrix", "fan_in", "fan_out", "bound √(6/(fan_in + fan_out))", "std"]),
             _row(["---"] * 6)]
    for d in (512, 1024):
        for label, (fan_out, fan_in) in (("fused `in_proj_weight` (3d, d)", (3 * d, d)),
                                         ("separate q, k or v (d, d)", (d, d))):
            fi, fo = init.compute_fans((fan_out, fan_in), in_axis=1, out_axis=0)
            bound = math.sqrt(6 / (fi + fo))
            lines.append(_row([str(d), label, str(fi), str(fo), f"{bound:.5f}", f"{bound / math.sqrt(3):.5f}"]))
    return "\n".join(lines) + "\n"


def deepnorm_constants() -> str:
    """DeepNorm's alpha and beta for decoder-only (and encoder-only) stacks of N layers."""
    from .architectures import deepnorm

    lines = [_row(["layers N", "alpha = (2N)^(1/4)", "beta = (8N)^(-1/4)"]), _row(["---"] * 3)]
    for n in (6, 12, 24, 48, 100, 1000):
        alpha, beta = deepnorm(n)
        lines.append(_row([str(n), f"{alpha:.3f}", f"{beta:.3f}"]))
    return "\n".join(lines) + "\n"


def mup_rules() -> str:
    """Initialization variance and SGD learning rate per layer type, SP against muP."""
    from .architectures import MUP_RULES

    variance = {1.0: "1/fan_in", "1/fan_in": "1/fan_in²"}
    rate = {1.0: "η", "fan_out": "η · fan_out", "1/fan_in": "η / fan_in"}

    lines = [_row(["layer", "SP: init variance", "SP: SGD lr", "muP: init variance", "muP: SGD lr"]),
             _row(["---"] * 5)]
    for kind in ("input", "hidden", "output"):
        sp, mup = MUP_RULES["sp"][kind], MUP_RULES["mup"][kind]
        lines.append(_row([kind, variance[sp[0]], rate[sp[1]], variance[mup[0]], rate[mup[1]]]))
    return "\n".join(lines) + "\n"


def gate_blocks() -> str:
    """Singular values of each gate's (h, h) block of an LSTM recurrent kernel (h, 4h):
    one orthogonal draw for the whole kernel against one per gate."""
    from .architectures import gate_singular_values

    h = 64
    lines = [_row(["recurrent kernel (64, 256)", "gate", "smallest σ", "median σ", "largest σ"]),
             _row(["---"] * 5)]
    for label, per_gate in (("one `orthogonal` draw (Keras)", False), ("orthogonal per gate", True)):
        for gate, s in zip(("input", "forget", "cell", "output"), gate_singular_values(h, per_gate=per_gate)):
            lines.append(_row([label, gate, f"{s.min():.3f}", f"{np.median(s):.3f}", f"{s.max():.3f}"]))
    return "\n".join(lines) + "\n"
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------- bibliography

_DOCS = Path(__file__).resolve().parents[2] / "docs"


def _title(page: Path) -> str:
    """A page's first level-1 heading (a notebook's first ``# # `` line), else its file name."""
    for line in page.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(# )?# (?P<title>\S.*)$", line)
        if m and (page.suffix == ".md") == (m.group(1) is None):
            return m["title"].strip()
    return page.stem


def bibliography(docs_dir=None) -> str:
    """Every entry of `weightinit.bibliography.ENTRIES`, by topic, with the pages that cite it.

    Parameters
    ----------
    docs_dir : str or pathlib.Path, optional
        The site's ``docs`` folder, searched for citations; the repository's by default.
        Links to the pages are relative to ``docs/reference/``.
    """
    from .bibliography import ENTRIES, TOPICS, citations

    docs_dir = Path(docs_dir) if docs_dir is not None else _DOCS
    cited = citations(docs_dir)
    lines = []
    for topic in TOPICS:
        lines += [f"## {topic}", ""]
        for entry in (e for e in ENTRIES.values() if e.topic == topic):
            pages = ", ".join(f"[{_title(docs_dir / p)}](../{p})" for p in cited[entry.key])
            lines.append(f"- {entry.citation()} {entry.takes} Cited on: {pages or 'no page'}.")
        lines.append("")
    return "\n".join(lines)


