"""The built site in Debian's chromium (make test-browser): it loads, draws and searches offline,
and reads at 390 px (a phone) and 1280 px, in the light and the dark palette."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
RAW_TEX = re.compile(r"\\(frac|sqrt|mathcal|operatorname|text|sim|left|right|chi|sigma)\b|\\\(|\\\[|\$\$|\$\\")

VISIBLE_TEXT = """() => {
  const skip = new Set(["PRE", "CODE", "SCRIPT", "STYLE", "MATH", "math", "NOSCRIPT", "TEXTAREA"]);
  const out = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) out.push(child.textContent);
      else if (child.nodeType === Node.ELEMENT_NODE && !skip.has(child.tagName)) {
        const style = getComputedStyle(child);
        if (style.display !== "none" && style.visibility !== "hidden") walk(child);
      }
    }
  };
  walk(document.querySelector("article") || document.body);
  return out.join(" ");
}"""


def _pages():
    if not (SITE / "index.html").is_file():
        return []
    pages = [p.parent.relative_to(SITE).as_posix() for p in SITE.rglob("index.html")]
    return sorted("" if p == "." else p + "/" for p in pages if not p.startswith("assets"))


def _open(browser, url, **context):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, **context)
    seen = {"errors": [], "failed": [], "remote": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url} {r.failure}"))
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else seen["remote"].append(r.url))
    page.goto(url, wait_until="networkidle")
    return page, seen


@pytest.mark.parametrize("path", _pages())
def test_page_loads_offline_and_draws_images_and_math(browser, server, path):
    page, seen = _open(browser, server + path)
    try:
        assert not seen["errors"], seen["errors"]
        assert not seen["failed"], seen["failed"]
        assert not seen["remote"], seen["remote"]
        # Lazy images below the fold load only when asked: load and decode them all.
        page.evaluate(
            "() => Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }))"
        )
        broken = page.evaluate(
            "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert not broken, f"images that did not decode: {broken}"
        leftover = RAW_TEX.findall(page.evaluate(VISIBLE_TEXT))
        assert not leftover, f"raw TeX in the visible text: {leftover[:5]}"
        assert page.locator("script[src*=mathjax], mjx-container").count() == 0, "MathJax is still loaded"
    finally:
        page.close()


def test_math_is_mathml(browser, server):
    page, _ = _open(browser, server + "schemes/he/")
    try:
        assert page.locator(".wi-math-display math[display=block]").count() >= 2
        assert page.locator(".wi-math math").count() >= 10
    finally:
        page.close()


# Geometry of a page as a reader sees it; widths in CSS pixels.
LAYOUT = """() => {
  const box = (el) => el.getBoundingClientRect();
  const contentWidth = (math) => {
    let left = Infinity, right = -Infinity;
    for (const child of math.children) {
      const r = box(child);
      if (r.width > 0) { left = Math.min(left, r.left); right = Math.max(right, r.right); }
    }
    return right > left ? right - left : 0;
  };
  const article = document.querySelector("article") || document.body;
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    column: box(article).width,
    display: [...document.querySelectorAll(".wi-math-display math")].map((m) => ({
      width: contentWidth(m), height: box(m).height,
      tex: m.parentElement.querySelector(".wi-math-text")?.textContent.slice(0, 60),
    })),
    noAlt: [...document.images]
      .filter((i) => !i.alt || i.alt.trim().length < 10 || /no description/i.test(i.alt))
      .map((i) => i.src.slice(0, 80)),
    wrappedCode: [...document.querySelectorAll("article table code")]
      .filter((c) => c.getClientRects().length > 1).map((c) => c.textContent),
    prompts: [...document.querySelectorAll(".jp-InputPrompt, .jp-OutputPrompt")]
      .map((p) => box(p).width).filter((w) => w > 0),
    notebookImages: [...document.querySelectorAll(".jp-RenderedImage img")].map((i) => box(i).width),
    downloads: [...document.querySelectorAll(".wi-notebook-links a")].map((a) => a.href),
    figureScale: [...document.querySelectorAll('article img[src*="figures/"]')]
      .map((i) => ({src: i.src.split("/").pop(), natural: i.naturalWidth, shown: box(i).width})),
    // Headings whose permalink (shown on hover) sits on a line below the heading's text.
    loneHeaderlinks: [...document.querySelectorAll("article :is(h1, h2, h3, h4, h5, h6)")].filter((h) => {
      const link = h.querySelector(".headerlink");
      if (!link || link.getClientRects().length === 0) return false;
      const text = document.createRange();
      text.setStart(h, 0);
      text.setEndBefore(link);
      const lines = [...text.getClientRects()].filter((r) => r.width > 0);
      return lines.length > 0 && box(link).top >= Math.max(...lines.map((r) => r.bottom)) - 1;
    }).map((h) => h.textContent.slice(0, 60)),
  };
}"""

# Lazy images decode only near the viewport: make every one load before measuring.
LOAD_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach((i) => { i.loading = "eager"; });
  await Promise.all(images.map((i) => i.decode().catch(() => null)));
}"""

VIEWS = [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")]


@pytest.fixture(scope="module")
def contexts(browser):
    made = {view: browser.new_context(viewport={"width": view[0], "height": 900}, color_scheme=view[1]) for view in VIEWS}
    yield made
    for context in made.values():
        context.close()


@pytest.mark.parametrize("path", _pages())
def test_page_reads_on_a_phone_and_a_desktop_in_both_palettes(contexts, server, path):
    """Display math visible, no sideways scroll, real alt text, names kept whole, headings
    without a blank line for their permalink, notebooks fit."""
    problems = []
    for (width, scheme), context in contexts.items():
        page = context.new_page()
        try:
            page.goto(server + path, wait_until="networkidle")
            page.evaluate(LOAD_IMAGES)
            got = page.evaluate(LAYOUT)
        finally:
            page.close()
        where = f"{width} px {scheme}"
        small = [d for d in got["display"] if d["width"] < 40 or d["height"] < 10]
        if small:
            problems.append(f"{where}: display math drawn smaller than 40 px: {small[:3]}")
        if width == 390 and got["scrollWidth"] > got["clientWidth"]:
            problems.append(f"{where}: the page scrolls sideways ({got['scrollWidth']} > {got['clientWidth']} px)")
        if got["noAlt"]:
            problems.append(f"{where}: images without real alt text: {got['noAlt'][:3]}")
        if got["wrappedCode"]:
            problems.append(f"{where}: inline code broken across lines in tables: {got['wrappedCode'][:5]}")
        if got["loneHeaderlinks"]:
            problems.append(f"{where}: a heading's permalink takes a line of its own: {got['loneHeaderlinks'][:3]}")
        if width == 1280:
            unloaded = [f["src"] for f in got["figureScale"] if not f["natural"]]
            shrunk = [f for f in got["figureScale"] if f["natural"] and f["shown"] < 0.9 * f["natural"]]
            if unloaded or shrunk:
                problems.append(f"{where}: figures not loaded {unloaded} or shown below 90% of their size {shrunk[:3]}")
        if path.startswith("notebooks/") and path != "notebooks/":
            if got["prompts"]:
                problems.append(f"{where}: notebook In/Out prompts take width: {got['prompts'][:3]}")
            narrow = [w for w in got["notebookImages"] if w < 0.9 * got["column"] - 48]
            if width == 390 and narrow:
                problems.append(f"{where}: notebook figures narrower than the column ({got['column']:.0f} px): {narrow}")
            if sorted(u.rsplit(".", 1)[-1] for u in got["downloads"]) != ["ipynb", "py"]:
                problems.append(f"{where}: notebook page without its .ipynb and .py links: {got['downloads']}")
    assert not problems, "\n".join(problems)


def test_notebook_downloads_resolve(browser, server):
    import json
    import urllib.request

    page, _ = _open(browser, server + "notebooks/gradients/")
    try:
        links = page.evaluate("() => [...document.querySelectorAll('.wi-notebook-links a')].map(a => a.href)")
    finally:
        page.close()
    assert len(links) == 2, links
    for url in links:
        with urllib.request.urlopen(url) as response:
            body = response.read().decode()
        if url.endswith(".ipynb"):
            cells = json.loads(body)["cells"]
            assert any(c["cell_type"] == "code" for c in cells)
        else:
            assert body.startswith("# %%"), body[:80]


def test_search_answers_a_query(browser, server):
    page, seen = _open(browser, server)
    try:
        page.locator("input.md-search__input").click()
        page.keyboard.type("kaiming", delay=30)
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        titles = page.locator(".md-search-result__item").all_inner_texts()
        assert any("He / Kaiming" in t for t in titles), titles
        assert not seen["remote"], seen["remote"]
    finally:
        page.close()


def test_dark_mode_toggle(browser, server):
    page, _ = _open(browser, server, color_scheme="light")
    try:
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
        page.locator("form[data-md-component=palette] label:visible").first.click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    finally:
        page.close()
