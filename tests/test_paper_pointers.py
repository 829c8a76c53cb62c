"""Every pointer into a paper (a section, equation, table, algorithm, figure, appendix,
definition or theorem number) is one that was checked against the paper's text.

The checked pointers are data: `weightinit.bibliography.Entry.checked`. This test scans
the pages (Markdown and notebooks), the bibliography entries' text and the library's
source (its docstrings are the API page), finds each pointer, attributes it to the work
cited nearest before it in the same paragraph or table row, and fails on a pointer that
is not in that work's checked list or that follows no citation at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from weightinit import bibliography as bib

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LIBRARY = sorted((ROOT / "src" / "weightinit").glob("*.py"))

#: One number: "2", "3.2.1", or an appendix's "D", "D.1".
_NUM = r"(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*(?![\w]))"
_POINTER = re.compile(
    rf"§\s?(?P<section>\d+(?:\.\d+)*)"
    rf"|\b(?P<kind>Eqs?\.|Equations?|Tables?|Algorithms?|Figures?|Figs?\.|Appendix|Appendices"
    rf"|Definitions?|Theorems?|Sections?)\s+\(?(?P<nums>{_NUM}(?:\)?(?:,\s*|\s+and\s+){_NUM})*)"
)
_KINDS = {"eq": "Eq.", "equation": "Eq.", "table": "Table", "algorithm": "Algorithm", "figure": "Figure",
          "fig": "Figure", "appendix": "Appendix", "appendice": "Appendix", "definition": "Definition",
          "theorem": "Theorem", "section": "§"}
_MD_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>https?://[^)\s]+)\)")
#: Titles long enough to cite a work by name ("Efficient BackProp"), not a phrase ("Deep Learning").
_TITLES = [(e.title, e) for e in bib.ENTRIES.values() if len(e.title) >= 15]


def pointers(match: re.Match) -> list[str]:
    """The pointers one match names, normalized: "Eqs. 13 and 15" gives ["Eq. 13", "Eq. 15"]."""
    if match["section"]:
        return [f"§{match['section']}"]
    kind = _KINDS[match["kind"].rstrip(".").lower().rstrip("s")]
    nums = re.findall(_NUM, match["nums"])
    if kind == "Appendix":  # "Appendix D.1": a letter, then numbers
        nums = [n for n in nums if n[0].isalpha()]
    elif kind != "§":
        nums = [n for n in nums if n[0].isdigit()]
    return [f"§{n}" if kind == "§" else f"{kind} {n}" for n in nums]


def cited(block: str) -> list[tuple[int, bib.Entry | None]]:
    """Where `block` cites a work, and which entry: paper links (from the start of their
    text, so a pointer inside "[He et al. 2015, §2.2](url)" belongs to it), author-year
    citations, and long titles. ``None`` for a citation with no entry."""
    titles = [(m.span(), entry) for title, entry in _TITLES for m in re.finditer(re.escape(title), block)]
    found = [(start, entry) for (start, _), entry in titles]
    found += [(m.start(), bib.entry_for(m["url"])) for m in _MD_LINK.finditer(block) if bib.is_paper_link(m["url"])]
    found += [(m.start(), bib.entry_for_citation(m["first"], int(m["year"])))
              for m in bib._AUTHOR_YEAR.finditer(block) if m["first"] not in bib._NOT_AUTHORS
              # "Efficient BackProp, 1998" is the title and a year, not an author "BackProp"
              and not any(a <= m.start("first") < b for (a, b), _ in titles)]
    return sorted(found, key=lambda f: f[0])


@dataclass(frozen=True)
class Pointer:
    where: str  # file and line
    pointer: str
    entry: bib.Entry | None
    text: str  # the line it is on


def scan(text: str, name: str, *, first_line: int = 1, entry: bib.Entry | None = None) -> list[Pointer]:
    """Every pointer in `text`, attributed to `entry` if given, else to the nearest citation
    before it in its paragraph (blocks split at blank lines; a table row is its own block)."""
    found = []
    lines = text.splitlines(keepends=True)
    blocks: list[tuple[int, str]] = []  # (index of first line, text)
    start = 0
    for i, line in enumerate(lines + [""]):
        bare = line.strip()
        boundary = i == len(lines) or bare in {"", "#", '"""'} or bare.startswith("|")
        if boundary:
            if start < i:
                blocks.append((start, "".join(lines[start:i])))
            if bare.startswith("|"):
                blocks.append((i, line))
            start = i + 1
    for first, block in blocks:
        citations = cited(block)
        for m in _POINTER.finditer(block):
            owner = entry
            if owner is None:
                before = [e for pos, e in citations if pos <= m.start()]
                owner = before[-1] if before else None
            line = first + block.count("\n", 0, m.start())
            for p in pointers(m):
                found.append(Pointer(f"{name}:{first_line + line}", p, owner, lines[line].strip()))
    return found


def site_pointers() -> list[Pointer]:
    found = []
    for page in bib.pages(DOCS):
        found += scan(page.read_text(encoding="utf-8"), str(page.relative_to(ROOT)))
    for path in LIBRARY:
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        if path.name == "bibliography.py":  # its data: the entries are scanned one by one below
            head, rest = text.split("\n_ENTRIES = [\n", 1)
            data, tail = rest.split("\nENTRIES: dict", 1)
            found += scan(head, name)
            found += scan(tail, name, first_line=head.count("\n") + data.count("\n") + 3)
        else:
            found += scan(text, name)
    for key, entry in bib.ENTRIES.items():
        found += scan(entry.takes, f"bibliography ENTRIES[{key!r}].takes", entry=entry)
    return found


def unchecked(found: list[Pointer]) -> list[str]:
    return [f"{p.where}: {p.pointer} ({'cites no work' if p.entry is None else p.entry.key}): {p.text}"
            for p in found if p.entry is None or p.pointer not in p.entry.checked]


def test_every_paper_pointer_was_checked_against_the_paper():
    found = site_pointers()
    bad = unchecked(found)
    assert not bad, ("pointers not checked against the paper's text; check them and add them to "
                     "weightinit.bibliography._CHECKED, or drop them:\n" + "\n".join(bad))


def test_the_scan_finds_the_pointers_the_site_gives():
    """The scan is not vacuous: pointers in prose, inside link text, in a table row, after
    "their", in a docstring and in an entry are found and attributed."""
    found = {(p.where.split(":")[0], p.pointer, p.entry.key if p.entry else None) for p in site_pointers()}
    for expected in [
        ("docs/architectures/transformers.md", "§3.2.1", "vaswani2017"),
        ("docs/architectures/gains.md", "Eq. 7", "he2015"),
        ("docs/schemes/residual.md", "§2.3", "radford2019"),
        ("docs/pitfalls/vanishing.md", "Eq. 15", "glorot2010"),
        ("docs/architectures/width.md", "Appendix D.2", "yang2022"),
        ("docs/schemes/selu.md", "Theorem 3", "klambauer2017"),
        ("src/weightinit/meanfield.py", "§4.4", "lecun1998"),
        ("src/weightinit/architectures.py", "Table 3", "yang2022"),
        ("bibliography ENTRIES['he2015'].takes", "Eq. 14", "he2015"),
    ]:
        assert expected in found, expected


@pytest.mark.parametrize(("text", "flagged"), [
    ("as Poole et al. 2016, Eq. 3, show", ["Eq. 3 (poole2016)"]),
    ("[He et al. 2015, §3](https://arxiv.org/abs/1502.01852) and Figures 3 and 9",
     ["§3 (he2015)", "Figure 9 (he2015)"]),
    ("Glorot and Bengio (2010, Eqs. 13 and 17; §4.2.1)", ["Eq. 17 (glorot2010)"]),
    ("| LSUV (Mishkin and Matas 2015) | |\n| the paper's Algorithm 1 | |", ["Algorithm 1 (cites no work)"]),
    ("A new idea (Nobody and Else 2031, §2).", ["§2 (cites no work)"]),
    # Not pointers into a paper: words, and things of this site without a number.
    ("the table below, the figure above, Table: the schemes; section headings; appendix", []),
    ("He et al. 2015 (§2.2, Eq. 10; Figure 3)", []),
])
def test_an_unchecked_pointer_is_caught(text, flagged):
    got = [f"{p.pointer} ({p.entry.key if p.entry else 'cites no work'})"
           for p in scan(text, "page.md") if p.entry is None or p.pointer not in p.entry.checked]
    assert got == flagged


def test_checked_pointers_are_written_as_the_scan_reads_them():
    for entry in bib.ENTRIES.values():
        for pointer in entry.checked:
            m = _POINTER.fullmatch(pointer)
            assert m and pointers(m) == [pointer], (entry.key, pointer)
