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

from weightinit import initializers as init
from weightinit._sampling import normal_mass, truncated_moments
from weightinit.schemes import SCHEMES, variance_scaling_triples

__all__ = [
    "activation_std_by_depth",
    "batchnorm_stack_table",
    "bibliography",
    "branch_scale_init",
    "branch_scale_steps",
    "dead_relu_by_bias",
    "deepnorm_constants",
    "diagnose_healthy",
    "diagnose_relu_negative_bias",
    "diagnose_tanh_std001",
    "diagnose_tanh_std1",
    "diagnose_zeros",
    "dcgan_layer_stds",
    "exact_gains",
    "framework_equivalents",
    "gains",
    "gate_blocks",
    "gradient_ratio_first_last",
    "initial_loss_by_last_scale",
    "llm_recipe_stds",
    "llm_std_by_width",
    "llm_stream",
    "loss_not_moving",
    "mha_fused_fans",
    "mixed_precision_underflow",
    "mup_coordinate_sizes",
    "mup_initial_output",
    "mup_rules",
    "nonfinite_layer",
    "recommendations",
    "recommendations_chooser",
    "recommendations_schemes",
    "recommendations_structures",
    "reinit_after_loading_table",
    "reproducibility_table",
    "residual_scheme_runs",
    "schemes",
    "symmetry_weights",
    "transformer_std_scale",
    "trunc_normal_absolute",
    "truncation",
    "update_ratio_by_lr",
    "variance_scaling_family",
    "vit_embedding_stds",
    "wrong_fan_cases",
    "zero_last_layer",
    "zero_init_steps",
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
        ref = f"[{s.reference.authors[0]} {s.reference.year}]({s.reference.url})" if s.reference else ""
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


def _recommendation_rows(base: str, structures, why: bool) -> list[str]:
    """The rows of `weightinit.recommendations.RECOMMENDATIONS` in `structures`, rows that
    differ only in structure merged; links relative to ``docs/`` with `base` before them."""
    from weightinit.recommendations import ACTIVATION_NAMES, RECOMMENDATIONS, STRUCTURES, USES, recommended_gain

    groups: dict[tuple, list] = {}
    for r in RECOMMENDATIONS:
        if r.structure in structures:
            groups.setdefault((r.activations, r.uses, r.gain), []).append(r)
    rows = []
    for (activations, uses, rule), members in groups.items():
        names = ", ".join(ACTIVATION_NAMES[a] for a in activations)
        where = [m.structure for m in members if m.structure != "layer"]
        if where:
            names += ": " + " or ".join(STRUCTURES[w].split(" (")[0] for w in where)
        use = " or ".join(f"[{USES[u].label}]({base}{USES[u].page})" for u in uses)
        if rule == "he":
            gain = (f"ReLU {recommended_gain('relu'):.4f}; "
                    r"$\sqrt{2 / (1 + s^2)}$ for slope $s$")
        elif rule == "exact":
            gain = ", ".join(f"{ACTIVATION_NAMES[a]} {recommended_gain(a):.4f}" for a in activations)
            gain += " (at unit variance)"
        else:
            values = {f"{recommended_gain(a, members[0].structure):g}" for a in activations}
            gain = ", ".join(sorted(values))
        if rule == "exact":
            variance = r"$g^2 / n_\text{in}$"
        else:
            variance = " or ".join(f"${SCHEMES[USES[u].schemes[0]].variance_tex}$" for u in uses)
        cells = [names, use, gain, variance]
        if why:
            cells.append(" ".join(dict.fromkeys(m.why for m in members)))
        rows.append(_row(cells))
    return rows


def _recommendation_table(base: str, structures, why: bool = False) -> str:
    header = ["activation", "use", "gain $g$", "variance of one weight"]
    header += ["why"] if why else []
    lines = [_row(header), _row(["---"] * len(header))]
    return "\n".join(lines + _recommendation_rows(base, structures, why)) + "\n"


def recommendations() -> str:
    """The scheme and gain for each activation and structure, from
    `weightinit.recommendations.RECOMMENDATIONS`, with links for the home page."""
    return _recommendation_table("", ("layer", "deep_plain", "recurrent"))


def recommendations_schemes() -> str:
    """`recommendations` with links for a page one folder down (``schemes/index.md``)."""
    return _recommendation_table("../", ("layer", "deep_plain", "recurrent"))


def recommendations_chooser() -> str:
    """The scheme and gain for each activation that follows a layer, and why, with links
    for a page one folder down (``practice/which-initializer.md``)."""
    return _recommendation_table("../", ("layer",), why=True)


def recommendations_structures() -> str:
    """The structures the recommendation table gives a scheme of their own, as list items
    for ``practice/which-initializer.md``."""
    from weightinit.recommendations import ACTIVATION_NAMES, RECOMMENDATIONS, STRUCTURES, USES, recommended_gain

    groups: dict[tuple, list] = {}
    for r in RECOMMENDATIONS:
        if r.structure != "layer":
            groups.setdefault((r.activations, r.uses, r.gain), []).append(r)
    items = []
    for (activations, uses, _), members in groups.items():
        where = ", or ".join(STRUCTURES[m.structure] for m in members)
        names = " or ".join(ACTIVATION_NAMES[a] for a in activations)
        gains = {f"{recommended_gain(a, m.structure):g}" for a in activations for m in members}
        use = " or ".join(f"[{USES[u].label}](../{USES[u].page})" for u in uses)
        why = " ".join(m.why for m in members)
        items.append(f"- **{where[0].upper()}{where[1:]},** with {names} units: {use} at gain "
                     f"{', '.join(sorted(gains))}. {why}")
    return "\n".join(items) + "\n"


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
    "tanh": (r"\tfrac{5}{3}", "PyTorch's value, given without a derivation"),
    "relu": (r"\sqrt{2}", "derived: ReLU halves the second moment"),
    "leaky_relu": (r"\sqrt{\tfrac{2}{1 + s^2}}", "derived: keeps $(1 + s^2)/2$ of it; $s$ = 0.01 here"),
    "selu": (r"\tfrac{3}{4}", "PyTorch's value, \"found empirically\""),
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

    from weightinit.experiments import symmetry

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
    beside PyTorch's ``calculate_gain`` (``weightinit.gain`` mirrors it) where it has the name,
    and the scheme `weightinit.recommendations.RECOMMENDATIONS` gives it."""
    from weightinit.meanfield import ACTIVATIONS, PARAM_DEFAULTS, exact_gain, second_moment
    from weightinit.recommendations import ACTIVATION_NAMES, USES, uses_for

    lines = [
        _row(["activation", "`param`", "$\\mathbb{E}[\\phi(z)^2]$", "exact gain $g$", "$g^2$",
              "PyTorch `calculate_gain`", "PyTorch / exact", "recommended scheme"]),
        _row(["---"] * 8),
    ]
    for name in ACTIVATIONS:
        default = PARAM_DEFAULTS[name]
        g = exact_gain(name)
        if name in init.NONLINEARITIES:
            theirs = init.gain(name)
            torch_cells = [f"{theirs:.4f}", f"{theirs / g:.3f}"]
        else:
            torch_cells = ["none (raises)", ""]
        uses = uses_for(name) if name in ACTIVATION_NAMES else ()
        use = " or ".join(USES[u].label for u in uses) or "none in the table"
        lines.append(_row([f"`{name}`", "" if default is None else f"{default:g}",
                           f"{second_moment(name):.4f}", f"{g:.4f}", f"{g * g:.4f}", *torch_cells, use]))
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
    from weightinit.architectures import deepnorm

    lines = [_row(["layers N", "alpha = (2N)^(1/4)", "beta = (8N)^(-1/4)"]), _row(["---"] * 3)]
    for n in (6, 12, 24, 48, 100, 1000):
        alpha, beta = deepnorm(n)
        lines.append(_row([str(n), f"{alpha:.3f}", f"{beta:.3f}"]))
    return "\n".join(lines) + "\n"


def llm_recipe_stds() -> str:
    """The std of every weight of a Llama-style model under each recipe, at Llama's default
    shape; where a recipe scales by the block, its first and last blocks; and the std of the
    logits (the output's std times sqrt(d), on the final RMSNorm's unit-RMS output)."""
    from weightinit.architectures import LLM_RECIPES, LLM_SHAPE, LLM_WEIGHTS, llm_init_stds

    d, n, h = LLM_SHAPE["d_model"], LLM_SHAPE["n_layers"], LLM_SHAPE["d_ff"]
    lines = [_row(["recipe", *(f"`{w}`" for w in LLM_WEIGHTS), "logits"]), _row(["---"] * (2 + len(LLM_WEIGHTS)))]
    for recipe, label in LLM_RECIPES.items():
        first, last = (llm_init_stds(recipe, d, n, layer, h) for layer in (0, n - 1))
        cells = [f"{first[w]:.4g}" if first[w] == last[w] else f"{first[w]:.4g} → {last[w]:.4g}"
                 for w in LLM_WEIGHTS]
        lines.append(_row([label, *cells, f"{first['output'] * math.sqrt(d):.3g}"]))
    return "\n".join(lines) + "\n"


def llm_stream() -> str:
    """The residual stream of a Llama-style model at initialization under each recipe: its
    std after the embedding, the first block and the last, and what one SwiGLU branch adds."""
    from weightinit.architectures import LLM_RECIPES, LLM_SHAPE, llm_residual_stream

    n = LLM_SHAPE["n_layers"]
    lines = [_row(["recipe", "embedding", "after block 1", f"after block {n}",
                   f"block {n} / embedding", "SwiGLU branch, block 1",
                   f"block {n}: SwiGLU branch / stream"]), _row(["---"] * 7)]
    for recipe, label in LLM_RECIPES.items():
        r = llm_residual_stream(recipe, **LLM_SHAPE)
        lines.append(_row([label, f"{r.std[0]:.3g}", f"{r.std[1]:.3g}", f"{r.std[-1]:.3g}",
                           f"{r.std[-1] / r.std[0]:.3g}", f"{r.mlp[0]:.3g}", f"{r.mlp[-1] / r.std[-1]:.3g}"]))
    return "\n".join(lines) + "\n"


def llm_std_by_width() -> str:
    """The std of an input projection at several widths under a fixed 0.02, OLMo's 1/sqrt(d)
    and GPT-NeoX's small_init, with what each makes of a unit input (std times sqrt(d))."""
    from weightinit.architectures import llm_init_stds

    recipes = (("hf_llama", "0.02"), ("olmo", "1/√d (OLMo)"), ("neox", "√(2/(5d)) (small_init)"))
    lines = [_row(["width d", *(f"{label}: std, std·√d" for _, label in recipes)]), _row(["---"] * 4)]
    for d in (768, 2048, 4096, 8192):
        cells = []
        for recipe, _ in recipes:
            std = llm_init_stds(recipe, d, 1)["q"]
            cells.append(f"{std:.4f}, {std * math.sqrt(d):.2f}")
        lines.append(_row([str(d), *cells]))
    return "\n".join(lines) + "\n"


# DCGAN's layers in pytorch/examples' dcgan/main.py (nz 100, ngf = ndf = 64, nc 3): the
# PyTorch weight shape, and whether a BatchNorm follows.
_DCGAN_LAYERS = (
    ("G", "ConvTranspose2d(100, 512)", (100, 512, 4, 4), True),
    ("G", "ConvTranspose2d(512, 256)", (512, 256, 4, 4), True),
    ("G", "ConvTranspose2d(256, 128)", (256, 128, 4, 4), True),
    ("G", "ConvTranspose2d(128, 64)", (128, 64, 4, 4), True),
    ("G", "ConvTranspose2d(64, 3), then tanh", (64, 3, 4, 4), False),
    ("D", "Conv2d(3, 64)", (64, 3, 4, 4), False),
    ("D", "Conv2d(64, 128)", (128, 64, 4, 4), True),
    ("D", "Conv2d(128, 256)", (256, 128, 4, 4), True),
    ("D", "Conv2d(256, 512)", (512, 256, 4, 4), True),
    ("D", "Conv2d(512, 1), then sigmoid", (1, 512, 4, 4), False),
)


def dcgan_layer_stds() -> str:
    """DCGAN's layers: the fan_in PyTorch computes from each weight's shape, the std of
    PyTorch's default init (U(+-1/sqrt(fan_in)), std 1/sqrt(3 fan_in)) against DCGAN's 0.02,
    and whether a BatchNorm follows."""
    lines = [_row(["net", "layer", "weight shape", "PyTorch fan_in", "default std", "DCGAN std",
                   "BatchNorm after"]), _row(["---"] * 7)]
    for net, label, shape, bn in _DCGAN_LAYERS:
        fan_in, _ = init.compute_fans(shape, in_axis=1, out_axis=0)
        lines.append(_row([net, f"`{label}`", str(shape), str(fan_in), f"{1 / math.sqrt(3 * fan_in):.4f}",
                           "0.02", "yes" if bn else "**no**"]))
    return "\n".join(lines) + "\n"


def zero_init_steps() -> str:
    """SGD steps of a residual network whose branches end in zero layers: the loss and the
    gradient norms of block 1's first and (zero-initialized) last layer and of the output
    layer, with a random and with a zero output layer."""
    from weightinit.architectures import zero_init_training

    lines = [_row(["output layer", "step", "loss", "‖∇W1‖ (block 1)", "‖∇W2‖ (block 1, zero at start)",
                   "‖∇V‖ (output)"]), _row(["---"] * 6)]
    for label, zero_head, lr in (("random", False, 0.01), ("zero", True, 0.05)):
        r = zero_init_training(zero_head=zero_head, lr=lr)
        for t in range(len(r.loss)):
            lines.append(_row([label if t == 0 else "", str(t), f"{r.loss[t]:.3f}", f"{r.grad_in[t, 0]:.3g}",
                               f"{r.grad_out[t, 0]:.3g}", f"{r.grad_head[t]:.3g}"]))
    return "\n".join(lines) + "\n"


def vit_embedding_stds() -> str:
    """A ViT-Base/16's embeddings and head under each recipe: the std of each weight, and
    what reaches the first block (pixels of RMS 1): the patch embedding's output, and the
    position embedding's and the cls_token row's std relative to it."""
    from weightinit.architectures import VIT_RECIPES, VIT_SHAPE, VIT_WEIGHTS, vit_init_stds, vit_token_stds

    p, c = VIT_SHAPE["patch_size"], VIT_SHAPE["channels"]
    lines = [_row(["recipe", *(f"`{w}` std" for w in VIT_WEIGHTS), "patch embedding output",
                   "`pos_embed` / patch output", "`cls_token` row / patch output"]), _row(["---"] * 8)]
    for recipe, label in VIT_RECIPES.items():
        s, t = vit_init_stds(recipe, p, c), vit_token_stds(recipe, p, c)
        lines.append(_row([label, *(f"{s[w]:.3g}" for w in VIT_WEIGHTS), f"{t['patch_out']:.3g}",
                           f"{t['pos_share']:.3g}", f"{t['cls_share']:.3g}"]))
    return "\n".join(lines) + "\n"


# (label, block, gamma, width): torchvision's ResNet (first stage, 64 channels) with and
# without zero_init_residual; ConvNeXt-T's first stage (96 channels) with and without its
# layer scale.
_BRANCH_SCALES = (
    ("ResNet, γ = 1 (default)", "resnet", 1.0, 64),
    ("ResNet, γ = 0 (zero-gamma)", "resnet", 0.0, 64),
    ("ConvNeXt, no layer scale", "convnext", 1.0, 96),
    ("ConvNeXt, layer scale 1e-6", "convnext", 1e-6, 96),
)


def branch_scale_init() -> str:
    """Residual networks of 16 blocks at step 0, with and without zero-gamma or layer scale:
    the stream's std through depth, the largest branch-to-stream ratio, how far the output
    is from the input, and the gradients of block 1's branch scale and first weights."""
    from weightinit.architectures import branch_scale_training

    lines = [_row(["network", "stream std: input", "after block 8", "after block 16",
                   "largest branch / stream", "largest entry of x₁₆ − x₀", "‖∇γ‖ block 1", "‖∇W1‖ block 1"]),
             _row(["---"] * 8)]
    for label, block, gamma, width in _BRANCH_SCALES:
        r = branch_scale_training(block, gamma=gamma, width=width, steps=0)
        lines.append(_row([label, f"{r.std[0]:.3g}", f"{r.std[8]:.3g}", f"{r.std[16]:.3g}",
                           f"{r.branch_ratio.max():.2g}", f"{r.identity_gap:.2g}",
                           f"{r.grad_gamma[0, 0]:.3g}", f"{r.grad_w1[0, 0]:.3g}"]))
    return "\n".join(lines) + "\n"


def branch_scale_steps() -> str:
    """Three SGD steps from zero-gamma and from layer scale 1e-6: the loss, block 1's mean
    abs(γ) and the gradients of its γ and of its branch's first weights."""
    from weightinit.architectures import branch_scale_training

    lines = [_row(["network", "step", "loss", "mean size of γ, block 1", "‖∇γ‖ block 1", "‖∇W1‖ block 1"]),
             _row(["---"] * 6)]
    for label, block, gamma, width in _BRANCH_SCALES[1::2]:
        r = branch_scale_training(block, gamma=gamma, width=width)
        for t in range(len(r.loss)):
            lines.append(_row([label if t == 0 else "", str(t), f"{r.loss[t]:.4g}", f"{r.gamma[t, 0]:.3g}",
                               f"{r.grad_gamma[t, 0]:.3g}", f"{r.grad_w1[t, 0]:.3g}"]))
    return "\n".join(lines) + "\n"


def residual_scheme_runs() -> str:
    """The residual schemes side by side: the stream's std through depth at step 0, and the
    loss over the first SGD steps (``architectures.residual_schemes``)."""
    from weightinit.architectures import residual_schemes

    names = {"he": "none (He, LeCun)", "fixup": "Fixup", "rezero": "ReZero", "skipinit": "SkipInit",
             "zero_gamma": "zero-gamma"}
    runs = residual_schemes()
    depth, steps = len(runs["he"].stream_std) - 1, len(runs["he"].loss) - 1
    blocks = (0, depth // 4, depth // 2, depth)
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    lines = [_row(["scheme"] + [f"std of x{str(b).translate(sub)}" for b in blocks]
                  + [f"loss, step {s}" for s in range(steps + 1)]),
             _row(["---"] * (1 + len(blocks) + steps + 1))]
    for scheme, run in runs.items():
        lines.append(_row([names[scheme]] + [f"{run.stream_std[b]:.3g}" for b in blocks]
                          + [f"{v:.4g}" for v in run.loss]))
    return "\n".join(lines) + "\n"


def mup_rules() -> str:
    """Initialization variance and SGD learning rate per layer type, SP against muP."""
    from weightinit.architectures import MUP_RULES

    variance = {1.0: "1/fan_in", "1/fan_in": "1/fan_in²"}
    rate = {1.0: "η", "fan_out": "η · fan_out", "1/fan_in": "η / fan_in"}

    lines = [_row(["layer", "SP: init variance", "SP: SGD lr", "muP: init variance", "muP: SGD lr"]),
             _row(["---"] * 5)]
    for kind in ("input", "hidden", "output"):
        sp, mup = MUP_RULES["sp"][kind], MUP_RULES["mup"][kind]
        lines.append(_row([kind, variance[sp[0]], rate[sp[1]], variance[mup[0]], rate[mup[1]]]))
    return "\n".join(lines) + "\n"


def mup_coordinate_sizes() -> str:
    """How far the last hidden activations and the output move in three SGD steps, against
    width, SP and muP (``architectures.coordinate_check``)."""
    from weightinit.architectures import coordinate_check

    widths = (64, 256, 1024)
    sp, mup = (coordinate_check(p, widths=widths, steps=3) for p in ("sp", "mup"))
    lines = [_row(["width n", "SP: hidden", "muP: hidden", "SP: output", "muP: output"]), _row(["---"] * 5)]
    for i, n in enumerate(widths):
        lines.append(_row([str(n)] + [f"{v:.2g}" for v in (sp.hidden[i, -1], mup.hidden[i, -1],
                                                           sp.output[i, -1], mup.output[i, -1])]))
    return "\n".join(lines) + "\n"


def mup_initial_output() -> str:
    """Std of the initial output of the coordinate check's network against width, SP and muP
    (``architectures.initial_output_std``)."""
    from weightinit.architectures import initial_output_std

    widths = (64, 256, 1024, 4096)
    sp, mup = initial_output_std("sp", widths), initial_output_std("mup", widths)
    lines = [_row(["width n", "SP: std of f₀", "muP: std of f₀", "muP: std × √n"]), _row(["---"] * 4)]
    for n, a, b in zip(widths, sp, mup):
        lines.append(_row([str(n), f"{a:.3f}", f"{b:.4f}", f"{b * math.sqrt(n):.3f}"]))
    return "\n".join(lines) + "\n"


def gate_blocks() -> str:
    """Singular values of each gate's (h, h) block of an LSTM recurrent kernel (h, 4h):
    one orthogonal draw for the whole kernel against one per gate."""
    from weightinit.architectures import gate_singular_values

    h = 64
    lines = [_row(["recurrent kernel (64, 256)", "gate", "smallest σ", "median σ", "largest σ"]),
             _row(["---"] * 5)]
    for label, per_gate in (("one `orthogonal` draw (Keras)", False), ("orthogonal per gate", True)):
        for gate, s in zip(("input", "forget", "cell", "output"), gate_singular_values(h, per_gate=per_gate)):
            lines.append(_row([label, gate, f"{s.min():.3f}", f"{np.median(s):.3f}", f"{s.max():.3f}"]))
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
    from weightinit.bibliography import ENTRIES, TOPICS
    from weightinit_site.citations import citations

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


# ------------------------------------------------------------------- practice pages


def _diagnose_table(name):
    from weightinit.practice import diagnose_case

    return diagnose_case(name).markdown()


def diagnose_healthy() -> str:
    """`weightinit.diagnose` on a He-initialized ReLU network (``practice.DIAGNOSE_CASES``)."""
    return _diagnose_table("healthy")


def diagnose_zeros() -> str:
    """`weightinit.diagnose` on a ReLU network of zero weights."""
    return _diagnose_table("zeros")


def diagnose_tanh_std1() -> str:
    """`weightinit.diagnose` on a tanh network of weights with std 1.0."""
    return _diagnose_table("tanh_std1")


def diagnose_relu_negative_bias() -> str:
    """`weightinit.diagnose` on a He-initialized ReLU network with biases of -5."""
    return _diagnose_table("relu_negative_bias")


def diagnose_tanh_std001() -> str:
    """`weightinit.diagnose` on a tanh network of weights with std 0.01."""
    return _diagnose_table("tanh_std001")


#: The last layers of `initial_loss_by_last_scale`: label, scheme, factor.
_LAST_LAYERS = (
    ("zeros", "he_normal", 0.0),
    ("He normal × 0.01", "he_normal", 0.01),
    ("LeCun normal", "lecun_normal", 1.0),
    ("Glorot normal", "glorot_normal", 1.0),
    ("He normal", "he_normal", 1.0),
    ("He normal × 10", "he_normal", 10.0),
    ("He normal × 100", "he_normal", 100.0),
)


def initial_loss_by_last_scale() -> str:
    """Initial cross-entropy of a 10-class He ReLU classifier for several last layers:
    zeros, the three normal schemes, He's scaled down and up (``practice.initial_loss``)."""
    from weightinit.practice import initial_loss

    lines = [_row(["last layer", "initial loss", "ln 10", "mean top probability"]), _row(["---"] * 4)]
    for label, scheme, scale in _LAST_LAYERS:
        loss, confidence = initial_loss(scale, last_init=scheme)
        lines.append(_row([label, f"{loss:.3f}", f"{math.log(10):.3f}", f"{confidence:.3f}"]))
    return "\n".join(lines) + "\n"


def zero_last_layer() -> str:
    """Gradient norms per layer in the first two SGD steps of a 10-class He ReLU classifier whose
    last layer starts at zero, for a zero and a random output bias
    (``practice.zero_last_layer_gradients``)."""
    from weightinit.practice import zero_last_layer_gradients

    header = ["output bias", "step"]
    rows = []
    for label, bias_std in (("zeros", 0.0), ("N(0, 1)", 1.0)):
        weight, bias = zero_last_layer_gradients(output_bias_std=bias_std)
        n = weight.shape[1]
        for step in range(2):
            cells = []
            for i in range(n):
                cells += [f"{weight[step, i]:.3g}", f"{bias[step, i]:.3g}"]
            rows.append(_row([label, str(step + 1)] + cells))
    for i in range(1, n + 1):
        name = "last layer" if i == n else f"layer {i}"
        header += [f"{name}: ‖∇W‖", f"{name}: ‖∇b‖"]
    lines = [_row(header), _row(["---"] * len(header))] + rows
    return "\n".join(lines) + "\n"


def dead_relu_by_bias() -> str:
    """Fraction of dead units per hidden layer of a He ReLU network, for several bias values
    (``practice.dead_fractions``)."""
    from weightinit.practice import dead_fractions

    biases = (0.0, -0.5, -1.0, -2.0, -5.0)
    dead = dead_fractions(biases)
    lines = [_row(["bias"] + [f"layer {i}" for i in range(1, dead.shape[1] + 1)]), _row(["---"] * (dead.shape[1] + 1))]
    for bias, fractions in zip(biases, dead):
        lines.append(_row([f"{bias:g}"] + [f"{100 * f:.0f}%" for f in fractions]))
    return "\n".join(lines) + "\n"


def activation_std_by_depth() -> str:
    """Std of the activations at layers 1, 2, 5, 10 and 20 of 20-layer, 256-wide networks
    (``practice.depth_profiles``)."""
    from weightinit.practice import depth_profiles

    layers = (1, 2, 5, 10, 20)
    lines = [_row(["activation", "init"] + [f"layer {i}" for i in layers]), _row(["---"] * (2 + len(layers)))]
    for (activation, label), stds in depth_profiles().items():
        lines.append(_row([activation, label] + [f"{stds[i - 1]:.3g}" for i in layers]))
    return "\n".join(lines) + "\n"


def gradient_ratio_first_last() -> str:
    """Norm of the first and the last layer's weight gradient and their ratio, and the ratio of
    the back-propagated gradients' stds, 20 layers of 256, for a standard normal gradient at
    the output."""
    from weightinit.experiments import gradient_stats
    from weightinit.practice import DEPTH_CASES, fixed_normal

    lines = [_row(["activation", "init", "‖∇W‖ first layer", "‖∇W‖ last layer", "‖∇W‖ first / last",
                   "std of ∂L/∂z, first / last"]), _row(["---"] * 6)]
    for activation, label, init in DEPTH_CASES:
        init = fixed_normal(init) if isinstance(init, float) else init
        stats = gradient_stats(init, activation, widths=[256] * 20, n_samples=256, rng=0)
        norms, dz = stats.weight_grad_norms, np.sqrt(stats.backprop_grad_vars)
        lines.append(_row([activation, label, f"{norms[0]:.3g}", f"{norms[-1]:.3g}", f"{norms[0] / norms[-1]:.3g}",
                           f"{dz[0] / dz[-1]:.3g}"]))
    return "\n".join(lines) + "\n"


def update_ratio_by_lr() -> str:
    """``lr * ||grad W|| / ||W||`` per layer for one SGD step of a He ReLU net on spirals."""
    from weightinit.datasets import spirals
    from weightinit.nn import MLP
    from weightinit.practice import update_ratios

    x, y = spirals(300, rng=0)
    sizes = [2, 64, 64, 64, 3]
    lines = [_row(["learning rate"] + [f"layer {i}" for i in range(1, len(sizes))]), _row(["---"] * len(sizes))]
    for lr in (1e-4, 1e-3, 1e-2, 1e-1, 1.0):
        r = update_ratios(MLP.build(sizes, "relu", init="he_normal", rng=0), x, y, lr)
        lines.append(_row([f"{lr:g}"] + [f"{v:.1e}" for v in r]))
    return "\n".join(lines) + "\n"


def loss_not_moving() -> str:
    """Loss on spirals after 0, 100 and 300 SGD steps, for three initializations of a ReLU MLP."""
    from weightinit.experiments import training_curves

    # losses[k] is the loss after k updates, so 301 entries reach step 300
    curves = training_curves({"zeros": "zeros", "std 0.01": "normal", "He normal": "he_normal"},
                             steps=301, rng=0)
    lines = [_row(["init", "step 0", "step 100", "step 300", "ln 3"]), _row(["---"] * 5)]
    for label, losses in curves.items():
        lines.append(_row([label, f"{losses[0]:.4f}", f"{losses[100]:.4f}",
                           f"{losses[300]:.4f}", f"{math.log(3):.4f}"]))
    return "\n".join(lines) + "\n"


def nonfinite_layer() -> str:
    """First layer whose activations overflow, in float16, bfloat16 and float32 (30 ReLU layers of 256)."""
    from weightinit.practice import first_nonfinite_layer

    lines = [_row(["weight std", "float16", "bfloat16", "float32"]), _row(["---"] * 4)]
    for std in (1.0, 0.5, 0.25, math.sqrt(2 / 256)):
        label = f"{std:g}" if std != math.sqrt(2 / 256) else f"{std:.3f} (He)"
        cells = [first_nonfinite_layer(std, dtype=d) for d in ("float16", "bfloat16", "float32")]
        lines.append(_row([label] + ["finite" if c is None else f"layer {c}" for c in cells]))
    return "\n".join(lines) + "\n"


def mixed_precision_underflow() -> str:
    """Fraction of ``N(0, std^2)`` float32 weights that become zero or subnormal when cast."""
    from weightinit.practice import precision_loss

    lines = [_row(["std", "float16: zero", "float16: subnormal", "float16: std after / before",
                   "bfloat16: zero", "bfloat16: subnormal"]), _row(["---"] * 6)]
    for std in (0.02, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8):
        h, b = precision_loss(std, "float16"), precision_loss(std, "bfloat16")
        lines.append(_row([f"{std:g}", f"{100 * h.zero:.2f}%", f"{100 * h.subnormal:.2f}%",
                           f"{h.std_ratio:.3f}", f"{100 * b.zero:.2f}%", f"{100 * b.subnormal:.2f}%"]))
    return "\n".join(lines) + "\n"


def trunc_normal_absolute() -> str:
    """Where PyTorch's ``trunc_normal_`` with its default ``a=-2, b=2`` cuts, for several std."""
    from weightinit.practice import torch_trunc_normal_cut

    lines = [_row(["std", "cut at (in std)", "std of the result / std", "mass cut off"]), _row(["---"] * 4)]
    for std in (0.02, 0.1, 0.5, 1.0, 2.0):
        cut, ratio = torch_trunc_normal_cut(std)
        lines.append(_row([f"{std:g}", f"±{cut:g}", f"{ratio:.4f}", f"{1 - normal_mass(-cut, cut):.2g}"]))
    return "\n".join(lines) + "\n"


def batchnorm_stack_table() -> str:
    """Std of the activations after 1, 10 and 20 ReLU layers with batch normalization, in
    training mode and in inference mode at initialization, plain and residual."""
    from weightinit.practice import batchnorm_stack

    lines = [_row(["stack", "weight std", "train: layer 1", "train: layer 20", "eval: layer 1",
                   "eval: layer 20"]), _row(["---"] * 6)]
    for residual in (False, True):
        for std in (0.01, math.sqrt(2 / 128), 1.0):
            t, e = batchnorm_stack(std, depth=20, width=128, residual=residual)
            label = f"{std:.3f} (He)" if std == math.sqrt(2 / 128) else f"{std:g}"
            lines.append(_row(["residual" if residual else "plain", label, f"{t[0]:.3g}", f"{t[-1]:.3g}",
                               f"{e[0]:.3g}", f"{e[-1]:.3g}"]))
    return "\n".join(lines) + "\n"


def reinit_after_loading_table() -> str:
    """Loss of a spiral classifier right after loading its checkpoint in several orders."""
    from weightinit.practice import reinit_after_loading

    r = reinit_after_loading()
    lines = [_row(["what ran", "loss on the data"]), _row(["---"] * 2)]
    lines += [_row([k, f"{v:.4f}"]) for k, v in r.items()]
    lines.append(_row(["(ln 3, a uniform guess)", f"{math.log(3):.4f}"]))
    return "\n".join(lines) + "\n"


def reproducibility_table() -> str:
    """What stays identical in NumPy: same seed, other seed, other generator, summation order."""
    from weightinit.practice import reproducibility

    notes = {"same seed": "`default_rng(0)` twice", "other seed": "`default_rng(0)` and `default_rng(1)`",
             "other generator": "`RandomState(0)` and `default_rng(0)`",
             "sum order": "float32 sum of the same 10,000 numbers, forward and backward (relative)"}
    lines = [_row(["comparison", "what", "largest difference"]), _row(["---"] * 3)]
    lines += [_row([k, notes[k], f"{v:.3g}"]) for k, v in reproducibility().items()]
    return "\n".join(lines) + "\n"


def framework_equivalents() -> str:
    """Every scheme with the PyTorch, Keras and JAX call that draws from the same distribution
    (``practice.EQUIVALENTS``), and its variance from the registry."""
    from weightinit.practice import EQUIVALENTS

    def code(call):
        return "–" if call is None else f"`{call}`"

    lines = [_row(["weightinit", "variance", "PyTorch, `w` of shape (out, in)", "Keras 3",
                   "JAX, `jinit = jax.nn.initializers`"]), _row(["---"] * 5)]
    for e in EQUIVALENTS:
        s = SCHEMES[e.scheme]
        args = ", ".join(f"{k}={v!r}" for k, v in e.params.items())
        lines.append(_row([f"`{e.scheme}({args})`" if args else f"`{e.scheme}`", f"${s.variance_tex}$",
                           code(e.torch), code(e.keras), code(e.jax)]))
    return "\n".join(lines) + "\n"


