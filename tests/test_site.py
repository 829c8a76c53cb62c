"""A strict cold build: figures are deterministic, every image resolves, nothing is remote."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.site
ROOT = Path(__file__).resolve().parents[1]


class _Refs(HTMLParser):
    """Collects the URLs a page loads: images, scripts, stylesheets, icons."""

    def __init__(self):
        super().__init__()
        self.images, self.loads, self.alts = [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])
            self.alts.append((a["src"], a.get("alt")))
        if tag in ("img", "script", "iframe", "source") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload"):
            self.loads.append(a["href"])


def _pages(site: Path):
    return sorted(site.rglob("*.html"))


def test_build_logs_every_figure_with_its_time(built_site, hooks):
    _, log = built_site
    for name in hooks.figure_registry():
        assert re.search(rf"figure {name}\s+\d+\.\d+ s", log), f"no log line for figure {name}"


def test_figures_are_byte_identical_to_a_fresh_render(built_site, hooks):
    from weightinit_site.figures.render import render_svg

    site, _ = built_site
    for name in hooks.figure_registry():
        built = (site / "figures" / f"{name}.svg").read_bytes()
        assert built == render_svg(name), name


def test_figure_directive_gives_alt_text_and_caption(built_site, hooks):
    site, _ = built_site
    figures = hooks.figure_registry()
    for page in _pages(site):
        text = page.read_text()
        assert "[[figure:" not in text, page
        refs = _Refs()
        refs.feed(text)
        for src, alt in refs.alts:
            name = re.fullmatch(r"(?:\.\./)*figures/(\w+)\.svg", src)
            if name is None:
                continue
            spec = figures[name[1]]
            assert alt == spec.alt, (page, src)
            caption = _caption_after(text, src)
            assert caption is not None, (page, src)
            # The caption is the docstring rendered as Markdown: its code as code, its math
            # as MathML, no backtick or dollar left.
            for code in re.findall(r"`([^`]+)`", spec.caption):
                assert f"<code>{html.escape(code, quote=False)}</code>" in caption, (page, src, code)
            assert caption.count('class="wi-math"') == len(re.findall(r"\$[^$]+\$", spec.caption)), (page, src)
            shown = re.sub(r"<math\b.*?</math>|<[^>]+>", "", caption, flags=re.S)
            assert "`" not in shown and "$" not in shown, (page, src, shown)


def _caption_after(text: str, src: str) -> str | None:
    """The figcaption of the figure whose image is `src`."""
    start = text.find(f'src="{src}"')
    match = re.compile(r"<figcaption>(.*?)</figcaption>", re.S).search(text, start)
    return match[1] if start >= 0 and match else None


def test_figures_are_generated_not_committed():
    assert not (ROOT / "docs" / "figures").exists()


def test_every_image_resolves(built_site):
    site, _ = built_site
    missing = []
    for page in _pages(site):
        refs = _Refs()
        refs.feed(page.read_text())
        for src in refs.images:
            if src.startswith("data:"):
                continue
            assert not re.match(r"^(https?:)?//", src), f"{page}: remote image {src}"
            if not (page.parent / src.split("#")[0]).resolve().is_file():
                missing.append(f"{page.relative_to(site)}: {src}")
    assert not missing, missing


def test_pages_load_nothing_from_other_hosts(built_site):
    site, _ = built_site
    remote = []
    for page in _pages(site):
        html = page.read_text()
        refs = _Refs()
        refs.feed(html)
        remote += [f"{page.relative_to(site)}: {u}" for u in refs.loads if re.match(r"^(https?:)?//", u)]
        remote += [f"{page.relative_to(site)}: {u}" for u in re.findall(r"import\(\s*[\"'](https?://[^\"']+)", html)]
    for css in site.rglob("*.css"):
        remote += [f"{css.relative_to(site)}: {u}" for u in re.findall(r"@import\s+url\(\s*[\"']?(https?://[^)\"']+)", css.read_text())]
    assert not remote, remote


def test_directives_and_tex_are_resolved(built_site):
    site, _ = built_site
    for page in _pages(site):
        html = page.read_text()
        assert "[[formula:" not in html and "[[table:" not in html, page


def test_notebooks_were_executed(built_site):
    site, _ = built_site
    html = (site / "notebooks" / "tanh_experiment" / "index.html").read_text()
    assert "jp-OutputArea-output" in html
    assert "Traceback" not in html


def test_notebook_cells_keep_the_ids_of_their_download(built_site):
    """nbformat gives each cell a random id when a notebook is read; the page's cells get
    the ids of the ``.ipynb`` download instead, so every build writes the same page."""
    import json

    site, _ = built_site
    stems = sorted(p.stem for p in (ROOT / "docs" / "notebooks").glob("*.py"))
    for stem in stems:
        page = (site / "notebooks" / stem / "index.html").read_text()
        download = json.loads((site / "notebooks" / stem / f"{stem}.ipynb").read_text())
        assert re.findall(r'\sid="cell-id=([^"]+)"', page) == [c["id"] for c in download["cells"]], stem


def test_the_build_workers_execute_each_notebook_once(built_site):
    """A cold build executes every notebook once, in a build worker, into mkdocs-jupyter's
    cache; the page then reads it from there instead of executing it again."""
    _, log = built_site
    stems = sorted(p.stem for p in (ROOT / "docs" / "notebooks").glob("*.py"))
    assert stems
    for stem in stems:
        runs = re.findall(rf"\bnotebook notebooks/{stem}\.py\s+\d+\.\d+ s(.*)$", log, re.M)
        assert runs == [""], f"{stem}: {runs}"
        assert re.search(rf"Cache hit: \S*/docs/notebooks/{stem}\.py$", log, re.M), stem
    assert "Converting notebook" not in log


# ------------------------------------------------------------------ llms.txt

_DIRECTIVE = re.compile(r"\[\[(figure|formula|variance|bound|summary|reference|table|value):")


def _nav_pages() -> dict[str, list[str]]:
    """mkdocs.yml's navigation, as the llms hook reads it: section -> source paths."""
    import importlib.util

    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: None)
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)["nav"]
    spec = importlib.util.spec_from_file_location("weightinit_llms_hook", ROOT / "docs/hooks/llms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.nav_sections(nav)


def _markdown_path(src: str) -> str:
    """Where the Markdown of page `src` lands: beside its index.html."""
    stem = src.rsplit(".", 1)[0]
    return f"{stem}.md" if stem == "index" or stem.endswith("/index") else f"{stem}/index.md"


def test_site_serves_llms_txt_listing_every_page_in_nav_order(built_site):
    site, _ = built_site
    text = (site / "llms.txt").read_text()
    base = re.search(r'<link rel="canonical" href="([^"]+)"', (site / "index.html").read_text())[1]
    listed = {
        heading: re.findall(r"^- \[[^\]]+\]\(([^)]+)\)", body, re.M)
        for heading, body in re.findall(r"^## (.+)\n((?:\n|- .*\n)*)", text, re.M)
    }
    expected = {section: [base + _markdown_path(src) for src in pages] for section, pages in _nav_pages().items()}
    assert listed == expected
    assert sum(map(len, expected.values())) >= 50  # every page of the site, notebooks included


def test_llms_markdown_pages_exist_rendered(built_site):
    site, _ = built_site
    unrendered, missing = [], []
    for pages in _nav_pages().values():
        for src in pages:
            path = site / _markdown_path(src)
            if not path.is_file() or not path.read_text().strip():
                missing.append(src)
                continue
            # Code may show a directive (the API page documents them); prose may not.
            text = re.sub(r"`[^`\n]*`", "", re.sub(r"^```.*?^```", "", path.read_text(), flags=re.M | re.S))
            if _DIRECTIVE.search(text) or "<!-- explorer:" in text:
                unrendered.append(src)
    assert not missing, f"pages listed in llms.txt without their Markdown: {missing}"
    assert not unrendered, f"Markdown with directives left in it: {unrendered}"


def test_llms_markdown_keeps_code_languages_formulas_and_versions(built_site):
    import weightinit

    site, _ = built_site
    home = (site / "index.md").read_text()
    assert "pip install weightinit" in home and f"version {weightinit.__version__}" in home
    fans = (site / "basics" / "fans" / "index.md").read_text()
    assert "```python\nimport weightinit as wi" in fans
    assert re.search(r"`\$n_\\text\{in\}\$`", fans), "inline TeX kept in a code span"
    # A notebook page is converted once the notebook hook has finished it: its figures as
    # files with their alt text, its headings without Jupyter's pilcrow links.
    for stem in sorted(p.stem for p in (ROOT / "docs" / "notebooks").glob("*.py")):
        notebook = (site / "notebooks" / stem / "index.md").read_text()
        assert "```python" in notebook and "In [" not in notebook and "Copied!" not in notebook, stem
        assert "[¶]" not in notebook and f"[Figure: " in notebook and f"/notebooks/{stem}/{stem}-1.png)" in notebook, stem
    scheme = (site / "schemes" / "he" / "index.md").read_text()
    assert "```latex\n" in scheme and "Figure: " in scheme
