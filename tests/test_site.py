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
    site, _ = built_site
    for name in hooks.figure_registry():
        built = (site / "figures" / f"{name}.svg").read_bytes()
        assert built == hooks.render_figure(name), name


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
