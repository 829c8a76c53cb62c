"""The build's core (docs/hooks/core.py): one pool per cold build, and no stale result after
an upgrade of numpy, scipy or matplotlib.

Works on a temporary copy of the project with every hook that caches a result: three
figures, a table, a value, a notebook, the explorer's data (its grid cut to the smallest
width and depths, so that it takes seconds), and the pages' HTML, search entries and
llms.txt Markdown and the notebooks' stylesheet. One Python process builds it cold, warm,
after a page's edit, then once more after each upgrade: a ``NAME-99.0.dist-info`` folder put first on
the path makes the package's installed version 99.0, as ``importlib.metadata`` (what the
core reads) sees it, without touching the real install.
"""

from __future__ import annotations

import pytest
from site_build import copy_project, drive

pytestmark = pytest.mark.site
UPGRADED = ("numpy", "scipy", "matplotlib")

MKDOCS_YML = """\
site_name: copy
site_url: https://example.org/
theme:
  name: material
  font: false
exclude_docs: |
  hooks/
nav:
  - index.md
  - other.md
  - notebooks/small.py
hooks:
  - docs/hooks/tasks.py
  - docs/hooks/explorer.py
  - docs/hooks/directives.py
  - docs/hooks/notebooks.py
  - docs/hooks/llms.py
  - docs/hooks/notebook_css.py
  - docs/hooks/pagecache.py
plugins:
  - material/search
  - mkdocs-jupyter:
      include: ["notebooks/*.py"]
      ignore: ["*.md"]
      execute: true
      allow_errors: false
  - llmstxt:
      autoclean: false
      preprocess: docs/hooks/llms.py
      sections:
        Home: [index.md]
"""

PAGES = {
    "index.md": "# Figures\n\n[[figure: glorot_compromise]]\n\n[[figure: gain_depth]]\n\n[[figure: variance_by_fan]]\n",
    "other.md": "# Other\n\nTau: [[value: selu_tau_range]].\n\n[[table: wrong_fan_cases]]\n",
    "notebooks/small.py": "# %%\nfrom weightinit.initializers import he_normal\nprint(he_normal((4, 3), rng=0).shape)\n",
}
# The explorer's grid cut to its smallest width and depths.
EXPLORER = [("src/weightinit_site/explorer.py", "WIDTHS = (64, 256, 500)", "WIDTHS = (64,)"),
            ("src/weightinit_site/explorer.py", "DEPTHS = (1, 2, 3, 5, 10, 20, 30, 50)", "DEPTHS = (1, 2, 3)")]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("core"), PAGES, MKDOCS_YML, figure_modules=("basics",),
                        edits=EXPLORER)
    steps = [{"label": "cold"}, {"label": "warm"},
             {"label": "a page edited", "edits": [("docs/other.md", "Tau:", "The tau of SELU:")]}]
    steps += [{"label": f"{name} upgraded", "upgrade": name} for name in UPGRADED]
    return {b["label"]: b for b in drive(root, steps)[0]}


ITEMS = sorted([("figure", "gain_depth"), ("figure", "glorot_compromise"), ("figure", "variance_by_fan"),
                ("table", "wrong_fan_cases"), ("value", "selu_tau_range"), ("notebook", "notebooks/small.py"),
                ("explorer", "data")])


def _items(log, which):
    return sorted((kind, name) for kind, name, _ in log[which])


def test_a_cold_build_computes_everything_in_one_pool(builds):
    cold = builds["cold"]["log"]
    assert _items(cold, "computed") == ITEMS
    assert cold["pools"] == 1


def test_a_warm_build_computes_nothing_and_starts_no_pool(builds):
    warm = builds["warm"]["log"]
    assert _items(warm, "computed") == []
    assert {kind for kind, _ in _items(warm, "cached")} == {"figure", "notebook", "explorer"}
    converted, pages, _, _ = warm["pages"]
    assert warm["pools"] == 0 and converted == pages == 2
    assert warm["markdown"] == [3, 3]  # llms.txt's Markdown of the two pages and the notebook
    assert builds["warm"]["entries"] == builds["cold"]["entries"]
    # Every kind of entry the hooks cache is there.
    kinds = {entry.split("/")[0] if not entry.startswith("pages/") else "/".join(entry.split("/")[:2])
             for entry in builds["cold"]["entries"]}
    assert {"figures", "computed", "notebooks", "explorer", "pages/html", "pages/search", "pages/llms",
            "pages/notebook-css"} <= kinds, kinds


def test_an_edited_page_is_converted_again_and_only_it(builds):
    log = builds["a page edited"]["log"]
    assert _items(log, "computed") == []
    assert log["pages"][:2] == [1, 2] and log["markdown"] == [2, 3]


@pytest.mark.parametrize("package", UPGRADED)
def test_an_upgrade_recomputes_every_cached_result(builds, package):
    before = builds[{"numpy": "a page edited", "scipy": "numpy upgraded", "matplotlib": "scipy upgraded"}[package]]
    after = builds[f"{package} upgraded"]
    assert f"{package}=99.0" in after["versions"] and f"{package}=99.0" not in before["versions"]
    log = after["log"]
    assert _items(log, "computed") == ITEMS and _items(log, "cached") == []
    converted, pages, _, _ = log["pages"]  # the pages' HTML: the page cache
    assert converted == 0 and pages == 2
    # Every entry has a new key, and no entry of the old versions is left.
    assert len(after["entries"]) == len(before["entries"])
    assert not set(after["entries"]) & set(before["entries"])
