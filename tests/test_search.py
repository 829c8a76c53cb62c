"""Search and tables of contents read like the page: no TeX, dollars or pilcrows."""

from __future__ import annotations

import html
import json
import re
import unicodedata

import pytest

pytestmark = pytest.mark.site
RAW = re.compile(r"[\\$¶]")
# Code keeps its backslashes and dollars; only the prose around it must read as text.
_CODE = re.compile(r"<(pre|code)>.*?</\1>", re.S)
_SECONDARY = re.compile(r'<nav class="md-nav md-nav--secondary"[^>]*>(.*?)</nav>', re.S)


def _index(site):
    return json.loads((site / "search" / "search_index.json").read_text())["docs"]


def test_search_index_holds_no_tex_dollar_or_pilcrow(built_site):
    site, _ = built_site
    docs = _index(site)
    assert len(docs) > 100
    bad = []
    for entry in docs:
        for field in ("title", "text"):
            prose = _CODE.sub(" ", entry[field])
            for m in RAW.finditer(prose):
                bad.append(f"{entry['location']} {field}: ...{prose[max(0, m.start() - 40) : m.end() + 40]}...")
    assert not bad, "\n".join(bad[:20]) + f"\n({len(bad)} in all)"


def test_search_index_reads_formulas_as_plain_text(built_site):
    site, _ = built_site
    he = " ".join(e["text"] for e in _index(site) if e["location"].startswith("schemes/he/"))
    # The He variance, 2 / n_in, is indexed as text a reader could type.
    assert "2/n_in" in he.replace(" ", ""), he[:500]


def test_every_toc_and_title_holds_no_tex_dollar_or_pilcrow(built_site):
    site, _ = built_site
    bad, tocs = [], 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text()
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        parts = [title[1]] if title else []
        for nav in _SECONDARY.findall(text):
            tocs += 1
            parts += re.findall(r'<span class="md-ellipsis">(.*?)</span>', nav, re.S)
        for part in parts:
            readable = html.unescape(re.sub(r"<[^>]+>", "", part)).strip()
            if RAW.search(readable):
                bad.append(f"{page.relative_to(site)}: {readable}")
    assert tocs > 20, f"only {tocs} tables of contents found: has the theme changed?"
    assert not bad, "\n".join(bad)


_HEADING = re.compile(r'<h([1-6]) id="(?P<id>[^"]+)"[^>]*>(?P<body>.*?)</h\1>', re.S)
_MATH_TEXT = re.compile(r'<span class="wi-math-text" hidden>(.*?)</span>', re.S)


def test_heading_anchors_hold_no_tex_leftovers(built_site):
    """A heading with math gets its anchor from what it reads (1/n_in), not from its
    TeX (``1n_textin``): every word of the anchor is a word of the heading or the name
    of a Greek letter in it (chi for χ)."""
    site, _ = built_site
    bad, seen = [], 0
    for path in sorted(site.rglob("*.html")):
        for m in _HEADING.finditer(path.read_text()):
            if "wi-math" not in m["body"]:
                continue
            seen += 1
            body = re.sub(r"<math.*?</math>", " ", m["body"], flags=re.S)
            text = html.unescape(re.sub(r"<[^>]+>", " ", body))
            words = set(re.findall(r"[a-z]+", text.lower()))
            words |= {unicodedata.name(c).rsplit(" ", 1)[-1].lower() for c in text if "\u0370" <= c <= "\u03ff"}
            stray = [w for w in re.findall(r"[a-z]+", m["id"]) if w not in words]
            if stray:
                bad.append(f"{path.relative_to(site)}#{m['id']}: {stray}")
    assert seen >= 2, f"only {seen} headings with math found: has the page markup changed?"
    assert not bad, "\n".join(bad)
