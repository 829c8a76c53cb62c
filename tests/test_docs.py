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


def test_directives_name_known_schemes_and_tables(hooks):
    from weightinit import schemes
    from weightinit_site import tables, values
    from weightinit_site.figures import FIGURES

    directive = re.compile(r"\[\[(?P<kind>[a-z]+):\s*(?P<arg>[\w.-]+)\s*\]\]")
    for page in PAGES[:-1]:  # README.md is not built by MkDocs
        for m in directive.finditer(page.read_text()):
            if m["kind"] == "table":
                assert m["arg"] in tables.__all__, f"{page}: {m[0]}"
            elif m["kind"] == "value":
                assert m["arg"] in values.__all__, f"{page}: {m[0]}"
            elif m["kind"] == "figure":
                assert m["arg"] in FIGURES, f"{page}: {m[0]}"
            elif m["kind"] == "version":
                assert m["arg"] in hooks.framework_pins(), f"{page}: {m[0]}"
            else:
                assert m["kind"] in {"formula", "variance", "bound", "summary", "reference"}, f"{page}: {m[0]}"
                schemes.scheme(m["arg"])


# ------------------------------------------------------------- printed values are checked

NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))
EXPECTED_OUTPUT = "<!--pytest-codeblocks:expected-output-->"
PRINTS = re.compile(r"\bprint\(")
ASSERTS = re.compile(r"^\s*assert\b", re.M)


def runnable_blocks(text: str):
    """Yield (line number, code, text after the closing fence) of each bare ```python block,
    the fences pytest-codeblocks runs (indented ones in tabs and admonitions included)."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^([ \t]*)(`{3,})[ \t]*python[ \t]*$", lines[i])
        if not m:
            i += 1
            continue
        indent, fence = m.groups()
        end = i + 1
        while end < len(lines) and not re.match(rf"^{re.escape(indent)}{fence}`*[ \t]*$", lines[end]):
            end += 1
        yield i + 1, "\n".join(lines[i + 1 : end]), "\n".join(lines[end + 1 :])
        i = end + 1


def unchecked_prints(text: str) -> list[int]:
    """Lines of the runnable blocks that print but check nothing: no assert in the block and
    no expected-output block right after it."""
    return [
        line
        for line, code, after in runnable_blocks(text)
        if PRINTS.search(code) and not ASSERTS.search(code) and not after.lstrip().startswith(EXPECTED_OUTPUT)
    ]


def notebook_cells(text: str) -> list[str]:
    """The code cells of a jupytext percent-format notebook, in order."""
    cells = re.split(r"^# %%.*$", text, flags=re.M)
    heads = re.findall(r"^# %%.*$", text, flags=re.M)
    return [cell for head, cell in zip(heads, cells[1:]) if "[markdown]" not in head]


def unchecked_notebook_prints(text: str) -> list[str]:
    """Code cells that print while neither they nor the next code cell assert anything."""
    cells = notebook_cells(text)
    return [
        cell.strip().split("\n")[0]
        for k, cell in enumerate(cells)
        if PRINTS.search(cell) and not any(ASSERTS.search(c) for c in cells[k : k + 2])
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_printed_values_are_checked(page):
    """A block that shows a value compares it: an assert, or an expected-output block the
    reader sees as the block's result. A `# expected` comment compares nothing."""
    lines = unchecked_prints(page.read_text())
    assert not lines, f"blocks that print without a check, at lines {lines}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_prints_are_checked(notebook):
    """A notebook asserts the numbers its prose states, in the cell that prints them or the next."""
    cells = unchecked_notebook_prints(notebook.read_text())
    assert not cells, f"cells that print without an assert (first lines): {cells}"


def test_print_counter_sees_unchecked_blocks():
    page = (
        "```python\nprint(1)\n```\n\n"  # unchecked
        "```python\nx = 1\nassert x == 1\nprint(x)\n```\n\n"
        "```python\nprint(2)\n```\n<!--pytest-codeblocks:expected-output-->\n```text\n2\n```\n\n"
        "=== \"tab\"\n\n    ```python\n    print(3)  # expected 3\n    ```\n\n"  # unchecked
        "```py\nprint(4)\n```\n"  # not run, so not counted here
    )
    assert unchecked_prints(page) == [1, 21]
    notebook = (
        "# %% [markdown]\n# print(no)\n\n# %%\nprint(1)\n\n# %%\nassert True\n\n"
        "# %%\nprint(2)\n\n# %% [markdown]\n# text\n\n# %%\ny = 3\n"
    )
    assert unchecked_notebook_prints(notebook) == ["print(2)"]
