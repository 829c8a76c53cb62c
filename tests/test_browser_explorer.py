"""The explorer page in Debian's chromium (make test-browser): controls, table, hash, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from weightinit_site import explorer as ex

pytestmark = pytest.mark.browser
SITE = Path(__file__).resolve().parents[1] / "site"
CONTROLS = ("scheme", "activation", "depth", "width")


@pytest.fixture(scope="module")
def explorer_url(server):
    if not (SITE / "explorer" / "index.html").is_file():
        pytest.fail("site/ has no explorer page: run `make test-browser`, which builds it first")
    return server + "explorer/"


@pytest.fixture
def explorer(browser, explorer_url):
    """Open the page; yield (page, url, seen) and check no error and no remote request."""
    pages = []

    def open_(hash_="", **context):
        viewport = context.pop("viewport", {"width": 1280, "height": 900})
        page = browser.new_page(viewport=viewport, **context)
        seen = {"errors": [], "failed": [], "remote": []}
        page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("requestfailed", lambda r: seen["failed"].append(f"{r.url} {r.failure}"))
        page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else seen["remote"].append(r.url))
        page.goto(explorer_url + hash_, wait_until="networkidle")
        _wait_drawn(page)
        pages.append((page, seen))
        return page, seen

    yield open_
    for page, seen in pages:
        page.close()
        assert not seen["errors"], seen["errors"]
        assert not seen["failed"], seen["failed"]
        assert not seen["remote"], seen["remote"]


def _hash(scheme, activation, depth, width):
    return f"#scheme={scheme}&activation={activation}&depth={depth}&width={width}"


def _settings(page):
    return {n: page.locator(f"#explorer-form select[name={n}]").input_value() for n in CONTROLS}


def _wait_drawn(page, expected=None):
    expected = expected or "#" + "&".join(f"{k}={v}" for k, v in _settings(page).items())
    page.wait_for_function("h => document.getElementById('explorer').dataset.drawn === h", arg=expected, timeout=10000)


def _rows(page):
    return page.evaluate(
        "() => [...document.querySelectorAll('#explorer-table tbody tr')]"
        ".map(tr => [...tr.cells].map(td => td.textContent))"
    )


def _number(text):
    if text == "not finite":
        return None
    return float(text.removesuffix(" %"))


def test_each_control_changes_the_table(explorer):
    page, _ = explorer(_hash("lecun_normal", "tanh", 10, 500))
    for name, value in [("scheme", "normal-1"), ("activation", "relu"), ("depth", "20"), ("width", "64")]:
        before = _rows(page)
        page.locator(f"#explorer-form select[name={name}]").select_option(value)
        _wait_drawn(page)
        after = _rows(page)
        assert after != before, name
        assert page.evaluate("location.hash").find(f"{name}={value}") > 0


@pytest.mark.parametrize(
    ("scheme", "activation", "depth", "width"),
    [
        ("lecun_normal", "tanh", 10, 500),
        ("normal-0.01", "tanh", 10, 500),
        ("he_normal", "relu", 5, 64),
        ("normal-1", "sigmoid", 3, 256),
        ("orthogonal", "gelu", 20, 64),
        ("zeros", "selu", 2, 64),
    ],
)
def test_table_equals_the_library(explorer, scheme, activation, depth, width):
    page, _ = explorer(_hash(scheme, activation, depth, width))
    shown = [[int(r[0])] + [_number(t) for t in r[1:]] for r in _rows(page)]
    assert shown == ex.table_rows(ex.layer_stats(scheme, activation, depth, width))


def test_hash_round_trips_and_back_forward_work(explorer):
    first = _hash("glorot_normal", "selu", 30, 256)
    page, _ = explorer(first)
    assert _settings(page) == {"scheme": "glorot_normal", "activation": "selu", "depth": "30", "width": "256"}
    rows_first = _rows(page)
    page.locator("#explorer-form select[name=depth]").select_option("3")
    second = _hash("glorot_normal", "selu", 3, 256)
    _wait_drawn(page, second)
    assert page.evaluate("location.hash") == second
    assert len(_rows(page)) == 3
    page.go_back()
    _wait_drawn(page, first)
    assert _settings(page)["depth"] == "30" and _rows(page) == rows_first
    page.go_forward()
    _wait_drawn(page, second)
    assert _settings(page)["depth"] == "3"
    # A reload of the same address shows the same view.
    page.reload(wait_until="networkidle")
    _wait_drawn(page, second)
    assert len(_rows(page)) == 3


def test_keyboard_only(explorer):
    page, _ = explorer(_hash("lecun_normal", "tanh", 10, 500))
    page.locator("#explorer-form select[name=scheme]").focus()
    before = _rows(page)
    page.keyboard.press("ArrowDown")
    _wait_drawn(page)
    assert _settings(page)["scheme"] == "glorot_normal" and _rows(page) != before
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "activation"


def test_redraw_is_fast_and_charts_are_drawn(explorer):
    page, _ = explorer(_hash("he_normal", "relu", 50, 500))
    for value in ["tanh", "gelu", "linear"]:
        page.locator("#explorer-form select[name=activation]").select_option(value)
        _wait_drawn(page)
        assert float(page.evaluate("document.getElementById('explorer').dataset.drawMs")) < 100
    assert page.locator("#explorer-std svg circle").count() == 50
    assert page.locator("#explorer-grad svg circle").count() == 50
    assert page.locator("#explorer-hist svg").count() == 4
    page.locator("#explorer-form select[name=activation]").select_option("tanh")
    _wait_drawn(page)
    assert page.locator("#explorer-phase circle.wi-explorer__marker").count() == 1


def test_small_screen_has_no_horizontal_scroll(explorer):
    page, _ = explorer(_hash("lecun_normal", "tanh", 10, 500), viewport={"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("#explorer-form select[name=width]").is_visible()


def test_dark_mode_follows_the_site(explorer):
    colors = []
    for scheme in ("light", "dark"):
        page, _ = explorer(_hash("lecun_normal", "tanh", 10, 500), color_scheme=scheme)
        colors.append(page.evaluate(
            "() => getComputedStyle(document.querySelector('#explorer-std .wi-explorer__label')).fill"
        ))
    assert colors[0] != colors[1]


def _jacobian_rows(page):
    return page.evaluate(
        "() => [...document.querySelectorAll('#explorer-jacobian-table tbody tr')]"
        ".map(tr => [tr.cells[0].textContent, tr.cells[1].textContent])"
    )


def _expected_jacobian(scheme, activation, depth, width):
    """The Jacobian table as the library computes it, straight from layer_stats."""
    stats = ex.layer_stats(scheme, activation, depth, width)
    s = ex.spectrum_summary(stats.jacobian_sv)
    return s, [*s["q"], s["ms"], float(f"{100 * s['zero']:.4g}"), s["n"]]


def _shown_jacobian(page):
    values = []
    for _, text in _jacobian_rows(page):
        values.append(_number(text) if "(" not in text else int(text.split()[0]))
    return values


@pytest.mark.parametrize(
    ("scheme", "activation", "depth", "width"),
    [("lecun_normal", "tanh", 10, 500), ("orthogonal", "linear", 50, 64), ("he_normal", "relu", 20, 256), ("zeros", "tanh", 3, 64)],
)
def test_jacobian_text_and_chart_match_the_library(explorer, scheme, activation, depth, width):
    page, _ = explorer(_hash(scheme, activation, depth, width))
    summary, expected = _expected_jacobian(scheme, activation, depth, width)
    assert _shown_jacobian(page) == expected
    # One bar per non-empty bin, plus one for the zeros.
    bars = page.locator("#explorer-jacobian svg rect.wi-explorer__bar").count()
    assert bars == sum(p > 0 for p in summary["p"]) + (summary["zero"] > 0)
    caption = page.locator("#explorer-jacobian-caption").text_content()
    assert f"of the {depth} layer" in caption and f"({summary['n']} values)" in caption


def test_jacobian_changes_with_the_controls(explorer):
    page, _ = explorer(_hash("lecun_normal", "tanh", 10, 500))
    for name, value in [("depth", "2"), ("scheme", "orthogonal"), ("activation", "linear")]:
        before = (_jacobian_rows(page), page.locator("#explorer-jacobian svg").inner_html())
        page.locator(f"#explorer-form select[name={name}]").select_option(value)
        _wait_drawn(page)
        after = (_jacobian_rows(page), page.locator("#explorer-jacobian svg").inner_html())
        assert after[0] != before[0] and after[1] != before[1], name
    # Linear and orthogonal: an isometry, every singular value 1, all in one bar.
    assert _shown_jacobian(page)[:8] == [1.0] * 8
    assert page.locator("#explorer-jacobian svg rect.wi-explorer__bar").count() == 1


@pytest.mark.parametrize(("scheme", "activation", "source"), [
    ("he_normal", "gelu", "exact_gain"), ("orthogonal", "tanh", "calculate_gain"),
])
def test_status_names_the_gain_and_its_source(explorer, scheme, activation, source):
    """gelu's gain is its exact gain (calculate_gain raises for it), and the page says so."""
    page, _ = explorer(_hash(scheme, activation, 5, 64))
    status = page.locator("#explorer-status").text_content()
    g, key = ex.activation_gain(activation)
    assert key == source
    assert f"Gain {g:.4g} ({ex.GAIN_SOURCES[source]})" in status, status
