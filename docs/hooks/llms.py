"""MkDocs hook: the sections of ``llms.txt`` are the navigation's, in its order.

The ``llmstxt`` plugin (mkdocs-llmstxt) writes ``llms.txt`` at the site's root and, beside
each listed page's HTML, the page as Markdown (converted back from the built HTML, so the
figures, tables and values the build inserts are in it). It lists the pages named in its
``sections``; ``on_config`` fills them from ``nav``, one section per top-level entry, so
that a page added to the navigation is listed without a second list to keep.

The plugin converts a page's HTML in its ``on_page_content``, before the hooks' own of
the same priority (so formulas are still TeX there); ``notebooks.py`` finishes a notebook
page first, at a higher priority, so its figures and headings are converted as shown. It
also calls `preprocess` (its ``preprocess`` option names this file) on each
page's HTML before converting it, so that what a reader sees survives the conversion:
formulas as TeX in code spans and ``latex`` blocks (the Markdown formatter would eat the
backslashes of bare TeX), each code block's language, each content tab's label above
its block, each figure's alt text and link; a notebook's prompts, copy buttons and the
hidden copy of its cells' source go. Then the plugin's own cleaning runs.
"""

from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

# Notebook cells' chrome: the prompts, the copy button and the source it copies.
_NOTEBOOK_CHROME = ".jp-InputPrompt, .jp-OutputPrompt, .zeroclipboard-container, .clipboard-copy-txt"


def nav_sections(nav: list) -> dict[str, list[str]]:
    """Top-level title -> the source paths of its pages, in navigation order."""
    sections: dict[str, list[str]] = {}
    for entry in nav:
        title, content = next(iter(entry.items())) if isinstance(entry, dict) else (entry, entry)
        sections[title] = list(_pages(content))
    return sections


def _pages(content):
    if isinstance(content, str):
        yield content
    elif isinstance(content, dict):
        for value in content.values():
            yield from _pages(value)
    else:
        for item in content:
            yield from _pages(item)


def on_config(config):
    plugin = config.plugins.get("llmstxt")
    if plugin is None:
        raise PluginError("docs/hooks/llms.py fills the llmstxt plugin's sections: list the plugin in mkdocs.yml")
    plugin.config.sections = nav_sections(config.nav)
    return config


def preprocess(soup, output: str) -> None:
    """Prepare one page's HTML (a BeautifulSoup tree) for its conversion to Markdown.

    `output`, where the plugin will write the page, is not read: the page cache
    (``pagecache.py``) keys the conversion without it.
    """
    from mkdocs_llmstxt._internal.preprocess import autoclean

    for element in soup.select(_NOTEBOOK_CHROME):
        element.decompose()
    for block in soup.select("div.arithmatex"):
        tex = block.get_text().strip().removeprefix("\\[").removesuffix("\\]").strip()
        pre = soup.new_tag("pre", attrs={"class": "language-latex"})
        pre.append(soup.new_tag("code", attrs={"class": "language-latex"}, string=tex))
        block.replace_with(pre)
    for span in soup.select("span.arithmatex"):
        tex = span.get_text().strip().removeprefix("\\(").removesuffix("\\)").strip()
        span.replace_with(soup.new_tag("code", string=f"${tex}$"))
    for cell in soup.select(".jp-RenderedMarkdown"):
        _code_math(soup, cell)
    for block in soup.select("div.highlight-ipynb.hl-python"):
        block["class"] = [*block["class"], "language-python"]
    for tabs in soup.select("div.tabbed-set"):
        labels = [label.get_text(" ", strip=True) for label in tabs.select(":scope > div.tabbed-labels > label")]
        blocks = tabs.select(":scope > div.tabbed-content > div.tabbed-block")
        for label, block in zip(labels, blocks):
            title = soup.new_tag("p")
            title.append(soup.new_tag("strong", string=label))
            block.insert(0, title)
    for img in soup.find_all("img"):
        if img.get("alt") and img.get("src") and not img["src"].startswith("data:"):
            img.replace_with(soup.new_tag("a", href=img["src"], string=f"Figure: {img['alt']}"))
    autoclean(soup)


_DOLLARS = re.compile(r"\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^$\n]+?)\$", re.S)


def _code_math(soup, cell) -> None:
    """A notebook's Markdown cells keep ``$...$`` as text: put each formula in a code span."""
    from bs4 import NavigableString

    for text in [t for t in cell.find_all(string=_DOLLARS) if t.parent.name not in ("code", "pre")]:
        parts, last = [], 0
        for match in _DOLLARS.finditer(text):
            parts.append(NavigableString(text[last : match.start()]))
            parts.append(soup.new_tag("code", string=f"${match['inline'] or match['display'].strip()}$"))
            last = match.end()
        parts.append(NavigableString(text[last:]))
        for part in parts:
            text.insert_before(part)
        text.extract()
