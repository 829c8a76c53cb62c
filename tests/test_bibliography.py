"""One bibliography: every paper the pages cite is in it, and everything in it is cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from weightinit import bibliography as bib
from weightinit.schemes import SCHEMES, Scheme
from weightinit_site import citations as cite
from weightinit_site import tables

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = bib.pages(DOCS)


def missing(text: str) -> list[str]:
    """What a page cites that has no entry: paper links, and author-year citations."""
    papers = [url for url in cite.links(text) if bib.is_paper_link(url)]
    found = [url for url in papers if bib.entry_for(url) is None]
    found += [f"{name} {year}" for name, year in bib.author_year(text)
              if bib.entry_for_citation(name, year) is None]
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_work_is_in_the_bibliography(page):
    absent = missing(page.read_text(encoding="utf-8"))
    assert not absent, f"add these to weightinit.bibliography.ENTRIES: {absent}"


@pytest.mark.parametrize(("text", "cites"), [
    ("Dauphin & Schoenholz (2019, *NeurIPS*) keep the random directions", [("Dauphin", 2019)]),
    ("as He et al. (2015) showed, and [Poole et al. 2016, §2](x)", [("He", 2015), ("Poole", 2016)]),
    ("Glorot and Bengio 2010; Pennington, Schoenholz, Ganguli 2017", [("Glorot", 2010), ("Pennington", 2017)]),
    ("- Dauphin, Schoenholz (2019). MetaInit: Initializing learning.", [("Dauphin", 2019)]),
    ("- Krähenbühl, Doersch, Donahue, Darrell (2016). Data-dependent", [("Krähenbühl", 2016)]),
    ("NumPy 2.4, Python 3.11, ICLR 2017, since 2019, Debian 12", []),
    ("```python\n# He et al. 2015\n```\n", []),
])
def test_author_year_citations_are_read(text, cites):
    assert bib.author_year(text) == cites


def test_a_work_cited_without_a_link_and_without_an_entry_is_caught(monkeypatch):
    """MetaInit is cited on other-schemes.md by author and year only; without its entry the
    check fails on that page, in the prose and in the reference list."""
    page = (DOCS / "architectures" / "other-schemes.md").read_text(encoding="utf-8")
    assert not missing(page)
    monkeypatch.setattr(bib, "ENTRIES", {k: e for k, e in bib.ENTRIES.items() if k != "dauphin2019"})
    assert missing(page).count("Dauphin 2019") >= 2
    assert missing("a new idea (Nobody and Else 2031)") == ["Nobody 2031"]


def test_every_entry_is_cited_by_a_page():
    uncited = [key for key, pages in cite.citations(DOCS).items() if not pages]
    assert not uncited, f"no page cites {uncited}: cite them or remove them"


def test_entries_are_well_formed():
    assert len({bib.normalize_url(e.url) for e in bib.ENTRIES.values()}) == len(bib.ENTRIES)
    for key, entry in bib.ENTRIES.items():
        assert key == entry.key and entry.topic in bib.TOPICS, key
        assert entry.url.startswith(("https://", "http://")), key
        assert entry.authors and entry.title and entry.venue and entry.takes, key


def test_the_rumelhart_goodfellow_and_saxe_entries():
    assert bib.ENTRIES["rumelhart1986"].venue.startswith("Nature")
    assert bib.ENTRIES["goodfellow2016"].url == "https://www.deeplearningbook.org"
    saxe = bib.ENTRIES["saxe2014"]
    assert (saxe.year, saxe.venue, bib.normalize_url(saxe.url)) == (2014, "ICLR", "arxiv.org/abs/1312.6120")


def test_paper_links_are_recognized():
    papers = [
        "https://arxiv.org/pdf/1502.01852v1",
        "https://proceedings.mlr.press/v9/glorot10a.html",
        "https://doi.org/10.1162/089976600300015015",
        "https://openreview.net/forum?id=abc",
        "https://papers.nips.cc/paper/2017/hash/x-Abstract.html",
        "https://aclanthology.org/N19-1423/",
        "https://example.org/paper.pdf",
    ]
    others = ["https://github.com/pytorch/pytorch/issues/15314", "https://pytorch.org/docs/stable/nn.init.html"]
    assert all(bib.is_paper_link(u) for u in papers)
    assert not any(bib.is_paper_link(u) for u in others)
    assert bib.entry_for("https://arxiv.org/pdf/1502.01852v1").key == "he2015"


def test_a_page_citing_an_unknown_paper_is_caught(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "a.md").write_text("[new](https://arxiv.org/abs/9999.99999) [He](https://arxiv.org/abs/1502.01852)")
    (tmp_path / "notebooks" / "n.py").write_text("# %% [markdown]\n# [[reference: glorot_uniform]]\n")
    cited = cite.citations(tmp_path)
    assert cited["he2015"] == ["a.md"] and cited["glorot2010"] == ["notebooks/n.py"]
    assert cited["saxe2014"] == []
    assert bib.entry_for("https://arxiv.org/abs/9999.99999") is None


def test_the_rendered_bibliography_lists_every_entry_with_its_pages():
    text = tables.bibliography(DOCS)
    for entry in bib.ENTRIES.values():
        assert entry.url in text, entry.key
    assert "Cited on: no page" not in text
    assert "[Symmetry: zero and constant weights](../pitfalls/symmetry.md)" in text


def test_each_work_has_one_entry():
    keys = [entry.key for entry in bib._ENTRIES]
    assert len(keys) == len(set(keys)), sorted(k for k in set(keys) if keys.count(k) > 1)


# ------------------------------------------------------------------ each citation once

SRC = ROOT / "src"
_URL = re.compile(r"https?://[^\s)\"'<>`\]]+")


def _title_pattern(title: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, title.split())) + r"(?!\w)")


#: Each entry's title, and the part before a colon when that is three words or more (a
#: shorter one, "Batch Normalization", is a name, not a title), as written, across line breaks.
_TITLES = {(entry.key, title): _title_pattern(title) for entry in bib.ENTRIES.values()
           for title in dict.fromkeys((entry.title, entry.title.split(":")[0]))
           if " " in title and (title == entry.title or len(title.split()) >= 3)}


def copies(sources: dict[str, str]) -> list[str]:
    """Where a source repeats what an entry holds: a link to the work (an entry's URL, or a
    page under it) or its title."""
    found = []
    for name, text in sources.items():
        for m in _URL.finditer(text):
            entry = bib.entry_for(m[0].rstrip(".,;"))
            if entry is not None:
                found.append(f"{name}: {entry.key}'s link {m[0]}")
        found += [f"{name}: {key}'s title {title!r}" for (key, title), pattern in _TITLES.items()
                  if pattern.search(text)]
    return found


def test_no_module_keeps_a_second_copy_of_a_citation():
    """The library and the site's modules name a work by its key (``ENTRIES[key]``, a
    scheme's ``cites``), never by a copy of its link or title, so a correction made in
    the bibliography reaches every place that cites it."""
    sources = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
               for p in sorted(SRC.rglob("*.py")) if p != SRC / "weightinit" / "bibliography.py"}
    found = copies(sources)
    assert not found, "cite these by their bibliography key:\n" + "\n".join(found)


def test_a_copied_citation_is_found():
    text = ('LeCun, Bottou, Orr and Müller, "Efficient\n    BackProp", 1998.\n'
            '_URL = "http://www.arxiv.org/pdf/1502.01852v2.pdf"\nHe et al. (2015), §2.2; see `he2015`.')
    assert copies({"m.py": text}) == ["m.py: he2015's link http://www.arxiv.org/pdf/1502.01852v2.pdf",
                                      "m.py: lecun1998's title 'Efficient BackProp'"]


def test_schemes_cite_by_bibliography_key():
    """A scheme's reference is a key of the bibliography, and the entry it reads is that one."""
    for name, s in SCHEMES.items():
        if s.cites is None:
            assert s.reference is None, name
            continue
        assert isinstance(s.cites, str) and s.cites in bib.ENTRIES, f"{name}: cites {s.cites!r}, not a key"
        assert s.reference is bib.ENTRIES[s.cites], name


def test_a_scheme_citing_anything_but_a_key_is_refused():
    s = SCHEMES["he_normal"]
    fields = dict(formula=s.formula, variance_tex=s.variance_tex, summary=s.summary, suits=())
    with pytest.raises(ValueError, match=r"'he_normal': cites must be a key of weightinit.bibliography.ENTRIES"):
        Scheme(function=s.function, cites="He et al. 2015", **fields)
    with pytest.raises(ValueError, match="cites must be a key"):
        Scheme(function=s.function, cites=bib.ENTRIES["he2015"], **fields)
