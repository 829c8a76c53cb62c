"""The pages' sources: every Python fence runs, and formulas come from the registry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$", re.M)
PYTHONISH = re.compile(r"^(py|python|python3|pycon|ipython|py3)\b", re.I)


def fences(text: str):
    """Yield (line number, fence, info string) of each opening fence."""
    open_fence = None
    for match in FENCE.finditer(text):
        fence = match["fence"]
        if open_fence is None:
            open_fence = fence
            yield text.count("\n", 0, match.start()) + 1, fence, match["info"]
        elif fence[0] == open_fence[0] and len(fence) >= len(open_fence) and not match["info"]:
            open_fence = None


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_fences_are_collected(page):
    """pytest-codeblocks runs only a bare ```python fence and skips the others silently."""
    quiet = [
        f"line {line}: {fence}{info}"
        for line, fence, info in fences(page.read_text())
        if PYTHONISH.match(info) and (fence[0] == "~" or info != "python")
    ]
    assert not quiet, f"fences that pytest-codeblocks would skip: {quiet}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_snippets_stand_alone(page):
    """A copied snippet must run on its own, so no block continues another."""
    assert "pytest-codeblocks:cont" not in page.read_text()


def test_fence_scanner_sees_quiet_fences():
    text = "```py\nx\n```\n\n~~~python\ny\n~~~\n\n```python title=\"a.py\"\nz\n```\n\n```python\nok\n```\n"
    infos = [info for _, _, info in fences(text)]
    assert infos == ["py", "python", 'python title="a.py"', "python"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_scheme_formulas_come_from_the_registry(page):
    """A display formula of a scheme's distribution (W ~ ...) is injected with
    [[formula: name]], never written by hand, so it cannot drift from the code."""
    text = page.read_text()
    display = re.findall(r"\$\$(.*?)\$\$", text, re.S)
    by_hand = [d.strip() for d in display if re.search(r"W\s*\\sim|W\s*=\s*g", d)]
    assert not by_hand, f"write [[formula: ...]] instead of: {by_hand}"


def test_directives_name_known_schemes_and_tables():
    from weightinit import schemes, tables, values
    from weightinit.figures import FIGURES

    directive = re.compile(r"\[\[(?P<kind>[a-z]+):\s*(?P<arg>[\w.-]+)\s*\]\]")
    for page in PAGES[:-1]:  # README.md is not built by MkDocs
        for m in directive.finditer(page.read_text()):
            if m["kind"] == "table":
                assert m["arg"] in tables.__all__, f"{page}: {m[0]}"
            elif m["kind"] == "value":
                assert m["arg"] in values.__all__, f"{page}: {m[0]}"
            elif m["kind"] == "figure":
                assert m["arg"] in FIGURES, f"{page}: {m[0]}"
            else:
                assert m["kind"] in {"formula", "variance", "bound", "summary", "reference"}, f"{page}: {m[0]}"
                schemes.scheme(m["arg"])
