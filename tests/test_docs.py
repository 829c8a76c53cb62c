"""The pages' sources: every Python fence runs, and formulas come from the registry.

The code blocks are read with pytest-codeblocks' own parser, so these checks see exactly
the blocks (and their markers) that ``pytest --codeblocks`` runs.
"""

from __future__ import annotations

import ast
import inspect
import io
import re
import textwrap
from pathlib import Path

import pytest
import pytest_codeblocks
from pytest_codeblocks import plugin

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
PYTHONISH = re.compile(r"^(py|python|python3|pycon|ipython|py3)\b", re.I)
# The info strings whose blocks pytest-codeblocks runs (pytest_codeblocks.plugin.MarkdownFile).
RUNS = ("python", "sh", "bash")
# Its parser reads backtick fences only: a tilde fence is never run, whatever it holds.
TILDE_FENCE = re.compile(r"^[ \t]*~{3,}[ \t]*(?P<info>.*?)[ \t]*$", re.M)
# Marks a block may carry: the ones that select a target (make test-frameworks). A skip, a
# skipif, an xfail or an importorskip would let a block pass without running.
TARGET_MARKS = {"pytest.mark.frameworks"}


def blocks(text: str) -> list[pytest_codeblocks.CodeBlock]:
    """Every backtick fence of a page as pytest-codeblocks reads it: info string, code
    (dedented), markers and the expected output that follows it."""
    return pytest_codeblocks.extract_from_buffer(io.StringIO(text))


def runnable(text: str) -> list[pytest_codeblocks.CodeBlock]:
    """The blocks ``pytest --codeblocks`` runs as Python."""
    return [b for b in blocks(text) if b.syntax == "python"]


def test_the_runnable_info_strings_are_the_plugins():
    """If pytest-codeblocks changes which fences it runs, RUNS (and these checks) must follow."""
    source = textwrap.dedent(inspect.getsource(plugin.MarkdownFile.collect))
    lists = [
        ast.literal_eval(node.comparators[0])
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.NotIn)
    ]
    assert lists == [list(RUNS)], f"pytest-codeblocks now selects blocks with {lists}"


def quiet_fences(text: str) -> list[str]:
    """Python fences that pytest-codeblocks reads but does not run (```py, ```pycon,
    ```python title="x.py", ``` python), and Python fences in tildes, which it never reads."""
    quiet = [
        f"line {b.lineno}: ```{b.syntax}"
        for b in blocks(text)
        if PYTHONISH.match(b.syntax.strip()) and b.syntax not in RUNS
    ]
    quiet += [
        f"line {text.count(chr(10), 0, m.start()) + 1}: {m[0].strip()}"
        for m in TILDE_FENCE.finditer(text)
        if PYTHONISH.match(m["info"])
    ]
    return quiet


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_fences_are_collected(page):
    """pytest-codeblocks runs only a bare ```python fence and skips the others silently."""
    quiet = quiet_fences(page.read_text())
    assert not quiet, f"fences that pytest-codeblocks would skip: {quiet}"


def test_quiet_fences_are_seen():
    text = (
        "```py\nx\n```\n\n~~~python\ny\n~~~\n\n```python title=\"a.py\"\nz\n```\n\n"
        "``` python\nw\n```\n\n```python\nok\n```\n\n```pycon\n>>> 1\n```\n"
    )
    assert quiet_fences(text) == [
        "line 1: ```py", 'line 9: ```python title="a.py"', "line 13: ``` python",
        "line 21: ```pycon", "line 5: ~~~python",
    ]


def skippable(text: str) -> list[str]:
    """Runnable blocks with a mark that lets them pass without running: anything but a
    target's mark (a skip, skipif or xfail), or an importorskip."""
    found = []
    for b in blocks(text):
        marks = [m for m in b.marks if m not in TARGET_MARKS]
        marks += [f"importorskip({b.importorskip})"] if b.importorskip else []
        if b.syntax in RUNS and marks:
            found.append(f"line {b.lineno}: {', '.join(marks)}")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_blocks_are_never_skipped(page):
    """A runnable block carries no mark but a target's: it runs, or it fails."""
    marked = skippable(page.read_text())
    assert not marked, f"blocks that may pass without running: {marked}"


def test_skip_marks_are_seen():
    text = (
        "<!--pytest.mark.frameworks-->\n```python\nimport torch\n```\n\n"
        "<!--pytest.mark.skip-->\n```python\nx = 1\n```\n\n"
        "<!--pytest-codeblocks:importorskip(jax)-->\n```python\nimport jax\n```\n"
    )
    assert skippable(text) == ["line 7: pytest.mark.skip", "line 12: importorskip(jax)"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_snippets_stand_alone(page):
    """A copied snippet must run on its own, so no block continues another."""
    assert "pytest-codeblocks:cont" not in page.read_text()


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
PRINTS = re.compile(r"\bprint\(")
ASSERTS = re.compile(r"^\s*assert\b", re.M)


def unchecked_prints(text: str) -> list[int]:
    """Lines of the runnable blocks that print but check nothing: no assert in the block and
    no expected-output block right after it."""
    return [
        b.lineno
        for b in runnable(text)
        if PRINTS.search(b.code) and not ASSERTS.search(b.code) and b.expected_output is None
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
