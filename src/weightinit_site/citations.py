"""Which pages cite which work: the bibliography page's "Cited on", and the test that
every work a page cites has an entry.

A page cites a work by a Markdown link, by author and year
(`weightinit.bibliography.author_year`), or through what the build inserts: a scheme's
reference (``[[reference: name]]``) and the links in the recommendations' reasons (the
tables ``recommendations_chooser`` and ``recommendations_structures``).
"""

from __future__ import annotations

import re
from pathlib import Path

from weightinit.bibliography import ENTRIES, author_year, entry_for, entry_for_citation, pages
from weightinit.recommendations import RECOMMENDATIONS
from weightinit.schemes import scheme

__all__ = ["citations", "links"]

_LINK = re.compile(r"\]\((?P<url>https?://[^)\s]+)\)")
_DIRECTIVE = re.compile(r"\[\[reference:\s*(?P<name>[\w.-]+)\s*\]\]")
_RECOMMENDATION_TABLE = re.compile(r"\[\[table:\s*recommendations_(?P<which>chooser|structures)\s*\]\]")


def links(text: str) -> list[str]:
    """The URLs a page's source links to: Markdown links, the references that
    ``[[reference: name]]`` directives insert from the scheme registry, and the papers
    the recommendation table cites where a page renders its reasons (the tables
    ``recommendations_chooser`` and ``recommendations_structures``).

    Examples
    --------
    >>> found = links("See [a paper](https://example.org/paper.pdf) and [[reference: glorot_uniform]].")
    >>> found[0], found[1] == ENTRIES["glorot2010"].url
    ('https://example.org/paper.pdf', True)
    """
    urls = [m["url"] for m in _LINK.finditer(text)]
    for m in _DIRECTIVE.finditer(text):
        reference = scheme(m["name"]).reference
        if reference is not None:
            urls.append(reference.url)
    for table in _RECOMMENDATION_TABLE.finditer(text):
        layer = table["which"] == "chooser"  # the chooser's rows; the other table the rest
        whys = [r.why for r in RECOMMENDATIONS if (r.structure == "layer") == layer]
        urls += [m["url"] for why in whys for m in _LINK.finditer(why)]
    return urls


def citations(docs_dir: str | Path) -> dict[str, list[str]]:
    """For each entry key, the pages (paths relative to `docs_dir`) that cite it, by a link
    or author-year.

    Every page under `docs_dir` counts except the bibliography itself: the Markdown
    pages and the notebooks in ``notebooks/``.

    Parameters
    ----------
    docs_dir : str or pathlib.Path
        The site's ``docs`` folder.

    Returns
    -------
    dict
        Entry key to a sorted list of page paths; keys of uncited entries map to ``[]``.

    Raises
    ------
    ValueError
        If `docs_dir` is not a folder.
    """
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        raise ValueError(f"docs_dir must be the site's docs folder; got {str(docs_dir)!r}")
    cited: dict[str, set[str]] = {key: set() for key in ENTRIES}
    for page in pages(docs_dir):
        text = page.read_text(encoding="utf-8")
        found = [entry_for(url) for url in links(text)]
        found += [entry_for_citation(name, year) for name, year in author_year(text)]
        for entry in found:
            if entry is not None:
                cited[entry.key].add(page.relative_to(docs_dir).as_posix())
    return {key: sorted(pages) for key, pages in cited.items()}
