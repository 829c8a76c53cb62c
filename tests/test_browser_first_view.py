"""The reader's first minute, on every page, with the CPU slowed 4x (make test-browser).

A phone is several times slower than the machine running the tests; Lighthouse's mobile
preset slows the CPU 4x, and so do these checks (Chrome's own throttling, over CDP). On
every page, at 390 px with touch and at 1280 px, with one page load:

- the first scroll is followed by no task longer than 200 ms (a frozen page);
- `/` then typing opens search holding every typed character, and the page stays put
  (Material reads unfocused letters as shortcuts: `n` is the next page);
- one tap (a click at 1280 px) on the search icon focuses the search field, so a phone
  shows its keyboard;
- no task longer than 200 ms follows the key or the tap either.

What the typed query costs is left out: Material renders its results on the main
thread, and a one-letter query on this site renders hundreds of sections.

Long tasks are those the page's own PerformanceObserver reports ('longtask').
"""

from __future__ import annotations

import pytest

from test_browser import _pages

pytestmark = pytest.mark.browser

API_MODULES = ["initializers", "schemes", "recommendations", "nn", "diagnose", "meanfield",
               "architectures", "experiments", "datasets", "bibliography"]
# The body of each top-level object on an API page, laid out only near the viewport.
API_BODY = ".md-typeset .doc-contents.first > .doc-children > .doc-object > .doc-contents"
LONG_TASK = 200  # ms: a tap or a key answered later than this feels broken
TYPED = "gelu gain trunc_normal"
VIEWS = {"390-touch": dict(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True),
         "1280": dict(viewport={"width": 1280, "height": 900})}

# Installed before the page's own scripts: every long task from the start, with its time.
OBSERVE = """
window.__wiLongTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__wiLongTasks.push([e.startTime, e.duration]);
}).observe({type: "longtask", buffered: true});
"""
QUIET = """async () => {
  // Wait until the main thread has been free for a while (load's own tasks are done).
  const start = performance.now();
  let last = start;
  while (performance.now() - last < 400 && performance.now() - start < 8000) {
    await new Promise((r) => setTimeout(r, 100));
    const tasks = window.__wiLongTasks;
    if (tasks.length) last = Math.max(last, tasks[tasks.length - 1][0] + tasks[tasks.length - 1][1]);
  }
  return performance.now();
}"""


@pytest.fixture(scope="module", params=list(VIEWS))
def view(request, browser):
    context = browser.new_context(**VIEWS[request.param])
    context.add_init_script(OBSERVE)
    yield request.param, context
    context.close()


def _open(context, url):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    page.goto(url, wait_until="load")
    return page, cdp


def _long_after(page, since: float, settle: int = 800) -> list[int]:
    """Long tasks that started after `since` (page time, ms), once the page settled."""
    page.wait_for_timeout(settle)
    page.evaluate(QUIET)
    return [round(d) for s, d in page.evaluate("window.__wiLongTasks") if s >= since and d > LONG_TASK]


def _now(page) -> float:
    return page.evaluate("performance.now()")


def _scroll(page, cdp, touch: bool) -> None:
    if touch:
        cdp.send("Input.synthesizeScrollGesture",
                 {"x": 195, "y": 600, "yDistance": -500, "gestureSourceType": "touch", "speed": 2000})
    else:
        page.mouse.move(640, 500)
        page.mouse.wheel(0, 600)


@pytest.mark.firstview
@pytest.mark.parametrize("path", _pages())
def test_first_scroll_key_and_tap(view, server, path):
    name, context = view
    touch = name.endswith("touch")
    page, cdp = _open(context, server + path)
    problems = []
    try:
        page.evaluate(QUIET)
        # The first scroll.
        since = _now(page)
        _scroll(page, cdp, touch)
        if late := _long_after(page, since):
            problems.append(f"tasks of {late} ms after the first scroll")
        # `/` then typing: search opens and holds every character; the page stays.
        url = page.url
        since = _now(page)
        page.keyboard.press("/")
        if late := _long_after(page, since):
            problems.append(f"tasks of {late} ms after the first key")
        page.keyboard.type(TYPED)
        page.wait_for_timeout(300)
        state = page.evaluate("""() => ({
          open: document.getElementById("__search").checked,
          value: document.querySelector("input.md-search__input").value,
        })""")
        if page.url.split("#")[0] != url.split("#")[0]:
            problems.append(f"typing `/{TYPED}` left the page for {page.url}")
        elif not state["open"] or state["value"] != TYPED:
            problems.append(f"`/` then {TYPED!r}: search {'open' if state['open'] else 'closed'}, "
                            f"holding {state['value']!r}")
        # One tap on the search icon focuses the field (a phone shows its keyboard).
        page.keyboard.press("Escape")
        page.evaluate(QUIET)
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
        page.wait_for_timeout(200)
        since = _now(page)
        icon = page.locator("label.md-header__button[for=__search]" if touch else "input.md-search__input")
        if touch:
            box = icon.bounding_box()
            page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        else:
            icon.click()
        page.wait_for_timeout(300)
        focused = page.evaluate("document.activeElement && document.activeElement.matches('input.md-search__input')")
        if not focused:
            problems.append("one tap on the search icon left the search field without focus")
        if late := _long_after(page, since):
            problems.append(f"tasks of {late} ms after the first tap")
    finally:
        page.close()
    assert not problems, f"{name} /{path}: " + "; ".join(problems)


@pytest.mark.parametrize("key, rel", [("n", "next"), ("p", "prev")])
def test_n_and_p_work_at_the_first_press(view, server, key, rel):
    name, context = view
    page, _ = _open(context, server + "schemes/he/")
    try:
        target = page.evaluate(f"document.querySelector('link[rel={rel}]').href")
        page.keyboard.press(key)
        page.wait_for_url(target, timeout=15000)
    finally:
        page.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_anchor_on_the_api_page_lands_on_its_heading(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        anchor = "weightinit.diagnose.diagnose"
        page.goto(f"{server}reference/api/diagnose/#{anchor}", wait_until="networkidle")
        page.wait_for_timeout(500)
        top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", anchor)
        # Material scrolls a heading to just below its sticky header (about 68 px here).
        assert 0 <= top <= 120, f"#{anchor} is at {top:.0f} px after the jump"
    finally:
        context.close()


@pytest.mark.parametrize("query, first", [("μP", "architectures/width/"), ("muP", "architectures/width/"),
                                          ("orthogonal", "schemes/orthogonal/")])
def test_search_finds_the_page_a_reader_means_first(browser, server, query, first):
    """The papers write μP and the site muP: either finds the page. A scheme's page comes
    before the API entries that share its name."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{server}?q={query}", wait_until="networkidle")
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        found = page.evaluate(
            "() => [...document.querySelectorAll('.md-search-result__item > a')]"
            ".map((a) => new URL(a.href).pathname)"
        )
        assert found and found[0].endswith("/" + first), f"{query!r}: {found[:4]}"
    finally:
        page.close()


def test_explorer_url_names_what_it_shows(browser, server):
    """A hash with a setting the explorer does not have (typed, or followed from a link)
    is replaced by the settings it draws, at load and while the page is open."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{server}explorer/#scheme=nonsense&depth=7000", wait_until="networkidle")
        page.wait_for_function("document.getElementById('explorer').dataset.drawn", timeout=15000)
        assert page.evaluate("location.hash === document.getElementById('explorer').dataset.drawn")
        page.evaluate("location.hash = '#scheme=he_normal&activation=nonsense'")
        page.wait_for_timeout(500)
        page.wait_for_function(
            "location.hash === document.getElementById('explorer').dataset.drawn", timeout=15000
        )
        assert "nonsense" not in page.evaluate("location.hash")
    finally:
        page.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("module", API_MODULES)
def test_api_page_height_is_right_before_it_is_laid_out(browser, server, width, module):
    """An API page lays out far objects only near the viewport (content-visibility): the
    height it holds for them keeps the scrollbar within 8 % of the page's real length,
    so the thumb does not jump as the reader scrolls. The height held is the page's own
    mean over the bodies not laid out at load (its front matter's api_body_rem); a
    failure says what that mean now is."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(f"{server}reference/api/{module}/", wait_until="networkidle")
        held = page.evaluate("document.documentElement.scrollHeight")
        # Bodies not laid out yet hold exactly the page's size; laid out, they keep their
        # containment (content-visibility: auto), which is what the reader gets.
        skipped = page.evaluate("""(sel) => [...document.querySelectorAll(sel)].map((e) =>
          e.getBoundingClientRect().height === parseFloat(getComputedStyle(e).containIntrinsicHeight.split(" ").pop()))""", API_BODY)
        page.add_style_tag(content=API_BODY + " { content-visibility: visible !important; contain: layout style paint; }")
        page.wait_for_timeout(300)
        real = page.evaluate("document.documentElement.scrollHeight")
        heights = page.evaluate("(sel) => [...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect().height)", API_BODY)
        rem = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        far = [h for h, s in zip(heights, skipped) if s]
        mean = sum(far) / len(far) / rem if far else float("nan")
        assert abs(held - real) <= 0.08 * real, (
            f"{module}, {width} px: {held} px held for a page {real} px long; the bodies not laid "
            f"out at load now average {mean:.1f} rem: update api_body_rem in docs/reference/api/{module}.md")
    finally:
        page.close()
