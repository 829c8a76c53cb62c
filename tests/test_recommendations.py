"""One recommendation table: its gains are the library's, and no page files an activation
under a scheme the table does not give it."""

from __future__ import annotations

import math
import posixpath
import re
from pathlib import Path

import pytest

import weightinit as wi
from weightinit import meanfield as mf
from weightinit import recommendations as rec
from weightinit_site import tables
from weightinit.schemes import SCHEMES, Scheme

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md")) + sorted((DOCS / "notebooks").glob("*.py"))

# ------------------------------------------------------------------ the table itself


def test_every_activation_is_filed_once_per_structure():
    for a in rec.ACTIVATION_NAMES:
        assert rec.recommendations_for(a), f"{a} is named but given no scheme"
        for s in rec.STRUCTURES:
            assert len(rec.recommendations_for(a, s)) <= 1, (a, s)


def test_gains_are_the_librarys():
    assert rec.recommended_gain("relu") == wi.gain("relu") == math.sqrt(2)
    assert rec.recommended_gain("leaky_relu", param=0.2) == wi.gain("leaky_relu", 0.2)
    for r in rec.RECOMMENDATIONS:
        if r.gain == "exact":
            for a in r.activations:
                assert rec.recommended_gain(a) == mf.exact_gain(a), a


def test_gelu_gets_its_exact_gain_not_hes():
    assert rec.uses_for("gelu") == ("exact_gain",)
    g = rec.recommended_gain("gelu")
    assert abs(g - 1.5335) < 5e-5 and abs(g * g - 2.3517) < 5e-5
    assert abs(g * g - 2.0) > 0.3  # He's variance 2 / n_in is 15 % short


def test_deep_plain_gain_is_critical_not_pytorchs():
    """Orthogonal for deep plain tanh networks at chi_1 = 1 with zero biases (the edge of
    chaos), not at calculate_gain('tanh') = 5/3, where chi_1 > 1 (chaotic)."""
    for structure in ("deep_plain", "recurrent"):
        for a in ("tanh", "linear"):
            g = rec.recommended_gain(a, structure)
            assert rec.uses_for(a, structure) == ("orthogonal",)
            assert abs(float(mf.chi_1(g, 0.0, a, q=0.0)) - 1) < 1e-12
    assert g == 1.0 and abs(float(mf.critical_sigma_w(0.0, "tanh")) - 1) < 1e-6
    assert float(mf.chi_1(wi.gain("tanh"), 0.0, "tanh")) > 1


def test_unknown_names_are_value_errors():
    with pytest.raises(ValueError, match="activation must be one of"):
        rec.uses_for("swish")
    with pytest.raises(ValueError, match="structure must be one of"):
        rec.uses_for("relu", "residual")
    with pytest.raises(ValueError, match="no scheme in structure='deep_plain'"):
        rec.recommended_gain("relu", "deep_plain")


def test_the_registry_takes_its_activations_from_the_table():
    for name, s in SCHEMES.items():
        for a in (x for x in s.suits if x in rec.ACTIVATION_NAMES):
            assert any(name in rec.USES[u].schemes for u in rec.uses_for(a)), (name, a)
    assert "gelu" not in SCHEMES["he_normal"].suits
    with pytest.raises(TypeError, match="gelu"):
        Scheme(function=wi.he_normal, formula="", variance_tex="", summary="", suits=("gelu",),
               cites=None)


def test_rendered_tables_file_gelu_under_its_exact_gain():
    for text in (tables.recommendations(), tables.recommendations_chooser()):
        cells = next(line for line in text.splitlines() if "GELU" in line).split(" | ")
        assert cells[1].startswith("[exact gain](") and "GELU 1.5335" in cells[2]
    row = next(line for line in tables.exact_gains().splitlines() if line.startswith("| `gelu` |"))
    assert row.endswith("| exact gain |")


# ------------------------------------------------------------- what the pages file

#: A page a link points to -> the use it recommends.
_USE_PAGES = {posixpath.basename(u.page): u.key for u in rec.USES.values()}
_USE_PAGES["selu.md"] = "lecun"  # "SELU and LeCun normal"
_USE_WORDS = {"he": r"\bHe\b", "glorot": r"\bGlorot\b", "lecun": r"\bLeCun\b",
              "orthogonal": r"\b[Oo]rthogonal\b", "exact_gain": r"\bexact gain\b",
              "small_or_zero": r"\b[Ss]mall or (?:at )?zero\b"}
#: The layer a softmax follows, by the names pages give it.
_SOFTMAX_LAYER = {"classifier head": "softmax", "classifier's last layer": "softmax",
                  "last layer of a classifier": "softmax"}
_NAMES = sorted(
    {**{k.replace("_", " "): k for k in rec.ACTIVATION_NAMES}, **{k: k for k in rec.ACTIVATION_NAMES},
     **{v: k for k, v in rec.ACTIVATION_NAMES.items()}, "Leaky ReLU": "leaky_relu", **_SOFTMAX_LAYER}.items(),
    key=lambda kv: -len(kv[0]),
)
_NEGATED = re.compile(r"\b(not|never|avoid|nor)\b[^.;:]*$", re.I)


def activations_in(text: str) -> list[str]:
    """The activations a span names, longest names first (leaky ReLU is not also ReLU)."""
    found = []
    for name, key in _NAMES:
        pattern = re.compile(rf"(?<![\w`-]){re.escape(name)}(?![\w`-])")
        if pattern.search(text):
            found.append(key)
            text = pattern.sub(" ", text)
    return found


def uses_in(text: str, words: bool) -> set[str]:
    """The uses a span recommends: the pages it links to, and with `words` the schemes it
    names; a name after "not", "never" or "avoid" in its clause does not count."""
    found = set()
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        use = _USE_PAGES.get(posixpath.basename(target.split("#")[0]))
        if use:
            found.add(use)
    if words:
        for use, pattern in _USE_WORDS.items():
            for m in re.finditer(pattern, text):
                if not _NEGATED.search(text[: m.start()]):
                    found.add(use)
    return found


def structure_of(text: str) -> str:
    if re.search(r"recurren|\bRNN", text):
        return "recurrent"
    return "deep_plain" if re.search(r"\bdeep\b", text) else "layer"


def filings(text: str, page: str = "") -> list[tuple[str, str, str, str]]:
    """``(activation, structure, use, line)`` for every place a page's Markdown files an
    activation under a scheme by hand:

    - a table row whose first cell names activations, under the schemes its other cells
      link to or name;
    - a list item whose lead (bold, or a short phrase before a colon; a bold lead that ends in a
      comma runs on to its sentence's end) names activations and does not start with "not",
      "never", "avoid", under the schemes its first sentence links to or names, or a
      "→ [link]" points to; on a scheme's own page, an item of "When to use it" also under
      that scheme;
    - on a scheme's own page, "Use it for ..." up to the sentence's end, under that scheme.
    """
    out = []
    own = _USE_PAGES.get(posixpath.basename(page))
    lines = text.splitlines()
    items, i, heading = [], 0, ""
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            heading = line[3:].strip()
        if re.match(r"\s*- ", line):
            j = i + 1
            while j < len(lines) and lines[j].startswith("  ") and not re.match(r"\s*- ", lines[j]):
                j += 1
            items.append((heading, " ".join(x.strip() for x in lines[i:j])))
            i = j
            continue
        if line.startswith("|") and not re.match(r"\|\s*-", line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            where = structure_of(cells[0])
            for a in activations_in(cells[0]):
                for use in uses_in(" | ".join(cells[1:]), words=True):
                    out.append((a, where, use, line))
        i += 1
    for heading, item in items:
        m = re.match(r"- \*\*(?P<lead>.+?)\*\*(?P<rest>.*)", item) or re.match(
            r"- (?P<lead>[^:*\[.]{1,60}): (?P<rest>.*)", item)
        if not m or re.match(r"(not|never|avoid|do not)\b", m["lead"], re.I):
            continue
        lead, rest = m["lead"], m["rest"]
        if item.startswith("- **") and lead.endswith(","):
            end, rest = (re.split(r"(?<=[.;:])\s", rest, maxsplit=1) + [""])[:2]
            lead += end
        where = structure_of(lead)
        first = re.split(r"(?<=[.;])\s", rest.strip(" .:"), maxsplit=1)[0]
        pointed = " ".join(re.findall(r"→\s*(\[[^\]]*\]\([^)]*\))", rest))
        uses = uses_in(first, words=True) | uses_in(pointed, words=False)
        if own and heading == "When to use it":
            uses.add(own)
        for a in activations_in(lead):
            for use in uses:
                out.append((a, where, use, item))
    if own:
        for m in re.finditer(r"(?<![Nn]ot )\bUse it (?:for|with) (?P<span>[^.]*)", text):
            for a in activations_in(m["span"]):
                out.append((a, structure_of(m["span"]), own, m[0]))
    return out


def misfiled(text: str, page: str = "") -> list[str]:
    bad = []
    for a, where, use, line in filings(text, page):
        allowed = rec.uses_for(a, where) or rec.uses_for(a)
        if use not in allowed:
            bad.append(f"{rec.ACTIVATION_NAMES[a]} under {rec.USES[use].label} ({where}; the table "
                       f"gives {' or '.join(rec.USES[u].label for u in allowed)}): {line.strip()[:120]}")
    return bad


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_no_page_files_an_activation_against_the_table(page):
    rel = page.relative_to(DOCS).as_posix()
    text = page.read_text(encoding="utf-8")
    if page.suffix == ".py":  # a notebook: its Markdown cells are comment lines
        text = "\n".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    bad = misfiled(text, rel)
    assert not bad, "\n".join(bad)


def test_the_recommending_pages_render_the_table():
    for page, table in (("index.md", "recommendations"), ("schemes/index.md", "recommendations_schemes"),
                        ("practice/which-initializer.md", "recommendations_chooser"),
                        ("practice/which-initializer.md", "recommendations_structures"),
                        ("architectures/gains.md", "exact_gains")):
        assert f"[[table: {table}]]" in (DOCS / page).read_text(encoding="utf-8"), page


# The chooser's bullet before the table existed, and he.md with GELU added: both caught.
OLD_CHOOSER = """\
- **ReLU, leaky ReLU, PReLU, GELU.** He: variance $2/n_\\text{in}$, with the negative slope for
  leaky ReLU. → [He / Kaiming](../schemes/he.md)
- **tanh, sigmoid, or none** (linear, softmax, attention logits). Glorot (averages the fans)
  or LeCun (fan-in only). → [Glorot / Xavier](../schemes/glorot.md),
  [LeCun](../schemes/lecun.md)
"""


@pytest.mark.parametrize(("text", "page"), [
    (OLD_CHOOSER, "practice/which-initializer.md"),
    ("| GELU, SiLU | [He / Kaiming](schemes/he.md) | $2/n$ |\n", "index.md"),
    ("- GELU: [He](../schemes/he.md), like ReLU.\n", "pitfalls/wrong-gain.md"),
    ("- Use it for ReLU, leaky ReLU, PReLU and GELU networks.\n", "schemes/he.md"),
    ("- **Very deep tanh networks.** He, at any depth.\n", "x.md"),
])
def test_a_page_filing_gelu_under_he_is_caught(text, page):
    bad = misfiled(text, page)
    assert bad and all(("GELU" in b and "He / Kaiming" in b) or "tanh under He" in b for b in bad), bad


# glorot.md's "When to use it" before the softmax row had its own use: both items caught.
OLD_GLOROT = """\
## When to use it

- **tanh, sigmoid, softsign and linear layers,** and softmax output layers. For tanh, PyTorch
  suggests `gain=5/3`.
- **Layers whose fans differ a lot,** such as an embedding projection or a classifier head,
  when you care about the gradients as much as the activations.
- **Not for deep ReLU networks:** on square layers Glorot's variance equals LeCun's.
"""


def test_a_scheme_page_recommending_itself_for_the_softmax_layer_is_caught():
    bad = misfiled(OLD_GLOROT, "schemes/glorot.md")
    assert len(bad) == 2 and all(b.startswith("softmax under Glorot / Xavier") for b in bad), bad
    assert not misfiled(OLD_GLOROT, "schemes/x.md")  # not a scheme's own page
    assert not misfiled(OLD_GLOROT.replace(" and softmax output layers", "").replace(
        " or a classifier head", ""), "schemes/glorot.md")


def test_the_softmax_row_is_what_the_initial_loss_shows():
    """The row's reason: zero, or a scheme times 0.01, starts at ln C; the schemes that keep the
    signal's scale start above it, Glorot's on a 256 -> 10 layer almost at He's loss."""
    from weightinit.practice import initial_loss

    assert rec.uses_for("softmax") == ("small_or_zero",) and rec.recommended_gain("softmax") == 0.0
    assert "softmax" in SCHEMES["zeros"].suits
    assert not any("softmax" in SCHEMES[s].suits for s in ("glorot_normal", "lecun_normal", "he_normal"))
    ln_c = math.log(10)
    assert initial_loss(0.0)[0] == pytest.approx(ln_c, abs=1e-12)
    full = {}
    for scheme in ("he_normal", "glorot_normal", "lecun_normal"):
        assert abs(initial_loss(0.01, last_init=scheme)[0] - ln_c) < 1e-3
        full[scheme] = initial_loss(1.0, last_init=scheme)[0]
        assert full[scheme] > ln_c + 0.2, scheme
    assert abs(full["glorot_normal"] - full["he_normal"]) < 0.05


_DRAW = re.compile(r"= wi\.(?P<scheme>\w+)\([^#]*\)(?:\s*\*\s*(?P<factor>[0-9.e-]+))?\s*#(?P<comment>.*)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_code_drawing_a_softmax_layer_follows_the_table(page):
    """A snippet line that draws the layer before a softmax (its comment says so) uses the
    row's scheme, or another times a small factor."""
    small = {s for u in rec.uses_for("softmax") for s in rec.USES[u].schemes}
    for line in page.read_text(encoding="utf-8").splitlines():
        m = _DRAW.search(line)
        if m and re.search(r"softmax|output layer|classifier", m["comment"]):
            assert m["scheme"] in small or (m["factor"] and float(m["factor"]) <= 0.1), line


def test_the_checker_reads_the_right_filings_as_right():
    assert not misfiled(OLD_CHOOSER.split("- **tanh")[0].replace(", GELU", ""), "a.md")
    assert not misfiled("- **tanh, sigmoid, or none.** Glorot or LeCun. [G](../schemes/glorot.md)\n")
    assert not misfiled("- GELU: not He's $\\sqrt{2}$. Use the [exact gain](gains.md).\n")
    assert ("tanh", "deep_plain", "orthogonal") in [f[:3] for f in filings(
        "| very deep tanh networks | orthogonal | 1 |\n")]


def test_doctests():
    import doctest

    result = doctest.testmod(rec, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
