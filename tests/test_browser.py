"""The built site in Debian's chromium (make test-browser): it loads, draws and searches offline."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
CHROMIUM = "/usr/bin/chromium"
# Chromium's own background traffic is switched off so that every request seen is the page's.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RAW_TEX = re.compile(r"\\(frac|sqrt|mathcal|operatorname|text|sim|left|right)\b|\\\(|\\\[|\$\$")

VISIBLE_TEXT = """() => {
  const skip = new Set(["PRE", "CODE", "SCRIPT", "STYLE", "MJX-CONTAINER", "NOSCRIPT", "TEXTAREA"]);
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


@pytest.fixture(scope="module")
def server():
    if not (SITE / "index.html").is_file():
        pytest.fail("site/ is not built: run `make test-browser`, which builds it first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright import sync_api as playwright
    except ImportError as exc:
        pytest.fail(f"playwright is not installed ({exc}): `make venv` installs the test extra", pytrace=False)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


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
def test_page_loads_offline_draws_images_and_typesets_math(browser, server, path):
    page, seen = _open(browser, server + path)
    try:
        page.wait_for_function("() => !window.MathJax || (MathJax.startup && MathJax.startup.promise)", timeout=10000)
        page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
        assert not seen["errors"], seen["errors"]
        assert not seen["failed"], seen["failed"]
        assert not seen["remote"], seen["remote"]
        broken = page.evaluate(
            "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        assert not broken, f"images that did not decode: {broken}"
        math = page.evaluate("() => document.querySelectorAll('.arithmatex, .jp-MarkdownOutput').length")
        if math:
            leftover = RAW_TEX.findall(page.evaluate(VISIBLE_TEXT))
            assert not leftover, f"raw TeX in the visible text: {leftover[:5]}"
    finally:
        page.close()


def test_math_is_typeset_as_svg(browser, server):
    page, _ = _open(browser, server + "schemes/he/")
    try:
        page.wait_for_selector("mjx-container svg", timeout=10000)
        assert page.locator("mjx-container").count() >= 3
    finally:
        page.close()


def _follow(page, href):
    """Follow a link the way a reader does, through Material's instant navigation."""
    page.evaluate("href => { const a = document.createElement('a'); a.href = href; a.id = 'follow';"
                  " a.textContent = 'follow'; document.querySelector('article').appendChild(a); }", href)
    page.click("#follow")
    page.wait_for_function("href => location.href === new URL(href, document.baseURI).href || "
                           "location.pathname.endsWith(href.replace(/^(\\.\\.\\/)+/, ''))", arg=href, timeout=10000)


def test_mathjax_loads_on_arrival_at_a_math_page_and_typesets_the_next(browser, server):
    """MathJax is only on pages with math; instant navigation still typesets every one."""
    page, seen = _open(browser, server + "notebooks/")
    try:
        assert page.evaluate("() => typeof window.MathJax") == "undefined"
        _follow(page, "../schemes/he/")
        page.wait_for_selector("article mjx-container svg", timeout=10000)
        _follow(page, "../glorot/")
        page.wait_for_function("() => location.pathname.endsWith('/schemes/glorot/')", timeout=10000)
        page.wait_for_selector("article mjx-container svg", timeout=10000)
        page.evaluate("() => MathJax.startup.promise")
        leftover = RAW_TEX.findall(page.evaluate(VISIBLE_TEXT))
        assert not leftover, f"raw TeX after instant navigation: {leftover[:5]}"
        assert not seen["errors"], seen["errors"]
    finally:
        page.close()


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
