"""What a reader sees of wide things, on a phone (390 px, touch) and a desktop (1280 px).

Every table, code block and display equation either fits its box or shows that it
scrolls (an edge with more to show fades out, docs/javascripts/scrollbox.js); a display
equation is a tab stop only when it scrolls; code lines of 88 characters fit the desktop
column; figure text on a phone is at least ``first_view.TEXT_PX`` (its docstring gives the
reason for 8 px); a tap on a figure opens it full screen.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import struct
from pathlib import Path

import pytest
from conftest import SITE

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
CODE_COLUMNS = 88  # tests/test_code_width.py holds runnable code to it


def _reader():
    spec = importlib.util.spec_from_file_location("weightinit_site_first_view", ROOT / "docs/hooks/first_view.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


READER = _reader()


def _pages():
    if not (SITE / "index.html").is_file():
        return []
    pages = [p.parent.relative_to(SITE).as_posix() for p in SITE.rglob("index.html")]
    return sorted("" if p == "." else p + "/" for p in pages if not p.startswith("assets"))


VIEWS = {390: {"has_touch": True, "is_mobile": True}, 1280: {}}


@pytest.fixture(scope="module")
def views(browser):
    made = {width: browser.new_context(viewport={"width": width, "height": 900}, **extra) for width, extra in VIEWS.items()}
    yield made
    for context in made.values():
        context.close()


# Every image loaded, and the page scrolled through once, so that each box has come near
# the viewport (boxes are measured as they do).
SETTLE = """async () => {
  document.documentElement.classList.add("wi-whole");
  const images = [...document.images];
  images.forEach((i) => { i.loading = "eager"; });
  await Promise.all(images.map((i) => i.decode().catch(() => null)));
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) { scrollTo(0, y); await frame(); }
  scrollTo(0, 0);
  await frame();
}"""

WIDE = """() => {
  const scroller = (el) => {
    for (let box = el; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (["auto", "scroll"].includes(style.overflowX) && box.scrollWidth > box.clientWidth + 1) return box;
    }
    return null;
  };
  const article = document.querySelector("article") || document.body;
  const column = article.getBoundingClientRect();
  const shows = (box) => [getComputedStyle(box).maskImage, getComputedStyle(box).webkitMaskImage]
    .some((m) => m && m !== "none");
  const label = (el) => (el.querySelector(".wi-math-text")?.textContent || el.textContent).trim().slice(0, 50);
  const found = {hidden: [], cut: [], tabStops: [], wideCode: []};
  const things = article.querySelectorAll(".wi-math-display, pre > code, table, img");
  for (const el of things) {
    if (el.closest(".glightbox-container")) continue;
    const box = scroller(el);
    const rect = el.getBoundingClientRect();
    if (box) {
      if (!shows(box)) found.hidden.push(`${el.tagName.toLowerCase()}: ${label(el)}`);
    } else if (rect.width > 0 && (rect.right > innerWidth + 1 || rect.left < -1)) {
      found.cut.push(`${el.tagName.toLowerCase()}: ${label(el)}`);
    }
    if (el.matches(".wi-math-display") && (el.tabIndex >= 0) !== Boolean(box))
      found.tabStops.push(`${box ? "not a" : "a"} tab stop: ${label(el)}`);
    if (el.matches("pre > code") && box) {
      const longest = Math.max(...el.textContent.split("\\n").map((l) => l.length));
      if (longest <= %d) found.wideCode.push(`${longest} characters: ${label(el)}`);
    }
  }
  return found;
}""" % CODE_COLUMNS

FIGURES = """async () => {
  const out = [];
  for (const img of document.querySelectorAll("article img")) {
    const src = img.currentSrc || img.src;
    if (!/figures\\/[\\w-]+\\.svg$|\\.png$/.test(src) || src.startsWith("data:")) continue;
    out.push({src, shown: img.getBoundingClientRect().width, natural: img.naturalWidth});
  }
  return out;
}"""


def _svg_text_pt(path: Path) -> float:
    scales = [float(s) * 100 for s in READER._SVG_GLYPH_SCALE.findall(path.read_text())]
    assert scales, f"{path}: no text found"
    return min(scales)


def _png_text_px(path: Path) -> float:
    """The smallest text of a notebook's PNG in image pixels: the smallest size its notebook
    sets (matplotlib's 10 pt otherwise) at the resolution written in the PNG."""
    data = path.read_bytes()
    phys = data.find(b"pHYs")
    dpi = struct.unpack(">I", data[phys + 4 : phys + 8])[0] * 0.0254
    stem = re.sub(r"-\d+$", "", path.stem)
    tree = ast.parse((ROOT / "docs" / "notebooks" / f"{stem}.py").read_text())
    sizes = [kw.value.value for c in ast.walk(tree) if isinstance(c, ast.Call) for kw in c.keywords
             if kw.arg in ("fontsize", "labelsize", "size", "title_fontsize") and isinstance(kw.value, ast.Constant)
             and isinstance(kw.value.value, int | float)]
    return min([10, *sizes]) * dpi / 72


def _local(server: str, url: str) -> Path:
    return SITE / url.removeprefix(server).split("#")[0]


@pytest.mark.parametrize("path", _pages())
def test_wide_things_fit_or_show_that_they_scroll(views, server, path):
    problems = []
    for width, context in views.items():
        page = context.new_page()
        try:
            page.goto(server + path, wait_until="networkidle")
            page.evaluate(SETTLE)
            got = page.evaluate(WIDE)
            figures = page.evaluate(FIGURES)
        finally:
            page.close()
        where = f"{width} px"
        for kind, what in (("hidden", "wider than its box with no sign that it scrolls"),
                           ("cut", "cut at the edge of the screen"), ("tabStops", "")):
            if got[kind]:
                problems.append(f"{where}: {len(got[kind])} {what or 'display equations'}: {got[kind][:4]}")
        if width == 1280 and got["wideCode"]:
            problems.append(f"{where}: code blocks of at most {CODE_COLUMNS} characters a line that do not fit: "
                            f"{got['wideCode'][:4]}")
        if width == 390:
            small = []
            for fig in figures:
                file = _local(server, fig["src"])
                natural_text = _svg_text_pt(file) * 4 / 3 if file.suffix == ".svg" else _png_text_px(file)
                text = natural_text * fig["shown"] / fig["natural"]
                if text < READER.TEXT_PX - 0.05:
                    small.append(f"{file.name}: {text:.1f} px")
            if small:
                problems.append(f"{where}: figure text below {READER.TEXT_PX} px: {small[:4]}")
    assert not problems, "\n".join(problems)


FIGURE_PAGES = [p for p in _pages() if 'figures/' in (SITE / p / "index.html").read_text()
                or re.search(r'<img [^>]*src="[\w-]+\.png"', (SITE / p / "index.html").read_text())]


@pytest.mark.parametrize("path", FIGURE_PAGES)
@pytest.mark.parametrize("width", sorted(VIEWS))
def test_a_tap_opens_a_figure_full_screen(views, server, path, width):
    page = views[width].new_page()
    try:
        page.goto(server + path, wait_until="networkidle")
        image = page.locator("article img[src$='.svg'], article img[src$='.png']").first
        image.scroll_into_view_if_needed()
        if width == 390:
            image.tap()
        else:
            image.click()
        shown = page.locator(".glightbox-container .gslide.current img")
        shown.wait_for(state="visible", timeout=5000)
        page.wait_for_timeout(600)  # the opening effect
        box = shown.bounding_box()
        viewport = page.viewport_size
        assert box["width"] >= 0.9 * viewport["width"] or box["height"] >= 0.7 * viewport["height"], (box, viewport)
        assert shown.get_attribute("src").split("/")[-1] == image.get_attribute("src").split("/")[-1]
    finally:
        page.close()
