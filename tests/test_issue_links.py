"""A framework issue is described the same way on every page that links to it."""

from __future__ import annotations

from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"

# issue URL -> words every mention must carry (what the issue is about)
ISSUES = {
    "https://github.com/pytorch/pytorch/issues/155588": ("erfinv", "outliers"),
}


def mentions(url):
    """(page, paragraph) for every paragraph or table row of docs/ that links to `url`."""
    for page in sorted(DOCS.rglob("*.md")):
        for block in page.read_text(encoding="utf-8").split("\n\n"):
            for part in block.split("\n|"):
                if url in part:
                    yield page.relative_to(DOCS), part


@pytest.mark.parametrize("url", sorted(ISSUES))
def test_every_mention_of_an_issue_says_what_it_is_about(url):
    found = list(mentions(url))
    assert found, f"no page links to {url}"
    for page, text in found:
        for word in ISSUES[url]:
            assert word in text, f"{page}: the link to {url} does not say {word!r}: {text[:200]}"
