"""One bibliography: every paper the pages cite is in it, and everything in it is cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from weightinit import bibliography as bib
from weightinit_site import tables

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = bib.pages(DOCS)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_paper_is_in_the_bibliography(page):
    papers = [url for url in bib.links(page.read_text(encoding="utf-8")) if bib.is_paper_link(url)]
    missing = [url for url in papers if bib.entry_for(url) is None]
    assert not missing, f"add these to weightinit.bibliography.ENTRIES: {missing}"


def test_every_entry_is_cited_by_a_page():
    uncited = [key for key, pages in bib.citations(DOCS).items() if not pages]
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
    cited = bib.citations(tmp_path)
    assert cited["he2015"] == ["a.md"] and cited["glorot2010"] == ["notebooks/n.py"]
    assert cited["saxe2014"] == []
    assert bib.entry_for("https://arxiv.org/abs/9999.99999") is None


def test_the_rendered_bibliography_lists_every_entry_with_its_pages():
    text = tables.bibliography(DOCS)
    for entry in bib.ENTRIES.values():
        assert entry.url in text, entry.key
    assert "Cited on: no page" not in text
    assert "[Symmetry: zero and constant weights](../pitfalls/symmetry.md)" in text
