"""TeX to MathML at build time (docs/hooks/mathml.py): one Node.js process per build."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def reader():
    spec = importlib.util.spec_from_file_location("weightinit_mathml", ROOT / "docs/hooks/mathml.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.check_node()
    yield module
    module.close_node()


def test_formulas_convert_in_one_process_that_outlives_a_tex_error(reader):
    inline, display = reader.tex_to_mathml([(r"\frac{2}{n}", False), (r"\sigma^2", True)])
    assert inline.startswith("<math") and "<mfrac>" in inline
    assert 'display="block"' in display and "<msup>" in display
    node = reader._NODE[0][0]
    with pytest.raises(PluginError, match=r"TeX error in '\\\\frac\{1'"):
        reader.tex_to_mathml([(r"\frac{1", False)])
    # The error was Temml's, not the process's: the same process converts the next page.
    (again,) = reader.tex_to_mathml([(r"x_{\text{out}}", False)])
    assert "<msub>" in again and reader._NODE[0][0] is node
    # Formulas seen before come from the cache, without asking node.
    reader.close_node()
    assert reader.tex_to_mathml([(r"\sigma^2", True)]) == [display] and not reader._NODE


def test_a_node_process_that_dies_is_reported_with_its_error(reader, monkeypatch, tmp_path):
    script = tmp_path / "broken.mjs"
    script.write_text('process.stderr.write("Temml is missing"); process.exit(3);\n')
    monkeypatch.setattr(reader, "TEX2MATHML", script)
    with pytest.raises(PluginError, match="exit 3.*Temml is missing"):
        reader.tex_to_mathml([("y", False)])


def test_punctuation_stays_with_the_inline_math_before_it(reader):
    from conftest import load_hook

    formulas = load_hook("formulas")
    (mathml,) = reader.tex_to_mathml([(r"\sqrt{2}", False)])
    math = formulas._math_html(mathml, False)
    text = f"<p>a gain of {math}. Then {math} and {math}, so</p>"
    glued = formulas._keep_punctuation(text)
    # Each formula keeps the mark right after it; one with none after it is left alone.
    assert glued.count('<span class="wi-nowrap">') == 2
    assert f'<span class="wi-nowrap">{math}.</span>' in glued and f'<span class="wi-nowrap">{math},</span>' in glued
    assert f"Then {math} and" in glued
    # A display equation is not a tab stop until the page finds that it scrolls.
    assert "tabindex" not in formulas._math_html(mathml, True)
