"""Runnable code fits the column: no line of a ```python block is over 88 characters.

At 1280 px the content column shows about 88 characters of code; longer lines hide
their ends (often the comment that carries the point) behind a scroll bar.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_codeblocks

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
LIMIT = 88


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_runnable_code_lines_fit(page):
    long = []
    for block in pytest_codeblocks.extract_from_file(page):
        if block.syntax != "python":
            continue
        for offset, line in enumerate(block.code.splitlines(), start=1):
            if len(line) > LIMIT:
                long.append(f"line {block.lineno + offset}: {len(line)} characters: {line.strip()[:60]}...")
    assert not long, f"code lines over {LIMIT} characters:\n" + "\n".join(long)
