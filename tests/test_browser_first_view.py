"""The page before and after Material's bundle (make test-browser).

docs/hooks/reader.py loads Material's bundle at the reader's first interaction, so a
phone paints and settles without it (make lighthouse). These checks hold the page to
what the reader expects on both sides of that moment.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

STATE = """() => ({
  bundle: document.documentElement.classList.contains("wi-bundle"),
  scheme: document.body.getAttribute("data-md-color-scheme"),
  toggles: [...document.querySelectorAll("form[data-md-component=palette] label")].filter((l) => !l.hidden).length,
  bareTables: [...document.querySelectorAll("article table:not([class])")]
    .filter((t) => !t.parentElement.classList.contains("md-typeset__table")).length,
  copyButtons: document.querySelectorAll("article pre > .md-code__nav .md-code__button, article pre > button.md-clipboard").length,
  codeBlocks: document.querySelectorAll("article pre > code").length,
  sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
})"""


@pytest.mark.parametrize("scheme, expected", [("light", "default"), ("dark", "slate")])
def test_first_view_follows_the_system_palette_and_wraps_tables(browser, server, scheme, expected):
    context = browser.new_context(viewport={"width": 390, "height": 800}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(server + "reference/api/", wait_until="networkidle")
        state = page.evaluate(STATE)
        assert not state["bundle"], "Material's bundle ran before any interaction"
        assert state["scheme"] == expected, state
        assert state["toggles"] == 1, f"one palette toggle should show before the bundle: {state}"
        assert state["bareTables"] == 0, state
        assert not state["sideways"], state
    finally:
        context.close()


def test_first_interaction_brings_the_bundle_and_its_copy_buttons(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(server + "schemes/he/", wait_until="networkidle")
        assert page.evaluate(STATE)["copyButtons"] == 0
        page.mouse.move(400, 400)
        page.wait_for_function("document.documentElement.classList.contains('wi-bundle')", timeout=15000)
        page.wait_for_function(
            "() => document.querySelectorAll('article pre > .md-code__nav .md-code__button').length > 0",
            timeout=15000,
        )
        state = page.evaluate(STATE)
        assert state["copyButtons"] == state["codeBlocks"] > 0, state
        assert state["bareTables"] == 0, state
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_anchor_on_the_api_page_lands_on_its_heading(browser, server, width):
    """The API page lays out far objects lazily (content-visibility); a jump must not miss."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        anchor = "weightinit.diagnose.diagnose"
        page.goto(f"{server}reference/api/#{anchor}", wait_until="networkidle")
        page.wait_for_timeout(500)
        top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", anchor)
        # Material scrolls a heading to just below its sticky header (about 68 px here).
        assert 0 <= top <= 120, f"#{anchor} is at {top:.0f} px after the jump"
    finally:
        context.close()
